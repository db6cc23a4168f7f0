"""The outbox's part of people controlling their data (intake.erasure): the emails sent to
an organizer are in their download, and erased with the rest (the rows stay, blanked, so
the outbox's counts keep their shape)."""

from django.db.models import Q
from django.dispatch import receiver

from intake.erasure import personal_data_erased, personal_data_erasing, personal_data_requested
from intake.my_data import my_data_link_requested
from meetups.erasure import group_people_erasing, group_people_requested

from .group_links import GROUP_LINK_PATTERN
from .models import Notification
from .recording import record_data_erased, record_my_data_link
from .rendering import LINK_PATTERN, MY_DATA_PLACEHOLDER

NOT_KEPT = "(private link, not kept)"


def without_private_links(body: str) -> str:
    """An email's text as stored, with its private links' stand-ins in plain words: the
    links themselves are made when an email is sent, and never kept."""
    body = GROUP_LINK_PATTERN.sub(NOT_KEPT, LINK_PATTERN.sub(NOT_KEPT, body))
    return body.replace(MY_DATA_PLACEHOLDER, NOT_KEPT)


def _theirs(proposal, addresses):
    return Notification.objects.filter(Q(proposal=proposal) | Q(recipient__in=addresses))


def _emails_to(addresses) -> list[dict]:
    rows = Notification.objects.filter(recipient__in=addresses).order_by("created_at", "pk")
    return [
        {
            "to": n.recipient,
            "subject": n.subject,
            "body": without_private_links(n.body_text),
            "status": n.status,
            "created_at": n.created_at.isoformat(),
        }
        for n in rows
    ]


def _blank(rows) -> None:
    for pk in list(rows.values_list("pk", flat=True)):
        Notification.objects.filter(pk=pk).update(
            proposal=None,
            event_key=f"erased:{pk}",
            recipient="",
            subject="(erased with its personal data)",
            body_text="",
            body_html="",
            last_error="",
        )


@receiver(personal_data_requested, dispatch_uid="notifications.erasure.download")
def add_emails(sender, *, proposal, into: dict, **kwargs) -> None:
    addresses = [o.email.lower() for o in proposal.organizers.all()]
    addresses += [c["email"] for c in into.get("group", {}).get("people_who_keep_the_page", [])]
    into["emails"] = _emails_to(addresses)


@receiver(personal_data_erasing, dispatch_uid="notifications.erasure.erase")
def erase_emails(sender, *, proposal, addresses, **kwargs) -> None:
    """Blank the emails to these addresses, and staff's copies about the proposal (they
    quote its answers and names)."""
    _blank(_theirs(proposal, addresses))


@receiver(group_people_requested, dispatch_uid="notifications.erasure.group_download")
def add_group_emails(sender, *, meetup, addresses, into: dict, **kwargs) -> None:
    into["emails"] = _emails_to(addresses)


@receiver(group_people_erasing, dispatch_uid="notifications.erasure.group_erase")
def erase_group_emails(sender, *, meetup, addresses, **kwargs) -> None:
    _blank(Notification.objects.filter(recipient__in=addresses))


@receiver(personal_data_erased, dispatch_uid="notifications.erasure.erased")
def tell_organizers(sender, *, proposal, addresses, **kwargs) -> None:
    """Every organizer hears that it happened, whoever asked (or the retention job)."""
    record_data_erased(
        reference=proposal.reference, erased_at=proposal.erased_at, addresses=addresses
    )


@receiver(my_data_link_requested, dispatch_uid="notifications.erasure.my_data_link")
def send_my_data_link(sender, *, email, **kwargs) -> None:
    record_my_data_link(email=email)
