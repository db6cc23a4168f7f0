"""The Django admin shows a proposal's state and history read-only and offers only the
transitions this user may take, through the transition service."""

import pytest
from django.test import Client

from intake.models import Proposal, ProposalTransition, State
from intake.workflow import Transition
from reviews import services
from tests import factories


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_url(proposal) -> str:
    return f"/admin/intake/proposal/{proposal.pk}/change/"


@pytest.mark.django_db
def test_manager_sees_state_history_and_only_permitted_transitions():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    manager = factories.staff_user(role="manager", is_staff=True)
    response = admin_client(manager).get(change_url(proposal))
    html = response.content.decode()
    assert response.status_code == 200
    assert "State: Submitted" in html
    assert "History (read-only)" in html
    assert 'name="state"' not in html  # never a field to edit
    offered = {name for name in Transition if f'name="transition" value="{name}"' in html}
    assert offered == {"complete_review", "request_changes", "decline"}


@pytest.mark.django_db
def test_transition_from_the_admin_goes_through_the_service():
    proposal, _ = factories.proposal_in_state(State.REVIEWED)
    manager = factories.staff_user(role="manager", is_staff=True)
    client = admin_client(manager)
    url = f"/admin/intake/proposal/{proposal.pk}/transition/"

    response = client.post(url, {"transition": "decline", "note": "", "expected_state": "reviewed"})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED
    page = client.get(change_url(proposal)).content.decode()
    assert "Write a message to the organizers" in page

    response = client.post(url, {"transition": "approve", "note": "", "expected_state": "reviewed"})
    assert Proposal.objects.get(pk=proposal.pk).state == State.APPROVED
    record = ProposalTransition.objects.filter(proposal=proposal).last()
    assert (record.transition, record.actor) == ("approve", manager)

    # A second, stale approval is refused with the proposal's new state.
    client.post(url, {"transition": "decline", "note": "x", "expected_state": "reviewed"})
    page = client.get(change_url(proposal)).content.decode()
    assert "it is now approved" in page
    assert ProposalTransition.objects.filter(proposal=proposal).count() == 3


@pytest.mark.django_db
def test_a_refused_admin_transition_gives_back_the_message_typed():
    proposal, _ = factories.proposal_in_state(State.REVIEWED)
    manager = factories.staff_user(role="manager", is_staff=True)
    client = admin_client(manager)
    url = f"/admin/intake/proposal/{proposal.pk}/transition/"
    note = "It overlaps <b>Code4Lib</b>; sorry."
    # Someone acted since the page was loaded.
    response = client.post(
        url, {"transition": "decline", "note": note, "expected_state": "submitted"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "changed while you were looking at it" in page
    assert "Your message was not sent: It overlaps &lt;b&gt;Code4Lib&lt;/b&gt;; sorry." in page
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED


@pytest.mark.django_db
def test_organizer_transitions_and_editing_state_are_refused_in_the_admin():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    superuser = factories.superuser()
    client = admin_client(superuser)
    client.post(
        f"/admin/intake/proposal/{proposal.pk}/transition/",
        {"transition": "withdraw", "expected_state": "submitted"},
    )
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
    # Posting a state with the change form does nothing to it.
    page = client.get(change_url(proposal)).content.decode()
    # The state machine refuses it, and says so.
    assert f"You may not withdraw proposal {proposal.reference}" in page
    assert 'name="state"' not in page


@pytest.mark.django_db
def test_reviewers_have_no_admin_transition():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    # A reviewer given admin access still has only view permission on proposals.
    reviewer = factories.staff_user(role="reviewer", is_staff=True)
    client = admin_client(reviewer)
    response = client.post(
        f"/admin/intake/proposal/{proposal.pk}/transition/",
        {"transition": "request_changes", "note": "More.", "expected_state": "submitted"},
    )
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED


@pytest.mark.django_db
def test_reviews_and_comments_are_listed_read_only():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    reviewer = factories.staff_user(role="reviewer")
    services.add_comment(proposal=proposal, author=reviewer, body="Hm.", visibility="internal")
    client = admin_client(factories.superuser())
    assert proposal.reference in client.get("/admin/reviews/comment/").content.decode()
    assert client.get("/admin/reviews/review/").status_code == 200
    assert client.get("/admin/reviews/comment/add/").status_code == 403
