"""Approvals racing each other on a real PostgreSQL: one group per proposal, unique slugs,
one listed group per name."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction

from accounts.roles import PROGRAM_MANAGERS_GROUP, staff_actor
from common import transitions
from intake import services as intake_services
from intake.models import Proposal, State
from meetups.models import Meetup
from tests import factories
from tests.waiting import wait_for


@pytest.fixture(autouse=True)
def _roles():
    """Transactional tests empty the database afterwards, migration data included."""
    Group.objects.get_or_create(name=PROGRAM_MANAGERS_GROUP)


def _race(calls) -> list:
    errors, barrier = [], threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # collected; the test says which are expected
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_approving_at_once_list_one_group():
    proposal, _ = factories.proposal_in_state(State.REVIEWED, name="Zine Librarians")
    managers = [factories.staff_user(role="manager") for _ in range(2)]
    errors = _race(
        [
            lambda m=m: intake_services.run_transition(
                proposal=proposal, name="approve", actor=staff_actor(m)
            )
            for m in managers
        ]
    )
    assert len(errors) == 1 and isinstance(errors[0], transitions.NotAvailable)
    assert Proposal.objects.get(pk=proposal.pk).state == State.APPROVED
    assert Meetup.objects.filter(proposal=proposal).count() == 1
    assert Meetup.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_groups_approved_at_once_with_the_same_slug_both_get_listed():
    first, _ = factories.proposal_in_state(State.REVIEWED, name="Zine Librarians")
    # The same slug, and not a look-alike name ("+" is kept by the name rule, not the slug).
    second, _ = factories.proposal_in_state(State.REVIEWED, name="Zine Librarians+")
    manager = factories.staff_user(role="manager")
    errors = _race(
        [
            lambda p=p: intake_services.run_transition(
                proposal=p, name="approve", actor=staff_actor(manager)
            )
            for p in (first, second)
        ]
    )
    assert errors == []
    assert sorted(Meetup.objects.values_list("slug", flat=True)) == [
        "zine-librarians",
        "zine-librarians-2",
    ]


def _waiting_for_a_lock() -> int:
    """Sessions of this test database waiting for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # activity is read once per transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _approve_both(proposals, manager) -> list:
    return _race(
        [
            lambda p=p: intake_services.run_transition(
                proposal=p, name="approve", actor=staff_actor(manager)
            )
            for p in proposals
        ]
    )


def _one_listed_and_one_refused(proposals, errors) -> None:
    assert Meetup.objects.listed().count() == 1
    assert len(errors) == 1 and isinstance(errors[0], transitions.NotAvailable)
    assert "a listed group already has this name" in str(errors[0])
    states = sorted(Proposal.objects.get(pk=p.pk).state for p in proposals)
    assert states == [State.APPROVED, State.REVIEWED]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_proposals_of_one_name_approved_at_once_list_only_one():
    """The name check and the new listed group race. To make the race certain, this test's
    own connection blocks every insert of a group while both approvals run: whatever has
    passed the name check by then waits at the insert. The directory lock lets only one
    approval get that far; the other waits before its check, then sees the group listed."""
    proposals = [
        factories.proposal_in_state(State.REVIEWED, name=name)[0]
        for name in ("Zine Librarians", "zine  librarians.")
    ]
    manager, outcome = factories.staff_user(role="manager"), {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE meetups_meetup IN SHARE ROW EXCLUSIVE MODE")
        racing = threading.Thread(
            target=lambda: outcome.update(errors=_approve_both(proposals, manager))
        )
        racing.start()
        wait_for(
            lambda: _waiting_for_a_lock() >= 2,
            what="both approvals to wait for the lock",
            limit=20,
            poll=0.02,
        )
        assert _waiting_for_a_lock() == 2, "both approvals should be waiting by now"
    racing.join(timeout=30)  # leaving the block committed, which released the table
    assert not racing.is_alive()
    _one_listed_and_one_refused(proposals, outcome["errors"])


@pytest.mark.django_db(transaction=True)
def test_two_proposals_of_one_name_approved_at_once_on_any_database():
    """The same race as it comes, on whichever database runs the suite. SQLite has no row
    locks and is serialized anyway: lock_directory's write, the first statement of each
    approval, takes the database's single write lock, so the second approval waits for the
    first to commit before it reads anything (without it, SQLite fails one of them with
    "database is locked" instead of the refusal)."""
    proposals = [
        factories.proposal_in_state(State.REVIEWED, name=name)[0]
        for name in ("Zine Librarians", "zine  librarians.")
    ]
    manager = factories.staff_user(role="manager")
    _one_listed_and_one_refused(proposals, _approve_both(proposals, manager))
