"""Links in emails. Every link an email holds is absolute and built by `absolute`.

Private links (a proposal's status or edit page, a group's private page, check-in or
handover, the page of everything held about an address) are never stored: a rendered body
holds a placeholder naming what it points to, and `fill_private_links` makes a fresh link
when the email is sent, only for a recipient entitled to it (a placeholder typed into a
proposal or a group's description gives nothing). Neither the database nor the outbox page
holds a working link."""

import re
import secrets

from django.conf import settings
from django.urls import reverse

from intake import my_data
from intake.models import AccessLink, Organizer, Proposal, hash_token
from intake.services import issue_access_link
from meetups.access import issue_group_link, issue_handover_link
from meetups.models import GroupContact, Handover

from .models import Kind, Notification

LINK_PLACEHOLDER = "@@private-link:{proposal_id}:{page}@@"
LINK_PATTERN = re.compile(r"@@private-link:(\d+):(status|edit)@@")
GROUP_LINK_PLACEHOLDER = "@@group-link:{meetup_id}:{page}@@"
GROUP_LINK_PATTERN = re.compile(r"@@group-link:(\d+):(manage|check-in|accept)@@")
# Signed for the recipient when sent, only in the email that was asked for.
MY_DATA_PLACEHOLDER = "@@my-data-link@@"
# Every kind of placeholder, replaced in one pass.
PRIVATE_LINK_PATTERN = re.compile(
    "|".join((LINK_PATTERN.pattern, GROUP_LINK_PATTERN.pattern, re.escape(MY_DATA_PLACEHOLDER)))
)
NOT_AVAILABLE = "(link not available)"

PROPOSAL_PAGES = {"status": "intake:status", "edit": "intake:edit"}
GROUP_PAGES = {
    "manage": "meetups:group_home",
    "check-in": "meetups:group_check_in",
    "accept": "meetups:group_accept",
}


def absolute(path: str) -> str:
    """The address of a path of this site, as emails show it."""
    return settings.SITE_URL + path


def proposal_link(proposal_id: int, page: str) -> str:
    return LINK_PLACEHOLDER.format(proposal_id=proposal_id, page=page)


def group_link(meetup_id: int, page: str) -> str:
    return GROUP_LINK_PLACEHOLDER.format(meetup_id=meetup_id, page=page)


def review_url(proposal) -> str:
    return absolute(proposal.staff_url())


def group_url(proposal) -> str:
    """The page of the group listed for an approved proposal (the directory if it has
    none). Its slug never changes, so the link keeps working after staff edits."""
    meetup = getattr(proposal, "meetup", None)  # the reverse one-to-one, set on approve
    return absolute(meetup.get_absolute_url() if meetup else reverse("meetups:directory"))


def _proposal_token(proposal_id: int, recipient: str) -> str | None:
    # One query (an organizer of that proposal has this address, as
    # Proposal.has_organizer_email compares them), not two: it runs for every email.
    named = bool(recipient) and (
        Organizer.objects.filter(proposal_id=proposal_id, email__iexact=recipient).exists()
    )
    return issue_access_link(proposal=Proposal(pk=proposal_id)) if named else None


def _group_token(meetup_id: int, page: str, recipient: str) -> str | None:
    """For a recipient who keeps that group's page, or, for "accept", its named successor."""
    if page == "accept":
        handover = (
            Handover.objects.filter(
                meetup_id=meetup_id,
                successor_email__iexact=recipient,
                status=Handover.Status.PENDING,
            )
            .order_by("-pk")
            .first()
        )
        return handover and issue_handover_link(handover=handover)
    contact = GroupContact.objects.filter(meetup_id=meetup_id, email__iexact=recipient).first()
    return contact and issue_group_link(contact=contact)


def fill_private_links(body: str, notification: Notification, *, made: dict) -> str:
    """`body` with every placeholder replaced by a fresh link for the recipient, or by
    "(link not available)" where they are not entitled to one. `made` keeps the tokens made
    for this email (proposal id, or (group id, page)), so the text and HTML bodies share
    them; prepare_links may have made some beforehand."""
    recipient = notification.recipient

    def replace(match):
        proposal_id, proposal_page, meetup_id, group_page = match.groups()
        if proposal_id is not None:
            key = int(proposal_id)
            if key not in made:
                made[key] = _proposal_token(key, recipient)
            name = PROPOSAL_PAGES[proposal_page]
        elif meetup_id is not None:
            key = (int(meetup_id), "accept" if group_page == "accept" else "manage")
            if key not in made:
                made[key] = _group_token(key[0], group_page, recipient)
            name = GROUP_PAGES[group_page]
        else:
            if notification.kind != Kind.MY_DATA_LINK or not recipient:
                return NOT_AVAILABLE
            return absolute(
                reverse("intake:my_data", kwargs={"token": my_data.make_token(recipient)})
            )
        token = made[key]
        if not token:
            return NOT_AVAILABLE
        return absolute(reverse(name, kwargs={"token": token}))

    return PRIVATE_LINK_PATTERN.sub(replace, body)


def prepare_links(rows: list[Notification]) -> dict[int, dict]:
    """The proposal links a batch's emails hold, made together: one query for the
    organizers of the proposals they name and one insert, instead of both per email.
    Returns each row's `made` for fill_private_links: {proposal id: token, or None where the
    recipient is not one of that proposal's organizers (Proposal.has_organizer_email's
    rule)}."""
    named = {
        row.pk: {
            int(match.group(1))
            for body in (row.body_text, row.body_html)
            for match in LINK_PATTERN.finditer(body)
        }
        for row in rows
    }
    wanted = set().union(*named.values())
    emails: dict[int, set[str]] = {}
    if wanted:
        for proposal_id, email in Organizer.objects.filter(proposal_id__in=wanted).values_list(
            "proposal_id", "email"
        ):
            emails.setdefault(proposal_id, set()).add(email.lower())
    made: dict[int, dict] = {}
    links = []
    for row in rows:
        recipient = (row.recipient or "").lower()
        made[row.pk] = {}
        for proposal_id in named[row.pk]:
            if recipient and recipient in emails.get(proposal_id, ()):
                token = secrets.token_urlsafe(32)
                links.append(AccessLink(proposal_id=proposal_id, token_hash=hash_token(token)))
                made[row.pk][proposal_id] = token
            else:
                made[row.pk][proposal_id] = None
    AccessLink.objects.bulk_create(links)
    return made


def without_private_links(body: str, words: str) -> str:
    """A stored body with its placeholders in plain `words` (the outbox page, a download)."""
    return PRIVATE_LINK_PATTERN.sub(words, body)
