"""Issue 23: with no broker, every timed job still runs: each has a management command safe
from cron, and `make run` starts a scheduler that runs them on their beat schedule; each
run is recorded, shown on /healthz and on the outbox page. The clock is controlled."""

import dataclasses
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command

from common import jobs
from notifications import heartbeats
from notifications.scheduler import Scheduler

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def ran(monkeypatch):
    """Each job replaced by one that notes it ran (and one that fails, when asked)."""
    calls = []
    for name, job in list(jobs.JOBS.items()):
        monkeypatch.setitem(
            jobs.JOBS, name, dataclasses.replace(job, run=lambda name=name: calls.append(name))
        )
    return calls


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


def test_every_beat_entry_is_a_job_with_its_command():
    assert set(jobs.JOBS) == set(settings.CELERY_BEAT_SCHEDULE)
    for job in jobs.JOBS.values():
        call_command(job.command)  # the real job, on an empty site: runs, and again
        call_command(job.command)
    assert all(last is not None for last in heartbeats.last_runs().values())


def test_the_scheduler_runs_each_job_on_its_schedule(ran):
    clock = Clock(datetime.datetime(2030, 1, 7, 5, 0, tzinfo=NEW_YORK))  # a Monday
    scheduler = Scheduler(clock=clock, log=lambda line: None)
    # Jobs that run every so often start at once; those at set times wait for them.
    assert scheduler.run_due() == ["sweep-notifications", "send-reminders", "send-digests"]
    clock.at += datetime.timedelta(seconds=30)
    assert scheduler.run_due() == []
    clock.at += datetime.timedelta(seconds=31)
    assert scheduler.run_due() == ["sweep-notifications"]
    clock.at = datetime.datetime(2030, 1, 7, 6, 0, 5, tzinfo=NEW_YORK)
    assert "group-lifecycle" in scheduler.run_due()
    assert "group-lifecycle" not in scheduler.run_due()  # once a night
    clock.at = datetime.datetime(2030, 1, 7, 7, 0, 5, tzinfo=NEW_YORK)
    assert "group-digest" in scheduler.run_due()
    # Another scheduler (a restart) reads the recorded runs: nothing runs twice.
    again = Scheduler(clock=clock, log=lambda line: None)
    assert "group-digest" not in again.run_due() and "group-lifecycle" not in again.run_due()
    assert ran.count("group-lifecycle") == 1


def test_a_failing_job_waits_for_its_next_time_and_the_others_run(monkeypatch, ran):
    def broken():
        raise RuntimeError("mail server on fire")

    job = jobs.JOBS["send-reminders"]
    monkeypatch.setitem(jobs.JOBS, "send-reminders", dataclasses.replace(job, run=broken))
    clock = Clock(datetime.datetime(2030, 1, 7, 5, 0, tzinfo=NEW_YORK))
    scheduler = Scheduler(clock=clock, log=lambda line: None)
    assert scheduler.run_due() == ["sweep-notifications", "send-digests"]
    clock.at += datetime.timedelta(seconds=61)
    assert scheduler.run_due() == ["sweep-notifications"]  # not reminders again yet
    assert heartbeats.last_runs()["send-reminders"] is None


def test_healthz_and_the_outbox_show_the_last_runs(client, ran):
    now = datetime.datetime.now(tz=datetime.UTC)
    heartbeats.mark_run("sweep-notifications", now=now - datetime.timedelta(seconds=20))
    heartbeats.mark_run("group-lifecycle", now=now - datetime.timedelta(hours=3))
    health = client.get("/healthz").json()
    # Seconds pass while the page is made: read the figure, not one exact string.
    ago = re.search(r"sweep-notifications: last run (\d+) s ago", health["timed_jobs"])
    assert ago and 20 <= int(ago.group(1)) < 120
    assert "group-lifecycle: last run 3 h ago" in health["timed_jobs"]
    assert "group-link-check: never run" in health["timed_jobs"]

    # The sweep stopped ten minutes ago: overdue, and /healthz says the site is degraded.
    heartbeats.mark_run("sweep-notifications", now=now - datetime.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "sweep-notifications: last run 10 min ago (overdue)" in response.json()["timed_jobs"]

    from tests import factories

    client.force_login(factories.staff_user(role="manager"))
    page = client.get("/reviews/outbox/").content.decode()
    assert "Timed jobs: when each last ran" in page
    assert "manage.py lifecycle_pass" in page and "last run 3 h ago" in page
    assert "(overdue: is its scheduler running?)" in page


def test_a_job_beat_runs_in_a_worker_is_recorded_too(settings):
    from meetups.tasks import lifecycle_pass

    lifecycle_pass.apply()
    assert heartbeats.last_runs()["group-lifecycle"] is not None
