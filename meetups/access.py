"""Private links to a group's page, like a proposal's: only the token's hash is stored, and
a link is made when the email carrying it is sent (notifications fills the placeholders),
so no working link is ever stored or shown in the outbox. A link opens one group only: it
names the group, and for a person (a contact) or a pending handover."""

import secrets

from django.utils import timezone

from .models import GroupContact, GroupLink, Handover, hash_group_token


def _issue(**fields) -> str:
    token = secrets.token_urlsafe(32)
    GroupLink.objects.create(token_hash=hash_group_token(token), **fields)
    return token


def issue_group_link(*, contact: GroupContact) -> str:
    """A new link to the group's private page for one of the people who keep it."""
    return _issue(meetup_id=contact.meetup_id, contact=contact)


def issue_handover_link(*, handover: Handover) -> str:
    """A new link for a named successor to accept a handover."""
    return _issue(meetup_id=handover.meetup_id, handover=handover)


def link_for_token(token: str) -> GroupLink | None:
    """The link, with its group, person and handover; None for an unknown token, and for a
    person's link once they no longer keep the group's page."""
    if not token or len(token) > 100:
        return None
    link = (
        GroupLink.objects.select_related("meetup", "contact", "handover")
        .filter(token_hash=hash_group_token(token))
        .first()
    )
    if link is None or (link.contact_id is None and link.handover_id is None and not link.ended):
        return None
    now = timezone.now()
    GroupLink.objects.filter(pk=link.pk).update(last_used_at=now)
    if link.contact is not None and link.contact.claimed_at is None:
        GroupContact.objects.filter(pk=link.contact_id).update(claimed_at=now)
    return link
