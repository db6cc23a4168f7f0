"""Emails about listed groups: each row appended to a group's history (meetups.MeetupEvent)
may send some (notifications.group_plan says which), recorded in the outbox inside the same
transaction (meetups.signals sends the signal there); links to a person's groups; and the
program managers' daily digest and nightly summary. meetups never imports this app; the
receivers here are connected in NotificationsConfig.ready()."""

import uuid
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meetups.models import EventKind, GroupContact, MeetupEvent

from . import emails
from .group_plan import AUTOMATIC, event_rows, staff_page
from .links import absolute, group_link
from .models import Kind, Notification
from .recipients import AddressBook, staff_names


def record_group_event(sender, *, meetup, event, **kwargs) -> list[Notification]:
    return emails.save_rows(event_rows(meetup, event, AddressBook()))


def record_group_events(sender, *, events, **kwargs) -> list[Notification]:
    """The emails of many history rows (the nightly pass, the link check) in a few queries
    whatever their number: the organizers of all their groups read at once, the managers
    once, every row in one INSERT."""
    book = AddressBook.of_groups({event.meetup_id for event in events})
    rows = []
    for event in events:
        rows += event_rows(event.meetup, event, book)
    return emails.save_rows(rows)


def record_group_links(sender, *, email: str, meetups, **kwargs) -> list[Notification]:
    """ "Find my proposal" also sends a link to each group whose page this address keeps."""
    if not meetups:
        return []
    # The name this address keeps a page under (a neutral greeting without one).
    name = (
        GroupContact.objects.filter(email__iexact=email)
        .exclude(name="")
        .order_by("-added_at", "-pk")
        .values_list("name", flat=True)
    )
    return emails.record(
        event_key=f"group-links:{uuid.uuid4().hex}",
        messages=emails.messages(Kind.GROUP_LINKS, named=[email]),
        context={"links": [(m, group_link(m.pk, "manage")) for m in meetups]},
        personal=lambda address: {"greeting_name": name.first() or ""},
    )


def _to_managers(*, kind: str, event_key: str, context: dict) -> list[Notification]:
    """One email to each program manager, greeted by the name on their account."""
    messages = emails.messages(kind)
    names = staff_names(messages[0].addresses)
    return emails.record(
        event_key=event_key,
        messages=messages,
        context={**context, "staff_link": absolute(reverse("meetups:dashboard"))},
        personal=lambda address: {"greeting_name": names.get(address, "")},
    )


# What organizers changed themselves, and what changed about who keeps a page: program
# managers read these once a day, not one email per change.
DIGEST_KINDS = (
    *EventKind.DETAIL_CHANGES,
    EventKind.ORGANIZER_ADDED,
    EventKind.ORGANIZER_REMOVED,
    EventKind.HANDOVER_ACCEPTED,
    EventKind.CHECK_IN,
    EventKind.RETIRE,
)


def _day_bounds(day):
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def record_group_digest(*, now=None) -> list[Notification]:
    """The program managers' digest of yesterday's (local time) changes to groups, one email
    each. Safe to run twice: the event key names the day."""
    now = now or timezone.now()
    day = timezone.localdate(now) - timedelta(days=1)
    start, end = _day_bounds(day)
    events = list(
        MeetupEvent.objects.filter(kind__in=DIGEST_KINDS, created_at__gte=start, created_at__lt=end)
        .select_related("meetup")
        .order_by("meetup__name", "created_at", "pk")
    )
    if not events:
        return []
    return _to_managers(
        kind=Kind.GROUP_DIGEST,
        event_key=f"group-digest:{day.isoformat()}",
        context={
            "name": date_format(day),
            "events": [(event, staff_page(event.meetup)) for event in events],
        },
    )


# The nightly pass's state changes, as the managers' summary groups them.
NIGHTLY_SECTIONS = (
    (EventKind.LAPSE, "Lapsed"),
    (EventKind.ARCHIVE, "Archived"),
    (EventKind.OPEN_CHECK_IN, "Check-in due"),
)


def record_nightly_summary(sender, *, day, **kwargs) -> list[Notification]:
    """One email to each program manager listing every group whose state the nightly pass
    changed on `day` (local date), grouped as lapsed, archived and check-in due, each with
    its staff page. None when nothing changed. Safe to run twice: the event key names the
    day, so a second run finds the summary recorded."""
    start, end = _day_bounds(day)
    events = list(
        MeetupEvent.objects.filter(
            kind__in=[kind for kind, _label in NIGHTLY_SECTIONS],
            actor_label=AUTOMATIC,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("meetup")
        .order_by("meetup__name", "pk")
    )
    if not events:
        return []
    sections = []
    for kind, label in NIGHTLY_SECTIONS:
        groups = [(e.meetup, staff_page(e.meetup)) for e in events if e.kind == kind]
        if groups:
            sections.append((label, groups))
    return _to_managers(
        kind=Kind.GROUP_NIGHTLY_SUMMARY,
        event_key=f"group-nightly:{day.isoformat()}",
        context={"day": day, "sections": sections},
    )
