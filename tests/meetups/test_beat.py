"""The beat schedule's group tasks, run by a real Celery beat and worker over Redis against
PostgreSQL: the nightly lifecycle pass and the weekly link check."""

import threading
import time

import pytest
from celery.beat import Service
from django.utils import timezone

from config.celery import app
from meetups.models import Lifecycle, LinkCheck, Meetup
from tests import factories
from tests.meetups.helpers import gone_url
from tests.notifications.test_worker import _role_groups, running_worker  # noqa: F401

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_for(condition, *, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_beat_and_a_worker_run_the_lifecycle_pass_and_the_link_check(tmp_path, settings):
    settings.CHECK_IN_GRACE_DAYS, settings.LAPSED_ARCHIVE_DAYS = 60, 90
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"meetups.lifecycle_pass", "meetups.check_links"} <= tasks
    with gone_url() as url:
        overdue = factories.meetup(
            url=url,
            check_in_due_on=timezone.localdate() - timezone.timedelta(days=100),
        )
        # Active for a year: a group that entered its state today waits for tomorrow.
        Meetup.objects.filter(pk=overdue.pk).update(
            state_since=timezone.now() - timezone.timedelta(days=365)
        )
        # The settings' own entries, fired every second instead of nightly and weekly.
        saved = app.conf.beat_schedule
        app.conf.beat_schedule = {
            name: {**entry, "schedule": 1.0}
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
            if entry["task"].startswith("meetups.")
        }
        beat = Service(app, max_interval=1, schedule_filename=str(tmp_path / "beat-schedule"))
        thread = threading.Thread(target=beat.start, daemon=True)
        try:
            with running_worker():
                thread.start()
                assert _wait_for(
                    lambda: (
                        Meetup.objects.get(pk=overdue.pk).lifecycle == Lifecycle.CHECK_IN_DUE
                        and LinkCheck.objects.filter(meetup=overdue).exists()
                    )
                )
        finally:
            beat.stop()
            thread.join(timeout=30)
            app.conf.beat_schedule = saved
    check = LinkCheck.objects.get(meetup=overdue)
    assert check.status_code == 404 and check.failures == 1
    kinds = list(Meetup.objects.get(pk=overdue.pk).history.values_list("kind", flat=True))
    # Once, however often beat fired; and one step only: a check-in opened late is due that
    # day, and the group lapses only after its grace period from then (issue 23, bug 1).
    assert kinds == ["open_check_in"]
