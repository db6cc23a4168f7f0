"""A listed group's life after approval: active -> check_in_due -> lapsed -> archived, and
back to active by an organizer's check-in or a program manager.

`perform` is the only code that changes `Meetup.lifecycle`: in one database transaction it
locks the group, checks the transition's source, permission and conditions, runs it, saves,
appends the history row and announces it (meetups.events; notifications records the emails
in the same transaction). `record` appends the history rows that are not state changes.

`run_pass` is the nightly beat task's work. It is safe to run twice and at once: each timed
step re-checks the group under its lock, and each reminder is a history row with a unique
key ("reminder:<due date>:<n>"), so a second run finds it taken and sends nothing.
Every function takes `now`, so tests walk a group through years without waiting."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import can_proceed

from .events import meetup_event_recorded
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


def dates_ahead(meetup: Meetup) -> dict:
    """The dates of the steps ahead for a group's current check-in date."""
    due = meetup.check_in_due_on
    if due is None:
        return {}
    lapses = due + timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    return {
        "due_on": due,
        "notice_on": due - timedelta(days=settings.CHECK_IN_NOTICE_DAYS),
        "lapses_on": lapses,
        "archived_on": lapses + timedelta(days=settings.LAPSED_ARCHIVE_DAYS),
    }


def lock_group(pk: int) -> Meetup:
    """The group, locked until the caller's transaction ends."""
    if not connection.features.has_select_for_update:
        # SQLite: a write first takes the database's write lock, waiting its turn (see
        # meetups.locks); the row then reads as the previous writer left it.
        Meetup.objects.filter(pk=pk).update(updated_at=F("updated_at"))
    return Meetup.objects.select_for_update().get(pk=pk)


def record(
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
) -> MeetupEvent | None:
    """Append one history row and announce it, in the caller's transaction. With `key`,
    returns None and records nothing when the group already has a row with that key."""
    event = MeetupEvent(
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


def _set_dates(meetup: Meetup, name: str, *, now, due_on, automatic: bool) -> None:
    today = timezone.localdate(now)
    if name == "check_in":
        meetup.last_confirmed_at = now
        meetup.check_in_due_on = add_months(today, settings.CHECK_IN_MONTHS)
    elif name == "restore":
        meetup.check_in_due_on = add_months(today, settings.CHECK_IN_MONTHS)
    elif name == "extend":
        meetup.check_in_due_on = due_on or add_months(today, settings.CHECK_IN_MONTHS)
    elif name == "archive":
        meetup.archived_automatically = automatic


# The nightly pass


@dataclass
class PassReport:
    opened: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)
    lapsed: list[int] = field(default_factory=list)
    archived: list[int] = field(default_factory=list)

    def __str__(self):
        return (
            f"{len(self.opened)} check-ins opened, {len(self.reminded)} reminders, "
            f"{len(self.lapsed)} lapsed, {len(self.archived)} archived"
        )


def _timed_step(pk: int, name: str, *, due_on, actor, now) -> bool:
    """One timed transition, keyed by the due date it is for; False when it was not ours
    (done already, or the group changed: checked in, extended, archived)."""
    key = f"{name}:{due_on.isoformat()}"
    with transaction.atomic():
        locked = lock_group(pk)
        if locked.check_in_due_on != due_on or locked.history.filter(key=key).exists():
            return False
        try:
            perform(meetup=locked, name=name, actor=actor, key=key, now=now)
        except LifecycleNotAvailable:
            return False  # checked in, extended or archived since the group was selected
        return True


def _remind(pk: int, *, due_on, number: int, actor, now) -> bool:
    with transaction.atomic():
        locked = lock_group(pk)
        if locked.lifecycle != Lifecycle.CHECK_IN_DUE or locked.check_in_due_on != due_on:
            return False
        event = record(
            meetup=locked,
            kind="reminder",
            actor=actor,
            details={"number": number},
            key=f"reminder:{due_on.isoformat()}:{number}",
            now=now,
        )
        return event is not None


def run_pass(*, actor=SYSTEM, now=None) -> PassReport:
    """Every timed step that is due at `now`, in order, each in its own transaction: open
    the check-ins that fall due within CHECK_IN_NOTICE_DAYS, remind overdue groups every
    CHECK_IN_REMINDER_DAYS, mark "not confirmed" after CHECK_IN_GRACE_DAYS, archive after
    LAPSED_ARCHIVE_DAYS more."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    grace = timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    archive_after = grace + timedelta(days=settings.LAPSED_ARCHIVE_DAYS)
    report = PassReport()
    notice = timedelta(days=settings.CHECK_IN_NOTICE_DAYS)
    # One query finds every group with a step due; each step then takes its own transaction.
    due_now = (
        Meetup.objects.filter(
            Q(lifecycle=Lifecycle.ACTIVE, check_in_due_on__lte=today + notice)
            | Q(lifecycle=Lifecycle.CHECK_IN_DUE, check_in_due_on__lte=today)
            | Q(lifecycle=Lifecycle.LAPSED, check_in_due_on__lte=today - archive_after)
        )
        .order_by("check_in_due_on", "pk")
        .values_list("pk", "lifecycle", "check_in_due_on")
    )
    for pk, state, due in due_now:
        # A group the pass has not seen for a while catches up in one night, in order.
        if state == Lifecycle.ACTIVE:
            if not _timed_step(pk, "open_check_in", due_on=due, actor=actor, now=now):
                continue
            report.opened.append(pk)
            state = Lifecycle.CHECK_IN_DUE
        if state == Lifecycle.CHECK_IN_DUE and due <= today:
            if today < due + grace:
                # Reminders on the due date and every CHECK_IN_REMINDER_DAYS after it; a pass
                # that did not run for a while sends only the latest one.
                number = (today - due).days // settings.CHECK_IN_REMINDER_DAYS
                if _remind(pk, due_on=due, number=number, actor=actor, now=now):
                    report.reminded.append(pk)
                continue
            if not _timed_step(pk, "lapse", due_on=due, actor=actor, now=now):
                continue
            report.lapsed.append(pk)
            state = Lifecycle.LAPSED
        if (
            state == Lifecycle.LAPSED
            and due <= today - archive_after
            and _timed_step(pk, "archive", due_on=due, actor=actor, now=now)
        ):
            report.archived.append(pk)
    return report
