"""Ended proposals' personal data is erased ENDED_RETENTION_DAYS after they ended, warned a
week before; the beat task is safe to run twice. A controlled clock: `now` passed in."""

import datetime

import pytest

from intake.models import Organizer, State
from notifications.models import Notification
from reviews.jobs import send_reminders
from tests import factories

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def warnings(proposal) -> list[Notification]:
    return list(Notification.objects.filter(kind="ended_warning", proposal=proposal))


def test_a_declined_proposal_is_warned_then_erased(settings, django_capture_on_commit_callbacks):
    settings.ENDED_RETENTION_DAYS = 730
    proposal, _token = factories.proposal_in_state(State.DECLINED)
    ended = proposal.decided_at
    names = [o.name for o in proposal.organizers.all()]

    send_reminders(now=ended + days(722))
    assert warnings(proposal) == []

    for _ in range(2):  # twice: one warning
        send_reminders(now=ended + days(723))
    assert len(warnings(proposal)) == 2  # one per organizer
    assert "will be erased" in warnings(proposal)[0].subject

    send_reminders(now=ended + days(729))
    assert Organizer.objects.filter(name__in=names).count() == 2

    for _ in range(2):
        send_reminders(now=ended + days(730))
    assert Organizer.objects.filter(name__in=names).count() == 0
    proposal.refresh_from_db()
    assert proposal.description == ""
    assert proposal.transitions.count() == 2  # submitted, declined: the history keeps its shape


def test_erasure_waits_a_week_after_a_late_warning(settings):
    settings.ENDED_RETENTION_DAYS = 730
    proposal, _token = factories.proposal_in_state(State.WITHDRAWN)
    ended = proposal.decided_at
    send_reminders(now=ended + days(800))  # beat was stopped: warned now, erased later
    assert Organizer.objects.filter(proposal=proposal).exclude(name="(erased)").count() == 2
    send_reminders(now=ended + days(807))
    assert Organizer.objects.filter(proposal=proposal, name="(erased)").count() == 2


def test_a_listed_group_is_never_erased(settings):
    settings.ENDED_RETENTION_DAYS = 730
    proposal, _token = factories.proposal_in_state(State.APPROVED)
    send_reminders(now=proposal.decided_at + days(3000))
    assert warnings(proposal) == []
    assert not Organizer.objects.filter(proposal=proposal, name="(erased)").exists()
