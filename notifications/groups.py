"""Emails about listed groups: each row appended to a group's history (meetups.MeetupEvent)
may send some, recorded in the outbox inside the same transaction (meetups.events sends the
signal there). meetups never imports this app; these receivers are connected in
NotificationsConfig.ready().

Private group links: see notifications.group_links."""

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meetups.events import (
    group_links_requested,
    meetup_event_recorded,
    meetup_events_recorded,
    nightly_pass_finished,
)
from meetups.lifecycle import dates_ahead
from meetups.models import GroupContact, Lifecycle, MeetupEvent
from meetups.stewardship import told_of_changes

from .group_links import GROUP_LINK_PLACEHOLDER
from .models import Kind, Notification
from .recipients import MANAGER, ORGANIZER, _clean_addresses, manager_addresses
from .recording import rows_for, save_rows, staff_names
from .rendering import absolute


def organizer_addresses(meetup) -> list[str]:
    return _clean_addresses(meetup.contacts.values_list("email", flat=True))


def organizer_names(meetup) -> dict[str, str]:
    """The name to greet each organizer's address by, as they keep it on the group's page."""
    return {
        email.strip().lower(): name
        for email, name in meetup.contacts.values_list("email", "name")
        if name
    }


class _Addresses:
    """The addresses an event's messages go to, each list read once when first needed:
    the organizers of a group (or of many groups, read in one query) and the managers."""

    def __init__(self, contacts_by_group: dict[int, list[tuple[str, str]]] | None = None):
        self._contacts = contacts_by_group or {}
        self._managers = None
        self._manager_names = None

    @classmethod
    def of_groups(cls, meetup_ids) -> "_Addresses":
        by_group = {pk: [] for pk in meetup_ids}
        contacts = GroupContact.objects.filter(meetup_id__in=by_group).order_by(
            "meetup_id", "position", "id"
        )
        for meetup_id, email, name in contacts.values_list("meetup_id", "email", "name"):
            by_group[meetup_id].append((email.strip().lower(), name))
        return cls(by_group)

    def _people(self, meetup) -> list[tuple[str, str]]:
        if meetup.pk not in self._contacts:
            self._contacts[meetup.pk] = [
                (email.strip().lower(), name)
                for email, name in meetup.contacts.values_list("email", "name")
            ]
        return self._contacts[meetup.pk]

    def engaged(self, meetup) -> list[str]:
        """Organizers, less those another organizer added who have neither agreed to be
        named nor opened the group's page (meetups.stewardship.told_of_changes)."""
        rows = told_of_changes(meetup)
        return _clean_addresses(rows.values_list("email", flat=True))

    def organizers(self, meetup) -> list[str]:
        return _clean_addresses(email for email, _name in self._people(meetup))

    def managers(self) -> list[str]:
        if self._managers is None:
            self._managers = manager_addresses()
        return self._managers

    def names(self, meetup) -> dict[str, str]:
        """The name to greet each address by: organizers as they keep the page, staff by
        their account's name."""
        if self._manager_names is None:
            self._manager_names = staff_names(self.managers())
        return {**self._manager_names, **dict(self._people(meetup))}


def _others(meetup, event, addresses: _Addresses) -> list[str]:
    """The group's organizers other than the author of `event` (who knows what they did).
    Not people an organizer added who have neither agreed nor opened the page: each save
    would otherwise carry an organizer's text to addresses they typed (an attack run sent 48
    emails from 6 saves)."""
    author = event.actor_label.removeprefix("Organizer ")
    engaged = set(addresses.engaged(meetup))
    others = [a for a, name in addresses._people(meetup) if name != author and a in engaged]
    return _clean_addresses(others)


def _plan(meetup, event, addresses: _Addresses) -> list[tuple[str, str, list[str]]]:
    """Which messages an event sends: [(kind, audience, addresses)], first naming wins."""
    organizers = addresses.organizers(meetup)
    details = event.details or {}
    both = lambda kind: [(kind, ORGANIZER, organizers), (kind, MANAGER, addresses.managers())]  # noqa: E731
    # A check-in opening and its reminders are the organizers' to act on; managers follow
    # them on the groups' health page (a copy of every yearly notice was forty emails a year
    # for a council of forty groups, and five reminders each). What the nightly pass changes
    # (check-ins opened, lapses, archiving) reaches managers in one summary a night
    # (record_nightly_summary), not one email per group.
    nightly = event.actor_label == "Automatic"
    if event.kind == "open_check_in":
        return [(Kind.GROUP_CHECK_IN, ORGANIZER, organizers)]
    if event.kind == "reminder":
        return [(Kind.GROUP_REMINDER, ORGANIZER, organizers)]
    if event.kind == "lapse":
        return [(Kind.GROUP_LAPSED, ORGANIZER, organizers)] if nightly else both(Kind.GROUP_LAPSED)
    if event.kind == "lapsed_warning":
        return [(Kind.GROUP_LAPSED_WARNING, ORGANIZER, organizers)]
    if event.kind == "archive" and nightly:
        return [(Kind.GROUP_ARCHIVED, ORGANIZER, organizers)]
    if event.kind in ("archive", "retire"):
        return both(Kind.GROUP_ARCHIVED)
    if event.kind == "check_in":
        if event.from_state in (Lifecycle.LAPSED, Lifecycle.ARCHIVED):
            return both(Kind.GROUP_ACTIVE)
        return [(Kind.GROUP_ACTIVE, ORGANIZER, organizers)]
    if event.kind in ("extend", "restore"):
        return [(Kind.GROUP_ACTIVE, ORGANIZER, organizers)]
    if event.kind == "handover_offered":
        return [(Kind.GROUP_HANDOVER, ORGANIZER, _clean_addresses([details.get("email")]))]
    if event.kind == "handover_accepted":
        former = _clean_addresses([details.get("former_email")])
        return [
            (Kind.GROUP_HANDED_OVER, ORGANIZER, former + organizers),
            (Kind.GROUP_HANDED_OVER, MANAGER, addresses.managers()),
        ]
    if event.kind == "handover_cancelled":
        # The successor named, and the organizer who offered it (staff may have cancelled).
        people = _clean_addresses([details.get("email"), details.get("from_email")])
        return [(Kind.GROUP_HANDOVER_CANCELLED, ORGANIZER, people)]
    if event.kind == "organizer_removed":
        # Past the per-address limit the removed person is not emailed (meetups.stewardship).
        removed = [] if details.get("notice_withheld") else _clean_addresses([details.get("email")])
        return [(Kind.GROUP_ORGANIZER_REMOVED, ORGANIZER, removed + organizers)]
    if event.kind == "name_declined":
        # They said no to being named and left: the organizers who remain are told.
        return [(Kind.GROUP_ORGANIZER_REMOVED, ORGANIZER, _others(meetup, event, addresses))]
    if event.kind in ("edit", "revert"):
        # The other organizers hear of a change to what the public reads; its author knows.
        return [(Kind.GROUP_EDITED, ORGANIZER, _others(meetup, event, addresses))]
    # A new organizer gets their link; the other organizers hear who added whom, so an
    # address nobody knows (a removed organizer's second one) can be removed.
    if event.kind in ("invited", "organizer_added"):
        new_person = _clean_addresses([details.get("email")])
        if event.kind == "invited":
            messages = [(Kind.GROUP_INVITATION, ORGANIZER, new_person)]
            if not details.get("added"):
                return messages  # an invitation sent again: nobody new
        else:
            messages = [(Kind.GROUP_WELCOME, ORGANIZER, new_person)]
        # Past the group's or an address's daily limit, not that address
        # (meetups.stewardship.add_organizer counts each notice).
        withheld = set(
            _clean_addresses(
                meetup.contacts.filter(
                    pk__in=details.get("notice_withheld_from") or []
                ).values_list("email", flat=True)
            )
        )
        told = [a for a in _others(meetup, event, addresses) if a not in withheld]
        return messages + [(Kind.GROUP_ORGANIZER_ADDED, ORGANIZER, told)]
    if event.kind == "link_broken":
        return both(Kind.GROUP_LINK_BROKEN)
    return []  # the rest: in the history and on the staff pages


def _render(*, kind: str, audience: str, context: dict) -> tuple[str, str, str]:
    # The subject is a template beside the bodies (notifications/email/<kind>_subject.txt).
    context = {
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "contact_email": settings.PROGRAM_CONTACT_EMAIL,
        **context,
    }
    subject = render_to_string(f"notifications/email/{kind}_subject.txt", context)
    subject = f"{settings.PROGRAM_NAME}: {subject}"
    subject = " ".join(subject.split())[:300]  # one line: a group name cannot add headers
    context = {**context, "subject": subject, "kind": kind, "staff_reader": audience != ORGANIZER}
    template = f"notifications/email/group_{audience}"
    text = render_to_string(f"{template}.txt", context).strip() + "\n"
    html = render_to_string(f"{template}.html", context)
    return subject, text, html


def _rows(*, event_key: str, messages, context: dict, personal=None) -> list[Notification]:
    """Unsaved outbox rows for one event's messages, the first message naming an address
    winning. `personal(address)` is what the email says to that person alone (their name,
    whether they are the one removed or handing over): one rendering per distinct one."""
    rows, taken = [], set()
    for kind, audience, addresses in messages:
        addresses = [a for a in addresses if a not in taken]
        if not addresses:
            continue
        rendered, by_address = {}, {}
        for address in addresses:
            extra = personal(address) if personal else {}
            key = tuple(sorted(extra.items()))
            if key not in rendered:
                rendered[key] = _render(kind=kind, audience=audience, context={**context, **extra})
            by_address[address] = rendered[key]
        taken.update(addresses)
        rows += rows_for(
            event_key=event_key,
            kind=kind,
            proposal=None,
            audience=audience,
            rendered_by_address=by_address,
        )
    return rows


def _record(*, event_key: str, messages, context: dict, personal=None) -> list[Notification]:
    # The event key and recipient are unique together: an event never emails anyone twice.
    rows = _rows(event_key=event_key, messages=messages, context=context, personal=personal)
    return save_rows(rows)


def _link(meetup_id: int, page: str) -> str:
    return GROUP_LINK_PLACEHOLDER.format(meetup_id=meetup_id, page=page)


def note_author(event) -> str:
    """Who wrote an event's note, to credit it: the organizer by name, the staff member by
    their account's name, else the program."""
    if event.actor_label.startswith("Organizer "):
        return event.actor_label.removeprefix("Organizer ")
    if event.actor_label not in ("Automatic", "Staff", "Unknown", ""):
        return event.actor_label
    return settings.PROGRAM_NAME


def _event_context(meetup, event) -> dict:
    return {
        "note_by": note_author(event),
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "contact_email": getattr(settings, "PROGRAM_CONTACT_EMAIL", ""),
        "name": meetup.name,
        "has_public_description": bool(meetup.description.strip()),
        "event": event.kind,
        # The nightly pass archives a group whose check-in lapsed; staff archive by hand.
        "automatic": event.actor_label == "Automatic",
        "from_state": event.from_state,
        "note": event.note,
        "details": event.details or {},
        "page_link": absolute(meetup.get_absolute_url()),
        "staff_link": absolute(reverse("meetups:staff_group", kwargs={"slug": meetup.slug})),
        "manage_link": _link(meetup.pk, "manage"),
        "check_in_link": _link(meetup.pk, "check-in"),
        "accept_link": _link(meetup.pk, "accept"),
        # The public page's "write to the organizers" form, when the group takes messages:
        # the way to reach organizers whose addresses a reader cannot see.
        "write_link": absolute(reverse("meetups:write", kwargs={"slug": meetup.slug}))
        if meetup.is_listed and meetup.accepts_messages
        else "",
        # The dates ahead as of the event, not of the moment the email is rendered.
        **dates_ahead(meetup, today=timezone.localdate(event.created_at)),
    }


def _event_rows(meetup, event, addresses: _Addresses) -> list[Notification]:
    messages = _plan(meetup, event, addresses)
    if not messages:
        return []
    context = _event_context(meetup, event)
    names = addresses.names(meetup)
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

    return _rows(
        event_key=f"group-event:{event.pk}", messages=messages, context=context, personal=personal
    )


@receiver(meetup_event_recorded, dispatch_uid="notifications.groups.record_group_event")
def record_group_event(sender, *, meetup, event, **kwargs) -> list[Notification]:
    rows = _event_rows(meetup, event, _Addresses())
    return save_rows(rows)


@receiver(meetup_events_recorded, dispatch_uid="notifications.groups.record_group_events")
def record_group_events(sender, *, events, **kwargs) -> list[Notification]:
    """The emails of many history rows (the nightly pass, the link check) in a few queries
    whatever their number: the organizers of all their groups read at once, the managers
    once, every row in one INSERT."""
    addresses = _Addresses.of_groups({event.meetup_id for event in events})
    rows = []
    for event in events:
        rows += _event_rows(event.meetup, event, addresses)
    return save_rows(rows)


@receiver(group_links_requested, dispatch_uid="notifications.groups.record_group_links")
def record_group_links(sender, *, email: str, meetups, **kwargs) -> list[Notification]:
    """ "Find my proposal" also sends a link to each group whose page this address keeps."""
    if not meetups:
        return []
    context = {
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "links": [(m, _link(m.pk, "manage")) for m in meetups],
    }
    # The name this address keeps a page under (a neutral greeting without one).
    name = (
        GroupContact.objects.filter(email__iexact=email)
        .exclude(name="")
        .order_by("-added_at", "-pk")
        .values_list("name", flat=True)
    )
    return _record(
        event_key=f"group-links:{uuid.uuid4().hex}",
        messages=[(Kind.GROUP_LINKS, ORGANIZER, _clean_addresses([email]))],
        context=context,
        personal=lambda address: {"greeting_name": name.first() or ""},
    )


# What organizers changed themselves, and what changed about who keeps a page: program
# managers read these once a day, not one email per change.
DIGEST_KINDS = (
    "edit",
    "revert",
    "organizer_added",
    "organizer_removed",
    "handover_accepted",
    "check_in",
    "retire",
)


def record_group_digest(*, now=None) -> list[Notification]:
    """The program managers' digest of yesterday's (local time) changes to groups, one email
    each. Safe to run twice: the event key names the day."""
    now = now or timezone.now()
    day = timezone.localdate(now) - timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time.min))
    events = list(
        MeetupEvent.objects.filter(
            kind__in=DIGEST_KINDS, created_at__gte=start, created_at__lt=start + timedelta(days=1)
        )
        .select_related("meetup")
        .order_by("meetup__name", "created_at", "pk")
    )
    if not events:
        return []
    context = {
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "name": date_format(day),
        "events": [
            (
                event,
                absolute(reverse("meetups:staff_group", kwargs={"slug": event.meetup.slug})),
            )
            for event in events
        ],
        "staff_link": absolute(reverse("meetups:dashboard")),
    }
    managers = manager_addresses()
    names = staff_names(managers)
    return _record(
        event_key=f"group-digest:{day.isoformat()}",
        messages=[(Kind.GROUP_DIGEST, MANAGER, managers)],
        context=context,
        personal=lambda address: {"greeting_name": names.get(address, "")},
    )


# The nightly pass's state changes, as the managers' summary groups them.
NIGHTLY_SECTIONS = (("lapse", "Lapsed"), ("archive", "Archived"), ("open_check_in", "Check-in due"))


@receiver(nightly_pass_finished, dispatch_uid="notifications.groups.record_nightly_summary")
def record_nightly_summary(sender, *, day, **kwargs) -> list[Notification]:
    """One email to each program manager listing every group whose state the nightly pass
    changed on `day` (local date), grouped as lapsed, archived and check-in due, each with
    its staff page. None when nothing changed. Safe to run twice: the event key names the
    day, so a second run finds the summary recorded."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    events = list(
        MeetupEvent.objects.filter(
            kind__in=[kind for kind, _label in NIGHTLY_SECTIONS],
            actor_label="Automatic",
            created_at__gte=start,
            created_at__lt=start + timedelta(days=1),
        )
        .select_related("meetup")
        .order_by("meetup__name", "pk")
    )
    if not events:
        return []
    sections = []
    for kind, label in NIGHTLY_SECTIONS:
        groups = [
            (
                e.meetup,
                absolute(reverse("meetups:staff_group", kwargs={"slug": e.meetup.slug})),
            )
            for e in events
            if e.kind == kind
        ]
        if groups:
            sections.append((label, groups))
    context = {
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "day": day,
        "sections": sections,
        "staff_link": absolute(reverse("meetups:dashboard")),
    }
    managers = manager_addresses()
    names = staff_names(managers)
    return _record(
        event_key=f"group-nightly:{day.isoformat()}",
        messages=[(Kind.GROUP_NIGHTLY_SUMMARY, MANAGER, managers)],
        context=context,
        personal=lambda address: {"greeting_name": names.get(address, "")},
    )
