"""The outbox's part of people controlling their data (intake.erasure): the emails sent to
an organizer are in their download, and erased with the rest (the rows stay, blanked, so
the outbox's counts keep their shape)."""

from django.db.models import Q

from . import links
from .models import Notification
from .recording import record_data_erased, record_my_data_link

NOT_KEPT = "(private link, not kept)"


def without_private_links(body: str) -> str:
    """An email's text as stored, with its private links' stand-ins in plain words: the
    links themselves are made when an email is sent, and never kept."""
    return links.without_private_links(body, NOT_KEPT)


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


def blank(rows, *, subject: str = "(erased with its personal data)") -> None:
    """Keep `rows` as a count only: no recipient, proposal or words. The event key changes
    too: one event's blanked rows must stay distinct."""
    for pk in list(rows.values_list("pk", flat=True)):
        Notification.objects.filter(pk=pk).update(
            proposal=None,
            event_key=f"erased:{pk}",
            recipient="",
            subject=subject,
            body_text="",
            body_html="",
            last_error="",
        )


def add_emails(sender, *, proposal, into: dict, **kwargs) -> None:
    addresses = [o.email.lower() for o in proposal.organizers.all()]
    addresses += [c["email"] for c in into.get("group", {}).get("people_who_keep_the_page", [])]
    into["emails"] = _emails_to(addresses)


def erase_emails(sender, *, proposal, addresses, **kwargs) -> None:
    """Blank the emails to these addresses, and staff's copies about the proposal (they
    quote its answers and names)."""
    blank(_theirs(proposal, addresses))


def add_group_emails(sender, *, meetup, addresses, into: dict, **kwargs) -> None:
    into["emails"] = _emails_to(addresses)


def erase_group_emails(sender, *, meetup, addresses, **kwargs) -> None:
    blank(Notification.objects.filter(recipient__in=addresses))


def tell_organizers(sender, *, proposal, addresses, **kwargs) -> None:
    """Every organizer hears that it happened, whoever asked (or the retention job)."""
    record_data_erased(
        reference=proposal.reference, erased_at=proposal.erased_at, addresses=addresses
    )


def send_my_data_link(sender, *, email, **kwargs) -> None:
    record_my_data_link(email=email)
