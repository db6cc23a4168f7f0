"""The organizer's progress tracker and withdraw page (issue 13): every step comes from the
proposal's history, an ended proposal says how it ended, and the withdraw page fits the
proposal's state."""

import re

import pytest
from django.test import Client

from accounts.roles import Actor, staff_actor
from intake import services
from intake.models import State
from intake.progress import step_tracker
from tests import factories

pytestmark = pytest.mark.django_db


def steps(proposal) -> list[str]:
    return [f"{s['label']}: {s['status']}" for s in step_tracker(proposal)]


def withdraw(proposal, note=""):
    return services.run_transition(
        proposal=proposal, name="withdraw", actor=Actor.organizer_link(), note=note
    )


def page(token) -> str:
    return " ".join(
        re.sub(r"<[^>]+>", " ", Client().get(f"/proposals/{token}/").content.decode()).split()
    )


def test_withdrawn_right_after_submitting_was_never_reviewed():
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    proposal = withdraw(proposal)
    assert steps(proposal) == [
        "Draft: done",
        "Submitted: done",
        "Reviewed: not reached",
        "Withdrawn: done",
    ]
    text = page(token)
    assert "Step 3: Reviewed Not reached" in text
    assert "withdrawn by you after it was submitted, before the review was finished" in text


def test_declined_without_a_review_was_never_reviewed():
    proposal, token = factories.proposal_in_state(State.DECLINED)
    assert steps(proposal) == [
        "Draft: done",
        "Submitted: done",
        "Reviewed: not reached",
        "Declined: done",
    ]
    assert "declined after it was submitted, before the review was finished" in page(token)


def test_a_withdrawn_draft_was_never_submitted():
    proposal, token = factories.proposal_in_state(State.WITHDRAWN)
    assert steps(proposal) == [
        "Draft: done",
        "Submitted: not reached",
        "Reviewed: not reached",
        "Withdrawn: done",
    ]
    assert "withdrawn by you as a draft, before it was submitted" in page(token)


def test_open_and_approved_proposals_keep_their_tracker():
    proposal, _ = factories.proposal_in_state(State.REVIEWED)
    assert steps(proposal) == [
        "Draft: done",
        "Submitted: done",
        "Reviewed: current",
        "Decision: to come",
    ]
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    assert steps(proposal)[:4] == [
        "Draft: done",
        "Submitted: done",
        "Changes requested: current",
        "Reviewed: to come",
    ]
    proposal, token = factories.proposal_in_state(State.APPROVED)
    assert steps(proposal) == ["Draft: done", "Submitted: done", "Reviewed: done", "Approved: done"]
    assert "This proposal was approved on" in page(token)


@pytest.mark.parametrize("state", [State.WITHDRAWN, State.DECLINED])
def test_an_ended_proposal_does_not_promise_staff_will_write(state):
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    if state == State.WITHDRAWN:
        withdraw(proposal)
    else:
        manager = factories.staff_user(role="manager")
        services.run_transition(
            proposal=proposal, name="decline", actor=staff_actor(manager), note="Overlaps."
        )
    assert "Program staff write here when they have a question" not in page(token)


def test_the_withdraw_reason_shows_in_the_history_staff_and_organizers_read():
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    withdraw(proposal, "We found another venue.")
    assert "We found another venue." in page(token)


@pytest.mark.parametrize("state", [State.APPROVED, State.DECLINED])
def test_the_withdraw_page_of_a_decided_proposal_says_so_and_has_no_form(state):
    _, token = factories.proposal_in_state(state)
    html = Client().get(f"/proposals/{token}/withdraw/").content.decode()
    assert "cannot be withdrawn" in html
    assert "<form" not in html.split("<main", 1)[1]


def test_the_withdraw_page_of_a_draft_speaks_of_discarding_it():
    _, token = factories.draft()
    html = Client().get(f"/proposals/{token}/withdraw/").content.decode()
    assert "Discard your draft" in html and "Discard draft" in html
    assert "stops the review" not in html
    _, token = factories.proposal_in_state(State.SUBMITTED)
    html = Client().get(f"/proposals/{token}/withdraw/").content.decode()
    assert "stops the review" in html and "Withdraw proposal" in html


def test_staff_read_the_withdraw_reason_in_the_history():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    withdraw(proposal, "We found another venue.")
    client = Client()
    client.force_login(factories.staff_user(role="reviewer"))
    html = client.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "We found another venue." in html


def _take(proposal, *names):
    manager = factories.staff_user(role="manager")
    for name in names:
        actor = (
            Actor.organizer_link()
            if name in ("resubmit", "withdraw")
            else Actor.automatic()
            if name == "complete_review"
            else staff_actor(manager)
        )
        note = "Please say more." if name == "request_changes" else ""
        proposal = services.run_transition(proposal=proposal, name=name, actor=actor, note=note)
    return proposal


def test_changes_requested_after_the_review_sits_after_the_review_in_the_steps():
    proposal, token = factories.proposal_in_state(State.REVIEWED)
    proposal = _take(proposal, "request_changes")
    assert steps(proposal) == [
        "Draft: done",
        "Submitted: done",
        "Reviewed: done",
        "Changes requested: current",
        "Decision: to come",
    ]
    text = page(token)
    assert text.index("Reviewed Done") < text.index("Changes requested Current")


def test_changes_requested_before_a_review_sits_between_submitted_and_reviewed():
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    assert steps(proposal) == [
        "Draft: done",
        "Submitted: done",
        "Changes requested: current",
        "Reviewed: to come",
        "Decision: to come",
    ]


def test_a_resubmitted_proposal_comes_back_to_the_submitted_step_in_order():
    proposal, _ = factories.proposal_in_state(State.REVIEWED)
    proposal = _take(proposal, "request_changes", "resubmit")
    # The new answers are reviewed again: the earlier review is no step ahead of "current".
    assert steps(proposal) == [
        "Draft: done",
        "Submitted: current",
        "Reviewed: to come",
        "Decision: to come",
    ]
    proposal = _take(proposal, "complete_review", "approve")
    assert steps(proposal) == ["Draft: done", "Submitted: done", "Reviewed: done", "Approved: done"]
