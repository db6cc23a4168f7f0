"""The beat entries for reminders and digests name tasks the worker knows, and the tasks
run the services (here in-process, with the real clock)."""

import pytest
from django.conf import settings
from django.utils import timezone

from intake.models import Reminder, State
from notifications.models import Kind, Notification
from notifications.tasks import send_digests as send_digests_task
from reviews.tasks import send_reminders as send_reminders_task
from tests import factories


def test_every_beat_entry_names_a_registered_task():
    from config.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notifications.send_reminders", "notifications.send_digests"} <= names
    for name in names:
        assert name in app.tasks, name


@pytest.mark.django_db
def test_the_tasks_run_the_services(settings):
    settings.NUDGE_DAYS = 1
    settings.STALE_WITHDRAW_DAYS = 60
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    # Nothing is due yet: the request for changes was made a moment ago.
    result = send_reminders_task.apply().get()
    assert result == {
        "nudge": 0,
        "stale_warning": 0,
        "withdrawn": 0,
        "draft_reminder": 0,
        "draft_warning": 0,
        "deleted": 0,
        "ended_warning": 0,
        "erased": 0,
    }
    assert not Reminder.objects.filter(reference=proposal.reference).exists()
    # Digests: today is made the digest day, from midnight.
    settings.DIGEST_WEEKDAY = timezone.localtime().weekday()
    settings.DIGEST_HOUR = 0
    reviewer = factories.staff_user(role="reviewer")
    factories.proposal_in_state(State.SUBMITTED)
    assert send_digests_task.apply().get() >= 1
    assert Notification.objects.filter(kind=Kind.DIGEST, recipient=reviewer.email).count() == 1
    assert send_digests_task.apply().get() == 0
