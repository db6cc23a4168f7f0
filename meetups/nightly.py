"""The nightly beat task's work on listed groups: every timed lifecycle step that is due.

Each step is done for many groups at once (meetups.lifecycle.run_many, record_many), in
batches of BATCH groups, one transaction each: a handful of queries per batch, so the pass
costs the same few queries per group at 100 or 100,000 groups.

Safe to run twice and at once: each batch locks its groups (the directory first, then the
groups in primary key order), re-reads them under the lock and re-checks each step, and each
step is a history row with a unique key (e.g. "reminder:<due date>:<n>"); a second run finds
the step done or the key taken and sends nothing."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.actors import SYSTEM

from . import lifecycle
from .events import nightly_pass_finished
from .locks import lock_directory
from .models import EventKind, GroupContact, Lifecycle, Meetup

# Groups per transaction: large enough that a batch's fixed queries are shared by many
# groups, small enough that a batch's locks are short and its emails fit in memory.
BATCH = 200


@dataclass
class PassReport:
    opened: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)
    lapsed: list[int] = field(default_factory=list)
    warned: list[int] = field(default_factory=list)
    archived: list[int] = field(default_factory=list)

    def __str__(self):
        return (
            f"{len(self.opened)} check-ins opened, {len(self.reminded)} reminders, "
            f"{len(self.lapsed)} lapsed, {len(self.warned)} warned of archiving, "
            f"{len(self.archived)} archived"
        )


def _batches(queryset):
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        yield pks[start : start + BATCH]


def _step(groups, name: str, *, actor, now) -> list[int]:
    """Timed transition `name` for these locked groups, keyed by the due date it is for."""
    keys = {g.pk: f"{str(name)}:{g.check_in_due_on.isoformat()}" for g in groups}
    changed = lifecycle.run_many(meetups=groups, name=name, actor=actor, keys=keys, now=now)
    return [g.pk for g in changed]


def _with_someone_to_email(groups) -> list:
    """The groups with at least one organizer's address: a reminder or warning to nobody
    is neither sent nor recorded (an imported group nobody has claimed yet)."""
    reachable = set(
        GroupContact.objects.filter(meetup__in=groups)
        .exclude(email="")
        .values_list("meetup_id", flat=True)
    )
    return [g for g in groups if g.pk in reachable]


def _remind(groups, *, today, actor, now) -> list[int]:
    """Reminders on the due date and every CHECK_IN_REMINDER_DAYS after it; a pass that did
    not run for a while sends only the latest one. Only groups with someone to remind."""
    events = []
    for g in _with_someone_to_email(groups):
        number = (today - g.check_in_due_on).days // settings.CHECK_IN_REMINDER_DAYS
        events.append(
            lifecycle.new_event(
                meetup=g,
                kind=EventKind.REMINDER,
                actor=actor,
                details={"number": number},
                key=f"reminder:{g.check_in_due_on.isoformat()}:{number}",
                now=now,
            )
        )
    return [e.meetup_id for e in lifecycle.record_many(events)]


def _warn(groups, *, today, actor, now) -> list[int]:
    """The one warning of a lapsed group's archiving, LAPSED_WARNING_DAYS before its archive
    date (later if the pass did not run then), while that date is still ahead: keyed by the
    day the group lapsed, so each lapse warns once. Only groups with someone to warn."""
    events = []
    for g in _with_someone_to_email(groups):
        archive_on = lifecycle.dates_ahead(g, today=today)["archived_on"]
        if not today < archive_on <= today + timedelta(days=settings.LAPSED_WARNING_DAYS):
            continue
        since = timezone.localdate(g.state_since).isoformat()
        events.append(
            lifecycle.new_event(
                meetup=g,
                kind=EventKind.LAPSED_WARNING,
                actor=actor,
                details={"archived_on": archive_on.isoformat()},
                key=f"lapsed_warning:{since}",
                now=now,
            )
        )
    return [e.meetup_id for e in lifecycle.record_many(events)]


def run_pass(*, actor=SYSTEM, now=None) -> PassReport:
    """Every timed step that is due at `now`, in order: open the check-ins that fall due
    within CHECK_IN_NOTICE_DAYS, remind overdue groups every CHECK_IN_REMINDER_DAYS, mark
    "not confirmed" after CHECK_IN_GRACE_DAYS, warn LAPSED_WARNING_DAYS before the archive
    date, archive after LAPSED_ARCHIVE_DAYS more. A
    group takes at most one step a night, and each state lasts its full period from the
    day the group entered it, so a group the pass has not seen for a while (or an old
    import) is never lapsed or archived without its organizers' full warning."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    notice = timedelta(days=settings.CHECK_IN_NOTICE_DAYS)
    grace = timedelta(days=settings.CHECK_IN_GRACE_DAYS)
    archive_after = grace + timedelta(days=settings.LAPSED_ARCHIVE_DAYS)
    report = PassReport()

    def due(state, last_day):
        return Meetup.objects.filter(lifecycle=state, check_in_due_on__lte=last_day)

    # No group takes more than one step a night: a group that changed state today (in this
    # run, an earlier one, or by someone's action) waits for tomorrow, and each state lasts
    # its period from the day it was entered.
    moved: set[int] = set()

    def still(group) -> bool:
        return group.pk not in moved and timezone.localdate(group.state_since) != today

    def locked(pks, state, last_day):
        # Under the lock, each group is read again: only those still due take the step.
        lock_directory()
        return [
            g
            for g in lifecycle.lock_groups(pks)
            if g.lifecycle == state and g.check_in_due_on <= last_day and still(g)
        ]

    for pks in _batches(due(Lifecycle.ACTIVE, today + notice)):
        with transaction.atomic():
            groups = locked(pks, Lifecycle.ACTIVE, today + notice)
            report.opened += _step(groups, EventKind.OPEN_CHECK_IN, actor=actor, now=now)
    moved.update(report.opened)
    for pks in _batches(due(Lifecycle.CHECK_IN_DUE, today)):
        with transaction.atomic():
            groups = locked(pks, Lifecycle.CHECK_IN_DUE, today)
            overdue = [g for g in groups if today >= g.check_in_due_on + grace]
            waiting = [g for g in groups if today < g.check_in_due_on + grace]
            report.reminded += _remind(waiting, today=today, actor=actor, now=now)
            report.lapsed += _step(overdue, EventKind.LAPSE, actor=actor, now=now)
    moved.update(report.lapsed)
    # Lapsed LAPSED_ARCHIVE_DAYS ago or more (counted from the day it lapsed, however late).
    lapsed_before = timezone.make_aware(
        datetime.combine(today - timedelta(days=settings.LAPSED_ARCHIVE_DAYS - 1), time.min)
    )
    lapsed_long = due(Lifecycle.LAPSED, today - archive_after).filter(state_since__lt=lapsed_before)
    for pks in _batches(lapsed_long):
        with transaction.atomic():
            groups = [
                g
                for g in locked(pks, Lifecycle.LAPSED, today - archive_after)
                if g.state_since < lapsed_before
            ]
            report.archived += _step(groups, EventKind.ARCHIVE, actor=actor, now=now)
    moved.update(report.archived)
    # Still lapsed, its archive date near: the organizers' last word before it.
    lapsed = Meetup.objects.filter(lifecycle=Lifecycle.LAPSED)
    for pks in _batches(lapsed):
        with transaction.atomic():
            groups = locked(pks, Lifecycle.LAPSED, today)
            report.warned += _warn(groups, today=today, actor=actor, now=now)
    with transaction.atomic():
        nightly_pass_finished.send(sender=Meetup, day=today, now=now)
    return report
