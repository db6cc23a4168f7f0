"""Two staff deciding the same proposal at once: exactly one decision happens, the other
person is told what the proposal is now, and the history has one entry."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP, staff_actor
from intake import services as intake_services
from intake.models import Proposal, ProposalTransition, State
from reviews import services
from reviews.models import Review
from tests import factories

from .helpers import decide


@pytest.fixture
def role_groups():
    """Tests with real transactions start from a flushed database, without the groups the
    migrations made; put them back."""
    for name in (REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP):
        Group.objects.get_or_create(name=name)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
@pytest.mark.parametrize(("first", "second"), [("approve", "decline"), ("approve", "approve")])
def test_two_decisions_at_once_exactly_one_wins(first, second):
    proposal, _ = factories.proposal_in_state(State.REVIEWED)
    managers = [factories.staff_user(role="manager"), factories.staff_user(role="manager")]
    history_before = ProposalTransition.objects.filter(proposal=proposal).count()
    barrier = threading.Barrier(2)
    outcomes, unexpected = [], []

    def act(user, name):
        try:
            # Each thread has its own database connection: two real sessions.
            barrier.wait(timeout=10)
            intake_services.run_transition(
                proposal=proposal,
                name=name,
                actor=staff_actor(user),
                note="It overlaps an existing group.",
                expected_state=State.REVIEWED,
            )
            outcomes.append(("done", name))
        except intake_services.ProposalChanged as exc:
            outcomes.append(("changed", str(exc)))
        except Exception as exc:  # the assertion below shows it
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(managers[0], first)),
        threading.Thread(target=act, args=(managers[1], second)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert unexpected == []
    assert sorted(kind for kind, _ in outcomes) == ["changed", "done"]
    winner = next(name for kind, name in outcomes if kind == "done")
    message = next(text for kind, text in outcomes if kind == "changed")
    final = Proposal.objects.get(pk=proposal.pk)
    assert final.state == {"approve": State.APPROVED, "decline": State.DECLINED}[winner]
    assert f"it is now {final.get_state_display().lower()}" in message
    records = ProposalTransition.objects.filter(proposal=proposal)
    assert records.count() == history_before + 1
    assert records.last().transition == winner


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
def test_two_last_reviews_at_once_make_one_automatic_step(settings):
    settings.REVIEWS_REQUIRED = 2
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    reviewers = [factories.staff_user(), factories.staff_user(), factories.staff_user()]
    services.save_review(proposal=proposal, reviewer=reviewers[0], recommendation="approve")
    barrier = threading.Barrier(2)
    unexpected = []

    def review(user):
        try:
            barrier.wait(timeout=10)
            services.save_review(proposal=proposal, reviewer=user, recommendation="approve")
        except Exception as exc:
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=(u,)) for u in reviewers[1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert unexpected == []
    assert Review.objects.filter(proposal=proposal).count() == 3
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED
    assert (
        ProposalTransition.objects.filter(proposal=proposal, transition="complete_review").count()
        == 1
    )


@pytest.mark.django_db
def test_second_person_sees_what_happened_and_keeps_their_message():
    """Both loaded the page while the proposal was reviewed; one approved first."""
    proposal, _ = factories.proposal_in_state(State.REVIEWED)
    first, second = Client(), Client()
    first.force_login(factories.staff_user(role="manager"))
    second.force_login(factories.staff_user(role="manager"))
    assert 'value="decline"' in second.get(f"/reviews/{proposal.reference}/").content.decode()

    assert decide(first, proposal, "approve", expected_state="reviewed").status_code == 302
    response = decide(
        second, proposal, "decline", note="Overlaps Code4LibNYC.", expected_state="reviewed"
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed while you were looking at it: it is now approved" in html
    assert "Overlaps Code4LibNYC." in html
    assert Proposal.objects.get(pk=proposal.pk).state == State.APPROVED
    assert ProposalTransition.objects.filter(proposal=proposal, transition="decline").count() == 0
    assert ProposalTransition.objects.filter(proposal=proposal).count() == 3


@pytest.mark.django_db
def test_a_double_click_makes_one_decision():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    client = Client()
    client.force_login(factories.staff_user())
    note = "Please add a second organizer."
    assert decide(client, proposal, "request_changes", note=note).status_code == 302
    again = decide(client, proposal, "request_changes", note=note, expected_state="submitted")
    assert again.status_code == 409
    assert "it is now changes requested" in again.content.decode()
    assert (
        ProposalTransition.objects.filter(proposal=proposal, transition="request_changes").count()
        == 1
    )
