"""Beat firing twice at the same moment, on PostgreSQL with two real sessions: every
reminder, withdrawal and digest happens once, and each email is sent once."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP
from intake import reminders as intake_reminders
from intake.models import Proposal, Reminder, ReminderKind, State
from notifications import reminders
from notifications.models import Kind, Notification
from reviews import jobs as review_jobs
from tests import factories

DAY = datetime.timedelta(days=1)


@pytest.fixture
def role_groups():
    for name in (REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP):
        Group.objects.get_or_create(name=name)


def twice_at_once(work) -> list[Exception]:
    barrier = threading.Barrier(2)
    unexpected = []

    def run():
        try:
            barrier.wait(timeout=10)
            work()
        except Exception as exc:  # the assertion shows it
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return unexpected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
def test_reminders_twice_at_once_happen_once(settings):
    settings.NUDGE_DAYS, settings.STALE_WITHDRAW_DAYS = 14, 60
    settings.DRAFT_REMINDER_DAYS, settings.DRAFT_RETENTION_DAYS = 30, 90
    nudged, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    stale, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    draft, _ = factories.draft()
    start = timezone.now()
    Proposal.objects.filter(pk=stale.pk).update(updated_at=start - 61 * DAY)
    Reminder.objects.create(
        kind=ReminderKind.STALE_WARNING,
        proposal=stale,
        reference=stale.reference,
        period=intake_reminders.period_for(start - 61 * DAY),
        created_at=start - 8 * DAY,
    )
    mail.outbox.clear()
    now = start + 31 * DAY  # the nudge and the draft reminder are due; stale is withdrawn

    assert twice_at_once(lambda: review_jobs.send_reminders(now=now)) == []

    assert Reminder.objects.filter(reference=nudged.reference).count() == 1
    assert Reminder.objects.filter(reference=draft.reference).count() == 1
    assert Proposal.objects.get(pk=stale.pk).state == State.WITHDRAWN
    assert Proposal.objects.get(pk=stale.pk).transitions.filter(transition="withdraw").count() == 1
    for proposal, kind in (
        (nudged, Kind.NUDGE),
        (draft, Kind.DRAFT_REMINDER),
        (stale, Kind.STALE_WITHDRAWN),
    ):
        rows = Notification.objects.filter(proposal=proposal, kind=kind)
        assert rows.count() == 2  # one per organizer
        for row in rows:  # each email went out once
            assert (
                sum(m.to == [row.recipient] and m.subject == row.subject for m in mail.outbox) == 1
            )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
def test_digests_twice_at_once_are_recorded_and_sent_once(settings):
    settings.DIGEST_WEEKDAY, settings.DIGEST_HOUR = 0, 8
    reviewers = [factories.staff_user(role="reviewer") for _ in range(3)]
    factories.proposal_in_state(State.SUBMITTED)
    mail.outbox.clear()
    monday = timezone.make_aware(datetime.datetime(2026, 12, 7, 9, 0))

    assert twice_at_once(lambda: reminders.send_digests(now=monday)) == []

    for reviewer in reviewers:
        assert Notification.objects.filter(kind=Kind.DIGEST, recipient=reviewer.email).count() == 1
        assert sum(1 for m in mail.outbox if m.to == [reviewer.email]) == 1
