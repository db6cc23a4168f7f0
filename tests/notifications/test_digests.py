"""Weekly digests: the right proposals for each person, overdue first, never empty, never
to someone who turned them off, and once per week however often beat fires."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from intake.models import Proposal, State
from notifications import reminders
from notifications.delivery import build_email
from notifications.models import Kind, Notification
from reviews import services as review_services
from reviews.digests import set_digest_preference
from tests import factories

# Monday 7 December 2026, 9 am in the program's time zone; DIGEST_WEEKDAY 0 is Monday.
MONDAY_9AM = datetime.datetime(2026, 12, 7, 9, 0)


def at(naive: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(naive)


@pytest.fixture
def digest_settings(settings):
    settings.DIGEST_WEEKDAY = 0
    settings.DIGEST_HOUR = 8
    settings.REVIEWS_REQUIRED = 2
    settings.PROGRAM_CONTACT_EMAIL = "meetups@metro.example.org"
    return settings


def due(proposal, date: datetime.date):
    Proposal.objects.filter(pk=proposal.pk).update(reply_due=date)
    proposal.refresh_from_db()
    return proposal


def only_staff(*users):
    """The factories make a program manager for each proposal's decisions: they leave."""
    get_user_model().objects.exclude(pk__in=[u.pk for u in users]).update(is_active=False)


def digest_to(user) -> Notification:
    return Notification.objects.get(kind=Kind.DIGEST, recipient=user.email)


@pytest.fixture
def team(digest_settings):
    """Two reviewers, a program manager, and proposals in each state."""
    team = type("Team", (), {})()
    team.ana = factories.staff_user(role="reviewer", first_name="Ana", last_name="Reyes")
    team.ben = factories.staff_user(role="reviewer", first_name="Ben", last_name="Okafor")
    team.mia = factories.staff_user(role="manager", first_name="Mia", last_name="Chen")
    day = datetime.date(2026, 12, 7)
    team.later = due(factories.proposal_in_state(State.SUBMITTED)[0], day + datetime.timedelta(5))
    team.late = due(factories.proposal_in_state(State.SUBMITTED)[0], day - datetime.timedelta(3))
    team.today = due(factories.proposal_in_state(State.SUBMITTED)[0], day)
    team.reviewed = due(factories.proposal_in_state(State.REVIEWED)[0], day - datetime.timedelta(1))
    team.waiting = factories.proposal_in_state(State.CHANGES_REQUESTED)[0]
    team.draft = factories.draft()[0]
    # Ben has reviewed one already: it no longer waits for him.
    review_services.save_review(proposal=team.today, reviewer=team.ben, recommendation="approve")
    only_staff(team.ana, team.ben, team.mia)
    return team


@pytest.mark.django_db
def test_each_person_gets_their_own_lists_overdue_first(team):
    assert reminders.send_digests(now=at(MONDAY_9AM)) == 3

    ana = digest_to(team.ana)
    text = build_email(ana).body
    assert text.startswith("Hello Ana Reyes,")
    assert "Waiting for your review (3):" in text
    order = [text.index(p.reference) for p in (team.late, team.today, team.later)]
    assert order == sorted(order)  # overdue first
    assert "Overdue by 3 days" in text and "Due today" in text and "Due in 5 days" in text
    for absent in (team.reviewed, team.waiting, team.draft):
        assert absent.reference not in text
    assert "waiting for a decision" not in text
    assert f"/reviews/{team.late.reference}/" in text
    assert "/reviews/settings/" in text and "meetups@metro.example.org" in text
    assert ana.subject == "METRO Meetups: This week: 3 to review"

    ben = build_email(digest_to(team.ben)).body
    assert "Waiting for your review (2):" in ben and team.today.reference not in ben

    mia = digest_to(team.mia)
    text = build_email(mia).body
    assert "Reviewed, waiting for a decision (1):" in text and team.reviewed.reference in text
    assert "Overdue by 1 day" in text
    assert "Waiting for your review" not in text
    assert mia.subject.endswith("1 to decide")
    html = mia.body_html
    assert f">{team.reviewed.reference} {team.reviewed.name}</a>" in html
    assert "<strong>Overdue by 1 day</strong>" in html


@pytest.mark.django_db
def test_once_per_week_even_when_beat_fires_twice(team):
    assert reminders.send_digests(now=at(MONDAY_9AM)) == 3
    assert reminders.send_digests(now=at(MONDAY_9AM)) == 0
    assert reminders.send_digests(now=at(MONDAY_9AM + datetime.timedelta(hours=5))) == 0
    assert Notification.objects.filter(kind=Kind.DIGEST).count() == 3
    # The next Monday is a new week.
    assert reminders.send_digests(now=at(MONDAY_9AM + datetime.timedelta(days=7))) == 3
    assert Notification.objects.filter(kind=Kind.DIGEST).count() == 6


@pytest.mark.django_db
def test_only_on_the_set_weekday_and_hour(team):
    assert reminders.send_digests(now=at(MONDAY_9AM - datetime.timedelta(hours=2))) == 0
    assert reminders.send_digests(now=at(MONDAY_9AM + datetime.timedelta(days=1))) == 0
    assert not Notification.objects.filter(kind=Kind.DIGEST).exists()


@pytest.mark.django_db
def test_nobody_gets_an_empty_digest(digest_settings):
    factories.staff_user(role="reviewer")
    factories.staff_user(role="manager")
    factories.proposal_in_state(State.CHANGES_REQUESTED)
    factories.proposal_in_state(State.APPROVED)
    assert reminders.send_digests(now=at(MONDAY_9AM)) == 0
    assert not Notification.objects.filter(kind=Kind.DIGEST).exists()


@pytest.mark.django_db
def test_no_digest_for_who_turned_it_off_or_left(team):
    set_digest_preference(user=team.ana, wants_digest=False)
    team.ben.is_active = False
    team.ben.save()
    assert reminders.send_digests(now=at(MONDAY_9AM)) == 1
    assert [n.recipient for n in Notification.objects.filter(kind=Kind.DIGEST)] == [team.mia.email]


@pytest.mark.django_db
def test_staff_who_organize_a_proposal_are_not_asked_to_decide_it(digest_settings):
    mia = factories.staff_user(role="manager", email="mia@council.example.org")
    own, _ = factories.proposal_in_state(
        State.REVIEWED, organizer_emails=["mia@council.example.org", "x@example.org"]
    )
    only_staff(mia)
    assert reminders.send_digests(now=at(MONDAY_9AM)) == 0
    assert not Notification.objects.filter(recipient=mia.email, kind=Kind.DIGEST).exists()
    assert own.state == State.REVIEWED
