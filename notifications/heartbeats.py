"""When each timed job last ran (common.jobs), kept as a Heartbeat named `job:<name>`, and what
/healthz and the outbox page make of it: a job whose runs have stopped is overdue."""

import datetime

from django.utils import timezone

from common import jobs

from . import outbox
from .models import Heartbeat

HEARTBEAT_PREFIX = "job:"


def mark_run(name: str, *, now: datetime.datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(
        name=f"{HEARTBEAT_PREFIX}{name}", defaults={"at": now or timezone.now()}
    )


def record_run(sender, *, name: str, at: datetime.datetime, **kwargs) -> None:
    """common.signals.job_ran (connected in NotificationsConfig.ready()): a job ran, by a
    command, the scheduler or a Celery worker."""
    mark_run(name, now=at)


def last_runs() -> dict[str, datetime.datetime | None]:
    found = dict(
        Heartbeat.objects.filter(name__startswith=HEARTBEAT_PREFIX).values_list("name", "at")
    )
    return {name: found.get(f"{HEARTBEAT_PREFIX}{name}") for name in jobs.JOBS}


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
            due = jobs.next_due(name, last=last, now=now)
            overdue = outbox.overdue(last=last, due=due, now=now)
        rows.append(
            {
                "name": name,
                "command": jobs.JOBS[name].command,
                "about": jobs.JOBS[name].about,
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
