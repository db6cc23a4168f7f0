"""The timed jobs' registry: each app declares its own jobs in its `jobs.py`, registered from
its AppConfig.ready(), with the Celery task beat queues in its `tasks.py` and a command in its
`management/commands/` (a JobCommand). A job runs three ways: by Celery beat
(settings.CELERY_BEAT_SCHEDULE, with a broker), by cron through its command, or by the small
scheduler `make run` starts (notifications.scheduler). Every job is safe to run twice, or
twice at once. Each run, whichever way, ends with `signals.job_ran`, which notifications
records as the job's heartbeat (`job:<name>`) for /healthz and the outbox page."""

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand
from django.utils import timezone

from .signals import job_ran


@dataclass(frozen=True)
class Job:
    name: str  # its key in CELERY_BEAT_SCHEDULE
    command: str  # its management command
    about: str
    run: Callable[[], object]


# Every app's jobs, kept in the order of CELERY_BEAT_SCHEDULE: the order /healthz, the outbox
# page and the scheduler list them in, whichever app registered first.
JOBS: dict[str, Job] = {}


def register(*jobs: Job) -> None:
    """Add an app's jobs (from its AppConfig.ready()). Each must have its beat entry."""
    order = list(settings.CELERY_BEAT_SCHEDULE)
    for job in jobs:
        if job.name not in order:
            raise ImproperlyConfigured(f"Timed job {job.name!r} has no CELERY_BEAT_SCHEDULE entry")
        JOBS[job.name] = job
    for name in sorted(JOBS, key=order.index):  # the same dict, reordered in place
        JOBS[name] = JOBS.pop(name)


def run(name: str, *, clock: Callable[[], datetime.datetime] = timezone.now) -> object:
    """Run one job now, in this process, and announce that it ran."""
    result = JOBS[name].run()
    job_ran.send(sender=Job, name=name, at=clock())
    return result


def record_beat_run(task=None, state=None, **kwargs) -> None:
    """Celery's task_postrun (connected in CommonConfig.ready()): a job beat queued has run in
    a worker, so it is announced as the commands' runs are."""
    task_name = getattr(task, "name", "")
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        if entry["task"] == task_name and name in JOBS and state == "SUCCESS":
            job_ran.send(sender=Job, name=name, at=timezone.now())


def schedule_of(name: str):
    """The job's schedule as Celery beat has it: seconds, or a crontab."""
    return settings.CELERY_BEAT_SCHEDULE[name]["schedule"]


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


class JobCommand(BaseCommand):
    """What every timed job's command is: run the job once, now, in this process, and record
    the run. Safe from cron: each job is safe to run twice or at once."""

    job = ""  # a key of JOBS

    @property
    def help(self):
        return f"Run {JOBS[self.job].about} once, now (safe from cron)."

    def handle(self, *args, **options):
        result = run(self.job)
        self.stdout.write(f"{self.job}: {result}")
