"""The timed jobs, runnable three ways: by Celery beat (settings.CELERY_BEAT_SCHEDULE, with a
broker), by cron through one management command each (a deployment without beat), or by the
small scheduler `make run` starts beside the development server (`manage.py run_scheduler`).
Every job is safe to run twice, or twice at once. Each run, whichever way, records when it
ended (a Heartbeat named `job:<name>`): /healthz and the outbox page show it, and a job
whose runs have stopped makes /healthz say so."""

import copy
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery.schedules import crontab
from celery.signals import task_postrun
from django.conf import settings
from django.utils import timezone

from meetups import linkcheck, nightly

from . import groups, outbox, reminders
from .models import Heartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_PREFIX = "job:"


@dataclass(frozen=True)
class Job:
    name: str  # its key in CELERY_BEAT_SCHEDULE
    command: str  # its management command
    about: str
    run: Callable[[], object]


# In the order they are listed on /healthz and the outbox page.
JOBS = {
    job.name: job
    for job in (
        Job(
            "sweep-notifications",
            "sweep_outbox",
            "queues again emails whose sending stalled",
            outbox.sweep,
        ),
        Job(
            "send-reminders",
            "send_reminders",
            "reminders, warnings and automatic steps for proposals and drafts",
            reminders.send_reminders,
        ),
        Job("send-digests", "send_digests", "the staff's weekly digests", reminders.send_digests),
        Job(
            "group-lifecycle",
            "lifecycle_pass",
            "the nightly pass over listed groups' check-ins",
            nightly.run_pass,
        ),
        Job(
            "group-digest",
            "group_digest",
            "the daily digest of group changes",
            groups.record_group_digest,
        ),
        Job(
            "group-link-check",
            "check_links",
            "the weekly check of groups' web addresses",
            linkcheck.check_links,
        ),
    )
}
_BY_TASK = {settings.CELERY_BEAT_SCHEDULE[name]["task"]: name for name in JOBS}


def register(job: Job) -> None:
    """A timed job of an app above this one (reports), added from its AppConfig.ready(): it
    then runs, is recorded and shows on /healthz like the others. Its key must be in
    CELERY_BEAT_SCHEDULE, as every job's is."""
    JOBS[job.name] = job
    _BY_TASK[settings.CELERY_BEAT_SCHEDULE[job.name]["task"]] = job.name


def schedule_of(name: str):
    """The job's schedule as Celery beat has it: seconds, or a crontab."""
    return settings.CELERY_BEAT_SCHEDULE[name]["schedule"]


def mark_run(name: str, *, now: datetime.datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(
        name=f"{HEARTBEAT_PREFIX}{name}", defaults={"at": now or timezone.now()}
    )


def run_job(name: str) -> object:
    """Run one job now, in this process, and record that it ran."""
    result = JOBS[name].run()
    mark_run(name)
    return result


@task_postrun.connect(dispatch_uid="notifications.jobs.heartbeat")
def _beat_ran_a_job(task=None, state=None, **kwargs):
    """A job Celery beat queued has run in a worker: record it as the commands do."""
    name = _BY_TASK.get(getattr(task, "name", ""))
    if name and state == "SUCCESS":
        mark_run(name)


def last_runs() -> dict[str, datetime.datetime | None]:
    found = dict(
        Heartbeat.objects.filter(name__startswith=HEARTBEAT_PREFIX).values_list("name", "at")
    )
    return {name: found.get(f"{HEARTBEAT_PREFIX}{name}") for name in JOBS}


def next_due(name: str, *, last: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    """When the job is next due after a run at `last`, by its beat schedule."""
    every = schedule_of(name)
    if isinstance(every, (int, float)):
        return last + datetime.timedelta(seconds=every)
    every = copy.copy(every)
    every.nowfun = lambda: now  # the caller's clock, not the wall's (tests, a late check)
    return now + every.remaining_estimate(last)


def is_due(name: str, *, last: datetime.datetime | None, started: datetime.datetime, now) -> bool:
    """Whether the scheduler should run the job now. Never run: an interval job at once, a
    job at set times (a crontab) at its next time after the scheduler started, as beat."""
    if last is None:
        if not isinstance(schedule_of(name), crontab):
            return True
        last = started
    return next_due(name, last=last, now=now) <= now


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{int(seconds)} s ago"
    if seconds < 7200:
        return f"{int(seconds // 60)} min ago"
    if seconds < 172800:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


def status(*, now: datetime.datetime | None = None) -> list[dict]:
    """Each job's last run, and whether it is overdue: more than two of its periods without a
    run (outbox.overdue, the rule the beat watch uses too: a scheduler, beat or cron that
    stopped)."""
    now = now or timezone.now()
    rows = []
    for name, last in last_runs().items():
        overdue = False
        if last is not None:
            overdue = outbox.overdue(last=last, due=next_due(name, last=last, now=now), now=now)
        rows.append(
            {
                "name": name,
                "command": JOBS[name].command,
                "about": JOBS[name].about,
                "last": last,
                "ago": _ago((now - last).total_seconds()) if last else "",
                "overdue": overdue,
            }
        )
    return rows


def health() -> tuple[bool, str]:
    """For /healthz: each job's last run; not ok when one has stopped running."""
    rows = status()
    detail = "; ".join(
        f"{row['name']}: "
        + (f"last run {row['ago']}" if row["last"] else "never run")
        + (" (overdue)" if row["overdue"] else "")
        for row in rows
    )
    return not any(row["overdue"] for row in rows), detail
