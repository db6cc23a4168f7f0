"""A "reviewed" email is held for REVIEWED_EMAIL_HOLD_MINUTES: when a decision on the same
proposal follows in that time (changes requested, approved, declined), the organizers get
the decision alone, and the held email shows in the outbox as "Replaced by a later email";
otherwise the outbox sweep sends it once the hold is over (safe to run twice). Walked with a
controlled clock."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Actor
from notifications import outbox
from notifications.models import Kind, Notification, Status
from tests import factories
from tests.sign_in import sign_in_fully

from .helpers import Staff, staff, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """timezone.now(), moved by hand."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def move(**delta):
        state["now"] += timedelta(**delta)

    return move


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def _submitted(commit):
    proposal, _ = factories.draft()
    return commit(transition, proposal, "submit", Actor.organizer_link())


def _subjects():
    return [m.subject for m in mail.outbox]


def test_the_reviewed_email_waits_and_a_decision_within_the_hold_replaces_it(
    clock, commit, client, settings
):
    assert settings.REVIEWED_EMAIL_HOLD_MINUTES == 30
    team = Staff()
    proposal = _submitted(commit)
    mail.outbox.clear()
    commit(transition, proposal, "complete_review", Actor.automatic())
    assert mail.outbox == []  # held
    held = list(Notification.objects.filter(kind=Kind.REVIEWED))
    assert held and all(n.status == Status.PENDING for n in held)

    clock(minutes=5)
    commit(transition, proposal, "request_changes", staff(team.reviewers[0]), "Say more.")
    for _ in range(2):
        clock(minutes=30)
        commit(outbox.sweep)
    reviewed = Notification.objects.filter(kind=Kind.REVIEWED)
    assert {n.status for n in reviewed} == {Status.REPLACED}
    assert reviewed.first().get_status_display() == "Replaced by a later email"
    sent = Notification.objects.filter(kind=Kind.CHANGES_REQUESTED)
    assert sent.exists() and all(n.status == Status.SENT for n in sent)
    assert not any("review" in s.lower() and "change" not in s.lower() for s in _subjects())

    sign_in_fully(client, team.manager)
    page = client.get("/reviews/outbox/?status=replaced").content.decode()
    assert "Replaced by a later email" in page
    assert reviewed.first().recipient in page


def test_without_a_decision_the_sweep_sends_the_held_email_once_after_the_hold(clock, commit):
    Staff()
    proposal = _submitted(commit)
    mail.outbox.clear()
    commit(transition, proposal, "complete_review", Actor.automatic())
    clock(minutes=29)
    commit(outbox.sweep)
    assert mail.outbox == []
    clock(minutes=2)
    commit(outbox.sweep)
    commit(outbox.sweep)  # a sweep that runs twice
    reviewed = Notification.objects.filter(kind=Kind.REVIEWED)
    assert {n.status for n in reviewed} == {Status.SENT}
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(n.recipient for n in reviewed)
