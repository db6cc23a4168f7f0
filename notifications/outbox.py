"""The outbox: handing rows to the task queue, the sweep that re-queues rows left behind,
resending a failed email, and what the outbox pages show."""

import logging
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .delivery import forget_when_finished
from .links import GROUP_LINK_PATTERN, LINK_PATTERN
from .models import Heartbeat, Notification, Status

logger = logging.getLogger(__name__)

# notifications.tasks.deliver's name.
DELIVER_TASK = "notifications.deliver"


def enqueue_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: enqueue(ids))


def enqueue(ids: list[int]) -> int:
    """Hand rows to the task queue; returns how many were handed over. A broker that does
    not answer is logged, not raised: the rows stay pending and the sweep sends them later,
    so the person whose action caused them never sees an error for it."""
    # The task by its registered name: the tasks module runs this one's sweep, so importing
    # it here would make a cycle.
    deliver = current_app.tasks[DELIVER_TASK]
    # A task sends a batch of due rows (notifications.batches), so one task per batch size
    # covers these rows: a task per row mostly found its row sent by an earlier batch, and
    # those empty tasks were half the worker's time. A row another task's batch left out is
    # taken by a later task (each takes a full batch or every due row), else by the sweep.
    # In-process (no broker) a task sends its own row only: one each.
    step = 1 if current_app.conf.task_always_eager else settings.NOTIFICATION_BATCH_SIZE
    handed = 0
    try:
        # One producer (one broker connection) for all of them: a nightly pass hands over
        # thousands of rows, and acquiring one per row costs more than the publishing.
        with current_app.producer_or_acquire() as producer:
            for start in range(0, len(ids), step):
                chunk = ids[start : start + step]
                deliver.apply_async((chunk[0],), producer=producer)
                handed += len(chunk)
    except Exception as exc:  # kombu raises several kinds; any means "not queued"
        # The broker is down: the rest are not tried, so as not to wait for its timeout
        # once per row.
        logger.warning(
            "Could not queue %d notification(s) (%s: %s); the sweep will retry.",
            len(ids) - handed,
            exc.__class__.__name__,
            exc,
        )
    return handed


def sweep(*, limit: int = 500) -> int:
    """Re-queue pending rows that have been due for a while (their task never reached the
    broker, or their worker died), and give up on rows whose attempts are used up. Runs
    every minute in Celery beat. Returns how many rows were queued. Records its heartbeat
    (beat_status reports a sweep that has stopped)."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=SWEEP_HEARTBEAT, defaults={"at": now})
    stale = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS)
    Notification.objects.filter(
        status=Status.PENDING,
        next_attempt_at__lte=stale,
        attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS,
    ).update(
        status=Status.FAILED,
        last_error="The worker stopped during the last attempt, so this email may or may not "
        "have gone out. Resend it if the recipient did not get it.",
    )
    forget_when_finished(Notification.objects.filter(status=Status.FAILED))
    ids = list(
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=stale)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    # Due now, and not swept again for another interval while the queued task waits.
    Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(next_attempt_at=now)
    return enqueue(ids)


def resend(*, notification: Notification) -> bool:
    """Try a failed email, or one whose delivery is unknown, again with a fresh set of
    attempts (same Message-ID). Returns False when the row is neither (someone else resent
    it already)."""
    with transaction.atomic():
        updated = (
            Notification.objects.filter(pk=notification.pk, status__in=Status.RESENDABLE)
            .exclude(recipient="")
            .update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now())
        )
        if updated:
            enqueue_after_commit([notification.pk])
    return bool(updated)


# The sweep's heartbeat is its timed job's (notifications.heartbeats): one row, written by the
# sweep itself whoever runs it, so /healthz's "beat" and "timed_jobs" read the same time.
SWEEP_HEARTBEAT = "job:sweep-notifications"
# A scheduled run counts as stopped after more than this many of its periods (at least a
# minute each) without a run: the one rule for the beat watch and the timed jobs. The sweep
# runs every minute, so beat counts as stopped two minutes after its last sweep.
OVERDUE_PERIODS = 2
SHORTEST_PERIOD = 60


def overdue(*, last: datetime, due: datetime, now: datetime) -> bool:
    """Whether a scheduled run last made at `last`, next due at `due`, has stopped."""
    period = max((due - last).total_seconds(), SHORTEST_PERIOD)
    return (now - last).total_seconds() > OVERDUE_PERIODS * period


def sweep_interval() -> float:
    """Seconds between sweeps, from the beat schedule in settings."""
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-notifications"]["schedule"]
    return schedule.total_seconds() if isinstance(schedule, timedelta) else float(schedule)


# When this process started: a sweep that never ran counts as stopped from then on.
_STARTED_AT = timezone.now()


def beat_status(*, now=None) -> tuple[bool, str]:
    """Whether Celery beat's sweep runs: (ok, detail). Without a broker there is no beat
    (tasks run in-process), so nothing to report."""
    if not settings.REDIS_URL:
        return True, "not configured (tasks run in-process)"
    now = now or timezone.now()
    last = Heartbeat.objects.filter(name=SWEEP_HEARTBEAT).values_list("at", flat=True).first()
    since = last or _STARTED_AT
    age = (now - since).total_seconds()
    if not overdue(last=since, due=since + timedelta(seconds=sweep_interval()), now=now):
        return True, "ok"
    if last is None:
        return False, f"stale: no outbox sweep has run in {int(age)} s (is celery beat running?)"
    return False, f"stale: the last outbox sweep ran {int(age)} s ago (is celery beat running?)"


def display_body(body: str) -> str:
    """A stored body as the outbox shows it: placeholders instead of private links."""
    body = LINK_PATTERN.sub("[private link, made when the email is sent]", body)
    return GROUP_LINK_PATTERN.sub("[private link, made when the email is sent]", body)


def status_counts() -> dict[str, int]:
    counts = dict(Notification.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value in Status.values}


def listed(*, status: str = "", search: str = ""):
    """The outbox's rows, newest first, with `status` and those whose recipient, proposal
    (reference or name) or subject holds `search`; bodies left unread."""
    rows = Notification.objects.select_related("proposal").defer("body_text", "body_html")
    if status:
        rows = rows.filter(status=status)
    search = search.strip()
    if search:
        rows = rows.filter(
            Q(recipient__icontains=search)
            | Q(proposal__reference__icontains=search)
            | Q(proposal__name__icontains=search)
            | Q(subject__icontains=search)
        )
    return rows
