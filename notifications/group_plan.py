"""Which emails a row of a group's history (meetups.MeetupEvent) sends, to whom, and what
they say: `event_rows` gives its unsaved outbox rows (notifications.groups records them)."""

from django.conf import settings
from django.utils import timezone

from meetups.lifecycle import dates_ahead
from meetups.models import EventKind, Lifecycle

from . import emails
from .emails import Message
from .links import absolute, group_link
from .models import Kind, Notification
from .recipients import (
    ORGANIZER,
    AddressBook,
    clean_addresses,
    contact_addresses,
    other_organizers,
)

AUTOMATIC = "Automatic"


def _to_organizers(kind: str, addresses: list[str]) -> list[Message]:
    return [Message(kind, ORGANIZER, addresses)]


def plan(meetup, event, book: AddressBook) -> list[Message]:
    """Which messages an event sends, first naming an address wins."""
    details = event.details or {}

    def everyone(kind):  # every audience of the kind (notifications.kinds)
        return emails.messages(kind, meetup=meetup, book=book)

    def organizers(kind):
        return emails.messages(kind, audiences=[ORGANIZER], meetup=meetup, book=book)

    # A check-in opening and its reminders are the organizers' to act on; managers follow
    # them on the groups' health page (a copy of every yearly notice was forty emails a year
    # for a council of forty groups, and five reminders each). What the nightly pass changes
    # (check-ins opened, lapses, archiving) reaches managers in one summary a night
    # (groups.record_nightly_summary), not one email per group.
    nightly = event.actor_label == AUTOMATIC
    kind = event.kind
    if kind == EventKind.OPEN_CHECK_IN:
        return organizers(Kind.GROUP_CHECK_IN)
    if kind == EventKind.REMINDER:
        return organizers(Kind.GROUP_REMINDER)
    if kind == EventKind.LAPSE:
        return organizers(Kind.GROUP_LAPSED) if nightly else everyone(Kind.GROUP_LAPSED)
    if kind == EventKind.LAPSED_WARNING:
        return organizers(Kind.GROUP_LAPSED_WARNING)
    if kind == EventKind.ARCHIVE and nightly:
        return organizers(Kind.GROUP_ARCHIVED)
    if kind in (EventKind.ARCHIVE, EventKind.RETIRE):
        return everyone(Kind.GROUP_ARCHIVED)
    if kind == EventKind.CHECK_IN:
        if event.from_state in (Lifecycle.LAPSED, Lifecycle.ARCHIVED):
            return everyone(Kind.GROUP_ACTIVE)
        return organizers(Kind.GROUP_ACTIVE)
    if kind in (EventKind.EXTEND, EventKind.RESTORE):
        return organizers(Kind.GROUP_ACTIVE)
    if kind == EventKind.HANDOVER_OFFERED:
        return emails.messages(Kind.GROUP_HANDOVER, named=[details.get("email")])
    if kind == EventKind.HANDOVER_ACCEPTED:
        # The organizer who handed over hears it first, as the one it is about.
        former = clean_addresses([details.get("former_email")])
        handed_over = everyone(Kind.GROUP_HANDED_OVER)
        handed_over[0].addresses = former + handed_over[0].addresses
        return handed_over
    if kind == EventKind.HANDOVER_CANCELLED:
        # The successor named, and the organizer who offered it (staff may have cancelled).
        named = [details.get("email"), details.get("from_email")]
        return emails.messages(Kind.GROUP_HANDOVER_CANCELLED, named=named)
    if kind == EventKind.ORGANIZER_REMOVED:
        # Past the per-address limit the removed person is not emailed (meetups.stewardship).
        removed = [] if details.get("notice_withheld") else clean_addresses([details.get("email")])
        removal = organizers(Kind.GROUP_ORGANIZER_REMOVED)
        removal[0].addresses = removed + removal[0].addresses
        return removal
    if kind == EventKind.NAME_DECLINED:
        # They said no to being named and left: the organizers who remain are told.
        return _to_organizers(Kind.GROUP_ORGANIZER_REMOVED, other_organizers(meetup, event, book))
    if kind in EventKind.DETAIL_CHANGES:
        # The other organizers hear of a change to what the public reads; its author knows.
        return _to_organizers(Kind.GROUP_EDITED, other_organizers(meetup, event, book))
    # A new organizer gets their link; the other organizers hear who added whom, so an
    # address nobody knows (a removed organizer's second one) can be removed.
    if kind in (EventKind.INVITED, EventKind.ORGANIZER_ADDED):
        new_person = [details.get("email")]
        if kind == EventKind.INVITED:
            messages = emails.messages(Kind.GROUP_INVITATION, named=new_person)
            if not details.get("added"):
                return messages  # an invitation sent again: nobody new
        else:
            messages = emails.messages(Kind.GROUP_WELCOME, named=new_person)
        # Past the group's or an address's daily limit, not that address
        # (meetups.stewardship.add_organizer counts each notice).
        withheld = set(contact_addresses(meetup, details.get("notice_withheld_from") or []))
        told = [a for a in other_organizers(meetup, event, book) if a not in withheld]
        return messages + _to_organizers(Kind.GROUP_ORGANIZER_ADDED, told)
    if kind == EventKind.LINK_BROKEN:
        return everyone(Kind.GROUP_LINK_BROKEN)
    return []  # the rest: in the history and on the staff pages


def note_author(event) -> str:
    """Who wrote an event's note, to credit it: the organizer by name, the staff member by
    their account's name, else the program."""
    if event.actor_label.startswith("Organizer "):
        return event.actor_label.removeprefix("Organizer ")
    if event.actor_label not in (AUTOMATIC, "Staff", "Unknown", ""):
        return event.actor_label
    return settings.PROGRAM_NAME


def staff_page(meetup) -> str:
    return absolute(meetup.staff_url())


def event_context(meetup, event) -> dict:
    return {
        "note_by": note_author(event),
        "name": meetup.name,
        "has_public_description": bool(meetup.description.strip()),
        "event": event.kind,
        # The nightly pass archives a group whose check-in lapsed; staff archive by hand.
        "automatic": event.actor_label == AUTOMATIC,
        "from_state": event.from_state,
        "note": event.note,
        "details": event.details or {},
        "page_link": absolute(meetup.get_absolute_url()),
        "staff_link": staff_page(meetup),
        "manage_link": group_link(meetup.pk, "manage"),
        "check_in_link": group_link(meetup.pk, "check-in"),
        "accept_link": group_link(meetup.pk, "accept"),
        # The public page's "write to the organizers" form, when the group takes messages:
        # the way to reach organizers whose addresses a reader cannot see.
        "write_link": absolute(meetup.write_url())
        if meetup.is_listed and meetup.accepts_messages
        else "",
        # The dates ahead as of the event, not of the moment the email is rendered.
        **dates_ahead(meetup, today=timezone.localdate(event.created_at)),
    }


def event_rows(meetup, event, book: AddressBook) -> list[Notification]:
    """The unsaved outbox rows of one history row's emails."""
    messages = plan(meetup, event, book)
    if not messages:
        return []
    context = event_context(meetup, event)
    names = book.group_names(meetup)
    details = event.details or {}
    # The people an event is about, who may no longer keep the page: the organizer who
    # handed over, the person removed, the successor named.
    own = {}
    if details.get("former_email"):
        own[details["former_email"].strip().lower()] = ("former", details.get("from_name", ""))
    if details.get("email"):
        name = details.get("to_name") or details.get("name", "")
        own[details["email"].strip().lower()] = ("subject", name)

    # The organizer who did it, when one did: an email to them says "You …", not their name.
    actor_name = (
        event.actor_label.removeprefix("Organizer ")
        if event.actor_label.startswith("Organizer ")
        else ""
    )

    def personal(address):
        role, name = own.get(address, (None, ""))
        return {
            "greeting_name": name or names.get(address, ""),
            "former": role == "former",
            "is_subject": role == "subject",
            "is_actor": bool(actor_name) and role is None and names.get(address) == actor_name,
        }

    return emails.build_rows(
        event_key=f"group-event:{event.pk}", messages=messages, context=context, personal=personal
    )
