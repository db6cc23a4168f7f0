"""A listed group's life after approval: active -> check_in_due -> lapsed -> archived, and
back to active by an organizer's check-in or a program manager.

`GROUP_LIFE` describes the machine to the one transition runner (common.transitions):
`run_transition` is the only code that changes `Meetup.lifecycle` (in one database
transaction it locks the group, checks the transition's source, permission and conditions,
runs it, saves, appends the history row and announces it: meetups.events; notifications
records the emails in the same transaction). `record` appends the history rows that are not
state changes.

`run_many` and `record_many` do the same for many groups at once, in one transaction, with
one UPDATE, one INSERT and one announcement (meetups.events.meetup_events_recorded): the
nightly pass (meetups.nightly) and the link check use them, so their queries per group stay
a small constant however many groups there are. Every function takes `now`, so tests walk
a group through years without waiting."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common import transitions
from common.transitions import Refused

from .cache import mark_directory_changed
from .events import meetup_event_recorded, meetup_events_recorded
from .locks import lock_directory
from .models import (
    LIFECYCLE_CONDITION_MESSAGES,
    LIFECYCLE_TRANSITIONS,
    EventKind,
    Lifecycle,
    Meetup,
    MeetupEvent,
    add_months,
)

# Transitions whose conditions read other groups' names: they take the directory's lock.
_NAME_CHECKED = (EventKind.CHECK_IN, EventKind.RESTORE)


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


def check_in_answered(meetup: Meetup) -> bool:
    """Whether the group's check-in is answered until the next one opens: it is active and
    the last change to its state was an organizer's check-in (the nightly pass opening the
    next one, staff extending or restoring it, make the form available again)."""
    if meetup.lifecycle != Lifecycle.ACTIVE:
        return False
    last = (
        MeetupEvent.objects.filter(meetup=meetup, kind__in=EventKind.TRANSITIONS)
        .order_by("-created_at", "-pk")
        .values_list("kind", flat=True)
        .first()
    )
    return last == EventKind.CHECK_IN


def check_extension(due_on, *, today, current=None) -> None:
    """Refuse a new check-in date in the past or beyond a normal check-in period (a typo
    would otherwise archive the group, or forget it for years), or not after the group's
    `current` check-in date (extending never shortens the time a group has)."""
    _first, last = extension_window(today, current=current)
    if due_on < today:
        raise Refused(
            _("The new check-in date %(date)s is in the past: choose a date from today on.")
            % {"date": date_format(due_on)}
        )
    if due_on > last:
        raise Refused(
            _("The new check-in date can be at most %(months)s months ahead, until %(date)s.")
            % {"months": settings.CHECK_IN_MONTHS, "date": date_format(last)}
        )
    if current is not None and due_on <= current:
        raise Refused(
            _(
                "Extending means a later date: the check-in is due on %(current)s already. "
                "Choose a date after it."
            )
            % {"current": date_format(current)}
        )


def _set_dates(meetup: Meetup, name: str, *, now, due_on, automatic: bool) -> None:
    today = timezone.localdate(now)
    meetup.state_since = now  # every transition starts the period of the state it enters
    if name == EventKind.OPEN_CHECK_IN:
        # A check-in opened late (an old import, a pass that did not run) is due today at
        # the earliest: its grace is counted from then, and no email names a past date.
        meetup.check_in_due_on = max(meetup.check_in_due_on, today)
    elif name == EventKind.CHECK_IN:
        meetup.last_confirmed_at = now
        # Answered early, the year counts from the due date: answering a month early does
        # not shorten the next cycle by a month. Late (or archived), it counts from today.
        base = max(today, meetup.check_in_due_on or today)
        meetup.check_in_due_on = add_months(base, settings.CHECK_IN_MONTHS)
    elif name == EventKind.RESTORE:
        meetup.check_in_due_on = add_months(today, settings.CHECK_IN_MONTHS)
    elif name == EventKind.EXTEND:
        meetup.check_in_due_on = due_on or add_months(today, settings.CHECK_IN_MONTHS)
    elif name == EventKind.ARCHIVE:
        meetup.archived_automatically = automatic


# The fields a lifecycle transition and _set_dates may change (and updated_at).
_LIFECYCLE_FIELDS = (
    "lifecycle",
    "state_since",
    "is_listed",
    "archived_automatically",
    "check_in_due_on",
    "last_confirmed_at",
)


def _lock_first(name: str) -> None:
    if name in _NAME_CHECKED:
        lock_directory()


def _check_new_date(step: transitions.Step) -> None:
    due_on = step.options.get("due_on")
    if step.name == EventKind.EXTEND and due_on is not None:
        today = timezone.localdate(step.options["now"])
        check_extension(due_on, today=today, current=step.obj.check_in_due_on)


def _settle(step: transitions.Step) -> None:
    _set_dates(
        step.obj,
        step.name,
        now=step.options["now"],
        due_on=step.options.get("due_on"),
        automatic=bool(step.actor.system),
    )


def _row(step: transitions.Step) -> dict:
    return {
        "meetup": step.obj,
        "kind": step.name,
        "actor": step.actor,
        "note": step.note,
        "details": step.options.get("details"),
        "key": step.options.get("key"),
        "from_state": step.from_state,
        "to_state": step.obj.lifecycle,
        "actor_label": step.options.get("actor_label"),
        "now": step.options["now"],
    }


GROUP_LIFE = transitions.Machine(
    model=Meetup,
    field="lifecycle",
    names=LIFECYCLE_TRANSITIONS,
    lock=lock_group,
    record=lambda step: record(**_row(step)),
    title=lambda meetup: meetup.name,
    condition_messages=LIFECYCLE_CONDITION_MESSAGES,
    lock_first=_lock_first,
    prepare=_check_new_date,
    settle=_settle,
    batch=transitions.Batch(
        fields=_LIFECYCLE_FIELDS,
        keys_taken=keys_taken,
        new_row=lambda step: new_event(**_row(step)),
        append_many=_append_many,
        # A queryset update sends no post_save (meetups.signals).
        after_update=lambda changed: mark_directory_changed(),
    ),
)


def available_transitions(*, meetup: Meetup, actor) -> list[str]:
    """The transitions this actor may take now (source, permission and conditions met)."""
    return transitions.available(GROUP_LIFE, obj=meetup, actor=actor)


def run_transition(
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
    """Run lifecycle transition `name` for `actor` (common.actors.Actor: the system, an
    organizer through the private link, or a program manager) through the one runner.
    Raises Refused and changes nothing when it cannot happen. Returns the saved group."""
    return transitions.perform(
        GROUP_LIFE,
        obj=meetup,
        name=name,
        actor=actor,
        note=note,
        details=details,
        due_on=due_on,
        key=key,
        actor_label=actor_label,
        now=now or timezone.now(),
    )


def run_many(*, meetups: list[Meetup], name: str, actor, keys: dict[int, str], now=None):
    """`run_transition` for many groups at once, for the beat schedule's timed steps
    (common.transitions.perform_many): in the caller's transaction, on groups it has locked
    (lock_directory first, then lock_groups, the order every change to groups takes).
    Returns the groups changed."""
    return transitions.perform_many(
        GROUP_LIFE, objs=meetups, name=name, actor=actor, keys=keys, now=now or timezone.now()
    )
