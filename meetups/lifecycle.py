"""A listed group's life after approval: active -> check_in_due -> lapsed -> archived, and
back to active by an organizer's check-in or a program manager.

`perform` is the only code that changes `Meetup.lifecycle`: in one database transaction it
locks the group, checks the transition's source, permission and conditions, runs it, saves,
appends the history row and announces it (meetups.events; notifications records the emails
in the same transaction). `record` appends the history rows that are not state changes.

`perform_many` and `record_many` do the same for many groups at once, in one transaction,
with one UPDATE, one INSERT and one announcement (meetups.events.meetup_events_recorded):
the nightly pass (meetups.nightly) and the link check use them, so their queries per group
stay a small constant however many groups there are. Every function takes `now`, so tests
walk a group through years without waiting."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from .cache import mark_directory_changed
from .events import meetup_event_recorded, meetup_events_recorded
from .locks import lock_directory
from .models import (
    LIFECYCLE_CONDITION_MESSAGES,
    LIFECYCLE_TRANSITIONS,
    Lifecycle,
    Meetup,
    MeetupEvent,
    add_months,
)


@dataclass(frozen=True)
class Automatic:
    """The beat schedule, acting on its own (the actor protocol accounts.roles.Actor also
    follows: system, organizer, is_program_manager, user, label)."""

    system: bool = True
    organizer: bool = False
    is_program_manager: bool = False
    user: object = None
    label: str = "Automatic"


SYSTEM = Automatic()


class LifecycleError(Exception):
    """A change that cannot happen. The message is written for the person who tried."""


class LifecycleForbidden(LifecycleError):
    pass


class LifecycleNotAvailable(LifecycleError):
    pass


# Transitions whose conditions read other groups' names: they take the directory's lock.
_NAME_CHECKED = ("check_in", "restore")


def transition_meta(name: str) -> dict:
    for t in getattr(Meetup, name)._django_fsm.transitions.values():
        return t.custom
    return {}


def extension_window(today, *, current=None) -> tuple:
    """The first and last dates a program manager may extend a check-in to: not in the past
    (the pass would take the next step that night) and after the `current` check-in date
    (extending never shortens the time a group has), and no more than a normal check-in
    period beyond that first date. Counted from the first date, not from today, so the
    range is never empty: a group approved or imported today is due a full period ahead."""
    first = today
    if current is not None:
        first = max(first, current + timedelta(days=1))
    return first, add_months(first, settings.CHECK_IN_MONTHS)


def dates_ahead(meetup: Meetup, *, today=None) -> dict:
    """The dates of the steps ahead for a group, as its emails and pages name them. Each
    state lasts at least its period from the day the group entered it: "not confirmed
    recently" CHECK_IN_GRACE_DAYS after the due date (never before the day the check-in
    opened, see _set_dates), archived LAPSED_ARCHIVE_DAYS after the day it lapsed. A step
    already behind the group is left out, so no email names a date already past."""
    due = meetup.check_in_due_on
    if due is None:
        return {}
    today = today or timezone.localdate()
    grace = timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    keep_lapsed = timedelta(days=settings.LAPSED_ARCHIVE_DAYS)
    if meetup.lifecycle == Lifecycle.LAPSED:
        lapses = None
        archived = timezone.localdate(meetup.state_since) + keep_lapsed
    else:
        # The pass lapses a group on the first night on or after due + grace: that date
        # stays put from one reminder to the next (counting from today moved it later in
        # each email, past the day the group then lapsed), and is never a day already past.
        lapses = max(due + grace, today)
        archived = lapses + keep_lapsed
    notice = due - timedelta(days=settings.CHECK_IN_NOTICE_DAYS)
    return {
        "due_on": due if due >= today else None,
        "notice_on": notice if notice > today and meetup.lifecycle == Lifecycle.ACTIVE else None,
        "lapses_on": lapses,
        "archived_on": max(archived, today + timedelta(days=1)),
    }


def lock_group(pk: int) -> Meetup:
    """The group, locked until the caller's transaction ends."""
    if not connection.features.has_select_for_update:
        # SQLite: a write first takes the database's write lock, waiting its turn (see
        # meetups.locks); the row then reads as the previous writer left it.
        Meetup.objects.filter(pk=pk).update(updated_at=F("updated_at"))
    return Meetup.objects.select_for_update().get(pk=pk)


def lock_groups(pks) -> list[Meetup]:
    """These groups, locked until the caller's transaction ends, in primary key order: two
    callers lock them in the same order, so neither waits for the other in a cycle."""
    pks = sorted(pks)
    if not connection.features.has_select_for_update:
        Meetup.objects.filter(pk__in=pks).update(updated_at=F("updated_at"))
    return list(Meetup.objects.select_for_update().filter(pk__in=pks).order_by("pk"))


def keys_taken(keys: dict[int, str]) -> set[int]:
    """Which of these groups ({pk: key}) already have a history row with their key."""
    if not keys:
        return set()
    rows = MeetupEvent.objects.filter(meetup_id__in=keys, key__in=set(keys.values()))
    return {pk for pk, key in rows.values_list("meetup_id", "key") if keys.get(pk) == key}


def new_event(
    *,
    meetup: Meetup,
    kind: str,
    actor,
    note: str = "",
    details: dict | None = None,
    key: str | None = None,
    from_state: str = "",
    to_state: str = "",
    actor_label: str | None = None,
    now=None,
) -> MeetupEvent:
    """An unsaved history row."""
    return MeetupEvent(
        meetup=meetup,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=getattr(actor, "user", None),
        actor_label=actor_label or actor.label,
        note=note,
        details=details,
        key=key,
        created_at=now or timezone.now(),
    )


def record(*, meetup: Meetup, key: str | None = None, **fields) -> MeetupEvent | None:
    """Append one history row (new_event's arguments) and announce it, in the caller's
    transaction. With `key`, returns None and records nothing when the group already has a
    row with that key."""
    event = new_event(meetup=meetup, key=key, **fields)
    if key is not None:
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            return None  # done already, by an earlier run or another worker
    else:
        event.save()
    meetup_event_recorded.send(sender=Meetup, meetup=meetup, event=event)
    return event


def record_many(events: list[MeetupEvent]) -> list[MeetupEvent]:
    """`record` for many groups at once (unsaved rows from new_event, at most one a group):
    in the caller's transaction, on groups it has locked. A row whose key its group already
    has is left out; the others are appended in one INSERT and announced at once. Returns
    the rows recorded."""
    keys = {event.meetup_id: event.key for event in events if event.key is not None}
    taken = keys_taken(keys)
    events = [e for e in events if e.key is None or e.meetup_id not in taken]
    _append_many(events)
    return events


def _append_many(events: list[MeetupEvent]) -> None:
    """One INSERT and one announcement; the unique key still refuses a second row."""
    if events:
        MeetupEvent.objects.bulk_create(events)
        meetup_events_recorded.send(sender=Meetup, events=events)


def _unmet(meetup: Meetup, name: str) -> list[str]:
    t = getattr(meetup, name)._django_fsm.get_transition(meetup.lifecycle)
    if t is None:
        return []
    return [
        LIFECYCLE_CONDITION_MESSAGES.get(c, c.__name__.replace("_", " "))
        for c in t.conditions
        if not c(meetup)
    ]


def available(*, meetup: Meetup, actor) -> list[str]:
    """The transitions this actor may take now (source, permission and conditions met)."""
    result = []
    for name in LIFECYCLE_TRANSITIONS:
        method = getattr(meetup, name)
        meta = method._django_fsm
        if can_proceed(method) and meta.has_transition_perm(meetup, meetup.lifecycle, actor):
            result.append(name)
    return result


def perform(
    *,
    meetup: Meetup,
    name: str,
    actor,
    note: str = "",
    details: dict | None = None,
    due_on=None,
    key: str | None = None,
    actor_label: str | None = None,
    now=None,
) -> Meetup:
    """Run lifecycle transition `name` for `actor` (accounts.roles.Actor: the system, an
    organizer through the private link, or a program manager). Raises LifecycleError and
    changes nothing when it cannot happen. Returns the saved group."""
    if name not in LIFECYCLE_TRANSITIONS:
        raise LifecycleNotAvailable(f"There is no action called {name!r}.")
    now = now or timezone.now()
    note = (note or "").strip()
    meta = transition_meta(name)
    with transaction.atomic():
        if name in _NAME_CHECKED:
            lock_directory()
        locked = lock_group(meetup.pk)
        method = getattr(locked, name)
        if not can_proceed(method, check_conditions=False):
            raise LifecycleNotAvailable(
                f"{locked.name} is {locked.get_lifecycle_display().lower()}, so it cannot be "
                f"{meta['past']}."
            )
        if not method._django_fsm.has_transition_perm(locked, locked.lifecycle, actor):
            raise LifecycleForbidden(f"You may not {meta['label'].lower()} {locked.name}.")
        unmet = _unmet(locked, name)
        if unmet:
            raise LifecycleNotAvailable(
                f"{locked.name} cannot be {meta['past']}: " + "; ".join(unmet) + "."
            )
        if meta.get("note_required") and not note:
            raise LifecycleError("Write a note: it is required for this.")
        if name == "extend" and due_on is not None:
            check_extension(due_on, today=timezone.localdate(now), current=locked.check_in_due_on)
        from_state = locked.lifecycle
        method()
        _set_dates(locked, name, now=now, due_on=due_on, automatic=bool(actor.system))
        locked.save()
        meetup_event = record(
            meetup=locked,
            kind=name,
            actor=actor,
            note=note,
            details=details,
            key=key,
            from_state=from_state,
            to_state=locked.lifecycle,
            actor_label=actor_label,
            now=now,
        )
        if meetup_event is None:
            # A timed step whose key is taken: another run did it. Nothing changes.
            transaction.set_rollback(True)
    return locked


def check_in_answered(meetup: Meetup) -> bool:
    """Whether the group's check-in is answered until the next one opens: it is active and
    the last change to its state was an organizer's check-in (the nightly pass opening the
    next one, staff extending or restoring it, make the form available again)."""
    if meetup.lifecycle != Lifecycle.ACTIVE:
        return False
    last = (
        MeetupEvent.objects.filter(meetup=meetup, kind__in=LIFECYCLE_TRANSITIONS)
        .order_by("-created_at", "-pk")
        .values_list("kind", flat=True)
        .first()
    )
    return last == "check_in"


def check_extension(due_on, *, today, current=None) -> None:
    """Refuse a new check-in date in the past or beyond a normal check-in period (a typo
    would otherwise archive the group, or forget it for years), or not after the group's
    `current` check-in date (extending never shortens the time a group has)."""
    _first, last = extension_window(today, current=current)
    if due_on < today:
        raise LifecycleError(
            _("The new check-in date %(date)s is in the past: choose a date from today on.")
            % {"date": date_format(due_on)}
        )
    if due_on > last:
        raise LifecycleError(
            _("The new check-in date can be at most %(months)s months ahead, until %(date)s.")
            % {"months": settings.CHECK_IN_MONTHS, "date": date_format(last)}
        )
    if current is not None and due_on <= current:
        raise LifecycleError(
            _(
                "Extending means a later date: the check-in is due on %(current)s already. "
                "Choose a date after it."
            )
            % {"current": date_format(current)}
        )


def _set_dates(meetup: Meetup, name: str, *, now, due_on, automatic: bool) -> None:
    today = timezone.localdate(now)
    meetup.state_since = now  # every transition starts the period of the state it enters
    if name == "open_check_in":
        # A check-in opened late (an old import, a pass that did not run) is due today at
        # the earliest: its grace is counted from then, and no email names a past date.
        meetup.check_in_due_on = max(meetup.check_in_due_on, today)
    elif name == "check_in":
        meetup.last_confirmed_at = now
        # Answered early, the year counts from the due date: answering a month early does
        # not shorten the next cycle by a month. Late (or archived), it counts from today.
        base = max(today, meetup.check_in_due_on or today)
        meetup.check_in_due_on = add_months(base, settings.CHECK_IN_MONTHS)
    elif name == "restore":
        meetup.check_in_due_on = add_months(today, settings.CHECK_IN_MONTHS)
    elif name == "extend":
        meetup.check_in_due_on = due_on or add_months(today, settings.CHECK_IN_MONTHS)
    elif name == "archive":
        meetup.archived_automatically = automatic


# The fields a lifecycle transition and _set_dates may change (and updated_at).
_LIFECYCLE_FIELDS = [
    "lifecycle",
    "state_since",
    "is_listed",
    "archived_automatically",
    "check_in_due_on",
    "last_confirmed_at",
]


def perform_many(*, meetups: list[Meetup], name: str, actor, keys: dict[int, str], now=None):
    """`perform` for many groups at once, for the beat schedule's timed steps: in the
    caller's transaction, on groups it has locked (lock_directory first, then lock_groups,
    the order every change to groups takes). A group for which the step is not available
    now (source or conditions) is left out, not refused; `keys` ({pk: key}) name each
    group's step, and a group whose key is taken is left out too. One UPDATE, one INSERT
    and one announcement for all. Returns the groups changed."""
    now = now or timezone.now()
    if transition_meta(name).get("note_required"):
        raise LifecycleError(f"{name} needs a note: use perform.")
    taken = keys_taken(keys)
    changed, events = [], []
    for meetup in meetups:
        method = getattr(meetup, name)
        if meetup.pk in taken or not can_proceed(method, check_conditions=False):
            continue
        if not method._django_fsm.has_transition_perm(meetup, meetup.lifecycle, actor):
            raise LifecycleForbidden(f"You may not {transition_meta(name)['label'].lower()}.")
        if _unmet(meetup, name):
            continue
        from_state = meetup.lifecycle
        method()
        _set_dates(meetup, name, now=now, due_on=None, automatic=bool(actor.system))
        changed.append(meetup)
        events.append(
            new_event(
                meetup=meetup,
                kind=name,
                actor=actor,
                key=keys.get(meetup.pk),
                from_state=from_state,
                to_state=meetup.lifecycle,
                now=now,
            )
        )
    if changed:
        # A timed step leaves its groups alike (the same state, flags and dates changed the
        # same way): one UPDATE per set of values, usually one in all, where bulk_update
        # would build a CASE per field and row.
        alike = defaultdict(list)
        for meetup in changed:
            alike[tuple(getattr(meetup, f) for f in _LIFECYCLE_FIELDS)].append(meetup.pk)
        for values, pks in alike.items():
            Meetup.objects.filter(pk__in=pks).update(
                **dict(zip(_LIFECYCLE_FIELDS, values, strict=True)), updated_at=timezone.now()
            )
        mark_directory_changed()  # a queryset update sends no post_save (meetups.signals)
        _append_many(events)  # their keys were checked above, before the groups changed
    return changed
