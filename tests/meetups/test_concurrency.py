"""Approvals racing each other on a real PostgreSQL: one group per proposal, unique slugs."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from intake import services as intake_services
from intake.actors import PROGRAM_MANAGERS_GROUP, Actor
from intake.models import Proposal, State
from meetups.models import Meetup
from tests import factories


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
            lambda m=m: intake_services.perform_transition(
                proposal=proposal, name="approve", actor=Actor.staff(m)
            )
            for m in managers
        ]
    )
    assert len(errors) == 1 and isinstance(errors[0], intake_services.TransitionNotAvailable)
    assert Proposal.objects.get(pk=proposal.pk).state == State.APPROVED
    assert Meetup.objects.filter(proposal=proposal).count() == 1
    assert Meetup.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_groups_approved_at_once_with_the_same_slug_both_get_listed():
    first, _ = factories.proposal_in_state(State.REVIEWED, name="Zine Librarians")
    second, _ = factories.proposal_in_state(State.REVIEWED, name="Zine-Librarians!")
    manager = factories.staff_user(role="manager")
    errors = _race(
        [
            lambda p=p: intake_services.perform_transition(
                proposal=p, name="approve", actor=Actor.staff(manager)
            )
            for p in (first, second)
        ]
    )
    assert errors == []
    assert sorted(Meetup.objects.values_list("slug", flat=True)) == [
        "zine-librarians",
        "zine-librarians-2",
    ]
