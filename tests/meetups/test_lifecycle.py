"""A listed group's life after approval, walked with a controlled clock: the yearly check-in
notice, reminders, "not confirmed recently", archive, a check-in bringing it back, a
program manager's extension; each step once, in the history and in the outbox."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from accounts.roles import PROGRAM_MANAGERS_GROUP, staff_actor
from common import transitions
from common.actors import SYSTEM
from intake.models import State
from meetups import check_ins, lifecycle, nightly, services
from meetups.models import Lifecycle, Meetup, MeetupEvent, add_months
from notifications.models import Kind, Notification
from tests import factories
from tests.meetups.helpers import noon, set_lifecycle_days

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _timing(settings):
    settings.CHECK_IN_MONTHS = 12
    set_lifecycle_days(settings)


def _approved_group():
    proposal, _token = factories.proposal_in_state(State.APPROVED)
    return Meetup.objects.get(proposal=proposal), proposal


def _emails(kind, audience):
    return sorted(
        Notification.objects.filter(kind=kind, audience=audience).values_list(
            "recipient", flat=True
        )
    )


def _walk(first_day, last_day):
    """Run the nightly pass every day from first_day to last_day (dates). On each day that
    did something, run it again, as a beat that fires twice would: the second run must do
    nothing. Returns {date: [history kinds recorded that day]}."""
    happened = {}
    day = first_day
    while day <= last_day:
        before = MeetupEvent.objects.count()
        nightly.run_pass(now=noon(day))
        new = list(MeetupEvent.objects.order_by("pk")[before:].values_list("kind", flat=True))
        if new:
            happened[day] = new
            outbox = Notification.objects.count()
            again = nightly.run_pass(now=noon(day))
            assert str(again) == (
                "0 check-ins opened, 0 reminders, 0 lapsed, 0 warned of archiving, 0 archived"
            )
            assert Notification.objects.count() == outbox
        day += DAY
    return happened


def test_an_approved_group_is_active_with_its_organizers_and_a_check_in_a_year_on():
    group, proposal = _approved_group()
    assert group.lifecycle == Lifecycle.ACTIVE and group.is_listed
    approved_on = timezone.localdate(proposal.decided_at)
    assert group.check_in_due_on == add_months(approved_on, 12)
    assert group.last_confirmed_at == proposal.decided_at
    assert sorted(c.email for c in group.contacts.all()) == sorted(
        o.email for o in proposal.organizers.all()
    )


def test_two_years_of_a_group_each_step_on_its_day_once_to_the_right_people():
    group, proposal = _approved_group()
    manager = factories.staff_user(role="manager")
    managers = sorted(
        u.email
        for u in Group.objects.get(name=PROGRAM_MANAGERS_GROUP).user_set.filter(is_active=True)
    )
    organizers = sorted(o.email for o in proposal.organizers.all())
    due = group.check_in_due_on
    start = timezone.localdate(group.created_at)

    # Year one: notice 30 days before, reminders from the due date every 14 days, "not
    # confirmed" after 60 days of grace, archived 90 days later.
    happened = _walk(start, due + timedelta(days=200))
    assert happened == {
        due - timedelta(days=30): ["open_check_in"],
        due: ["reminder"],
        due + timedelta(days=14): ["reminder"],
        due + timedelta(days=28): ["reminder"],
        due + timedelta(days=42): ["reminder"],
        due + timedelta(days=56): ["reminder"],
        due + timedelta(days=60): ["lapse"],
        due + timedelta(days=136): ["lapsed_warning"],  # 14 days before the archive date
        due + timedelta(days=150): ["archive"],
    }
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ARCHIVED and not group.is_listed
    assert group.archived_automatically
    for kind in (Kind.GROUP_CHECK_IN, Kind.GROUP_LAPSED, Kind.GROUP_ARCHIVED):
        assert _emails(kind, "organizer") == organizers
    # Managers hear of a lapse, an archiving and a check-in opening in the night's summary,
    # not one email per group, nor of each reminder.
    for kind in (Kind.GROUP_LAPSED, Kind.GROUP_ARCHIVED):
        assert _emails(kind, "manager") == []
    assert _emails(Kind.GROUP_NIGHTLY_SUMMARY, "manager") == sorted(managers * 3)
    assert _emails(Kind.GROUP_CHECK_IN, "manager") == []
    assert _emails(Kind.GROUP_REMINDER, "manager") == []
    assert _emails(Kind.GROUP_REMINDER, "organizer") == sorted(organizers * 5)
    history = list(group.history.values_list("kind", "from_state", "to_state", "actor_label"))
    assert history[0] == ("open_check_in", "active", "check_in_due", "Automatic")
    assert history[-1] == ("archive", "lapsed", "archived", "Automatic")

    # An organizer checks in from the link in the archive email: listed again, a year on.
    back_on = due + timedelta(days=160)
    contact = group.contacts.first()
    check_ins.check_in(
        meetup=group,
        contact=contact,
        answers=check_ins.CheckInAnswers(
            still_meeting=True,
            meetings_held=4,
            last_meeting_on=back_on - timedelta(days=20),
            organizers_right=True,
        ),
        now=noon(back_on),
    )
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE and group.is_listed
    assert group.check_in_due_on == add_months(back_on, 12)
    assert timezone.localdate(group.last_confirmed_at) == back_on
    last = group.history.last()
    assert (last.kind, last.from_state, last.actor_label) == (
        "check_in",
        "archived",
        f"Organizer {contact.name}",
    )
    assert last.details["meetings_held"] == 4
    assert _emails(Kind.GROUP_ACTIVE, "manager") == managers  # back from archived: staff told

    # Year two: the notice comes again; a program manager extends the check-in by a season.
    second_due = group.check_in_due_on
    happened = _walk(back_on + DAY, second_due - timedelta(days=30))
    assert happened == {second_due - timedelta(days=30): ["open_check_in"]}
    later = second_due + timedelta(days=90)
    lifecycle.run_transition(
        meetup=group,
        name="extend",
        actor=staff_actor(manager),
        note="They meet again after the summer.",
        due_on=later,
        now=noon(second_due - timedelta(days=29)),
    )
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE and group.check_in_due_on == later
    happened = _walk(second_due - timedelta(days=29), later - timedelta(days=30))
    assert happened == {later - timedelta(days=30): ["open_check_in"]}
    extension = group.history.get(kind="extend")
    assert extension.actor == manager and extension.note == "They meet again after the summer."
    assert Notification.objects.filter(
        event_key=f"group-event:{extension.pk}", audience="organizer"
    ).count() == len(organizers)


def test_a_check_in_at_any_stage_makes_the_group_active_and_it_hears_nothing_more():
    group, _ = _approved_group()
    due = group.check_in_due_on
    late = due + timedelta(days=61)
    _walk(late, late)  # the first pass in months
    group.refresh_from_db()
    # One step only: the check-in opens, due that day, with its full grace from then, and
    # without the five reminders it missed.
    assert group.lifecycle == Lifecycle.CHECK_IN_DUE and group.check_in_due_on == late
    assert list(group.history.values_list("kind", flat=True)) == ["open_check_in"]
    check_ins.check_in(
        meetup=group,
        contact=group.contacts.first(),
        answers=check_ins.CheckInAnswers(True, 1, None, True),
        now=noon(due + timedelta(days=62)),
    )
    before = MeetupEvent.objects.count()
    _walk(due + timedelta(days=62), due + timedelta(days=300))
    assert MeetupEvent.objects.count() == before


def test_a_group_no_longer_meeting_closes_itself_and_only_a_manager_lists_it_again():
    group, _ = _approved_group()
    manager = factories.staff_user(role="manager")
    check_ins.check_in(
        meetup=group,
        contact=group.contacts.first(),
        answers=check_ins.CheckInAnswers(False, None, None, True, "We stopped in March."),
    )
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ARCHIVED and not group.is_listed
    with pytest.raises(transitions.NotAvailable, match="program manager archived"):
        check_ins.check_in(
            meetup=group,
            contact=group.contacts.first(),
            answers=check_ins.CheckInAnswers(True, 1, None, True),
        )
    services.restore_meetup(meetup=group, actor=staff_actor(manager), note="They restarted.")
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE and group.is_listed


def test_permissions_are_checked_and_refusals_change_nothing():
    group, _ = _approved_group()
    reviewer = factories.staff_user(role="reviewer")
    with pytest.raises(transitions.Forbidden):
        lifecycle.run_transition(meetup=group, name="archive", actor=staff_actor(reviewer))
    with pytest.raises(transitions.Forbidden):
        lifecycle.run_transition(meetup=group, name="open_check_in", actor=staff_actor(reviewer))
    with pytest.raises(transitions.NotAvailable):
        lifecycle.run_transition(meetup=group, name="lapse", actor=SYSTEM)  # not due yet
    manager = factories.staff_user(role="manager")
    with pytest.raises(transitions.Refused, match="note"):
        lifecycle.run_transition(meetup=group, name="extend", actor=staff_actor(manager))
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE and not group.history.exists()


def test_the_history_is_append_only():
    group, _ = _approved_group()
    services.archive_meetup(meetup=group)
    event = group.history.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        group.history.all().delete()
    with pytest.raises(ValueError):
        MeetupEvent.objects.update(note="changed")


def test_the_state_field_is_protected():
    group = factories.meetup()
    with pytest.raises(AttributeError):
        group.lifecycle = Lifecycle.ARCHIVED


def test_archive_and_restore_pages_go_through_the_lifecycle(client):
    manager = factories.staff_user(role="manager")
    group = factories.meetup(name="Map Readers")
    client.force_login(manager)
    response = client.post(f"/meetups/{group.slug}/archive/", {"note": "Asked to leave."})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ARCHIVED and not group.is_listed
    event = group.history.get()
    assert (event.kind, event.actor, event.note) == ("archive", manager, "Asked to leave.")
    assert not group.archived_automatically
    client.post(f"/reviews/archived-groups/{group.slug}/restore/")
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE and group.is_listed
    assert list(group.history.values_list("kind", flat=True)) == ["archive", "restore"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_pass_at_once_do_each_step_once():
    Group.objects.get_or_create(name=PROGRAM_MANAGERS_GROUP)
    factories.staff_user(role="manager")
    groups = [factories.meetup() for _ in range(6)]
    for g in groups:
        g.contacts.create(name="Ada", email=f"ada{g.pk}@example.org")
    due = groups[0].check_in_due_on
    errors, barrier = [], threading.Barrier(2)

    def run(day):
        try:
            barrier.wait()
            nightly.run_pass(now=noon(day))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    for day in (due - timedelta(days=30), due, due + timedelta(days=60)):
        threads = [threading.Thread(target=run, args=(day,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        barrier.reset()
    assert errors == []
    for g in groups:
        assert list(g.history.values_list("kind", flat=True)) == [
            "open_check_in",
            "reminder",
            "lapse",
        ]
    assert Notification.objects.filter(kind=Kind.GROUP_REMINDER, audience="organizer").count() == 6


@pytest.mark.django_db
def test_the_lapse_date_named_in_reminders_stays_put_and_is_the_day_it_lapses(settings):
    # The first fresh-eyes tour of issue 23: each reminder named a lapse date 60 days from
    # the day it was sent, so the date moved later every time, and the group then lapsed
    # before the last date it had been given.
    settings.CHECK_IN_GRACE_DAYS, settings.LAPSED_ARCHIVE_DAYS = 60, 90
    today = timezone.localdate()
    due = today - timedelta(days=20)
    group = factories.meetup(check_in_due_on=due)
    Meetup.objects.filter(pk=group.pk).update(lifecycle=Lifecycle.CHECK_IN_DUE)
    group.refresh_from_db()
    named = [
        lifecycle.dates_ahead(group, today=today + timedelta(days=n))["lapses_on"]
        for n in (0, 14, 28)
    ]
    assert named == [due + timedelta(days=60)] * 3
    assert lifecycle.dates_ahead(group, today=today)["archived_on"] == due + timedelta(days=150)
    # Once that day has come, the date named is today, never one already past.
    late = due + timedelta(days=70)
    assert lifecycle.dates_ahead(group, today=late)["lapses_on"] == late
