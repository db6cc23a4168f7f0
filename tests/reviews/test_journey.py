"""Whole journeys through the web pages, organizer and staff side by side, with the audit
trail checked after every step."""

import re

import pytest
from django.test import Client

from intake.models import Proposal, State
from reviews.models import Comment
from tests import factories
from tests.intake.forms_data import form_data

from .helpers import decide


def audit(proposal) -> list[tuple]:
    return [
        (r.transition, r.from_state, r.to_state, r.actor_label, r.note)
        for r in Proposal.objects.get(pk=proposal.pk).transitions.all()
    ]


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def propose_and_submit(organizer: Client) -> tuple[Proposal, str]:
    response = organizer.post("/propose/", form_data())
    assert response.status_code == 302
    token = response["Location"].split("/")[2]
    response = organizer.post(f"/proposals/{token}/check/")
    assert response.status_code == 302
    return Proposal.objects.get(), token


@pytest.mark.django_db
def test_draft_to_approved_through_changes_requested(settings):
    settings.REVIEWS_REQUIRED = 1
    organizer = Client()
    reviewer = factories.staff_user(role="reviewer", first_name="Riley", last_name="Reviewer")
    manager = factories.staff_user(role="manager", first_name="Morgan", last_name="Manager")
    as_reviewer, as_manager = staff_client(reviewer), staff_client(manager)

    # The organizer proposes and submits.
    proposal, token = propose_and_submit(organizer)
    assert proposal.state == State.SUBMITTED
    assert audit(proposal) == [("submit", "draft", "submitted", "Organizer", "")]
    queue = as_reviewer.get("/reviews/").content.decode()
    assert proposal.reference in queue and "Zine Librarians" in queue

    # A reviewer asks for changes, with a message to the organizers.
    response = decide(as_reviewer, proposal, "request_changes", note="Say more about zines.")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.CHANGES_REQUESTED
    assert audit(proposal)[-1] == (
        "request_changes",
        "submitted",
        "changes_requested",
        "Riley Reviewer",
        "Say more about zines.",
    )
    assert len(audit(proposal)) == 2

    # The organizer reads it under Messages, replies, edits and resubmits.
    status = organizer.get(f"/proposals/{token}/").content.decode()
    messages_section = status.split('id="messages"')[1].split("</section>")[0]
    assert "Changes requested" in messages_section
    assert "Say more about zines." in messages_section
    response = organizer.post(f"/proposals/{token}/reply/", {"body": "Will do, thank you."})
    assert response.status_code == 302
    assert Comment.objects.get(by_organizers=True).visibility == "shared"
    response = organizer.post(
        f"/proposals/{token}/edit/",
        form_data(description="We collect, catalogue and lend zines.", meeting_format="online"),
    )
    assert response.status_code == 302
    response = organizer.post(f"/proposals/{token}/check/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
    assert audit(proposal)[-1] == ("resubmit", "changes_requested", "submitted", "Organizer", "")
    assert len(audit(proposal)) == 3

    # The reviewer sees what changed, and the reply, then reviews: that makes it reviewed.
    page = as_reviewer.get(f"/reviews/{proposal.reference}/").content.decode()
    changes = page.split('id="changes"')[1].split("</section>")[0]
    assert "Purpose and scope" in changes
    assert "We share how libraries collect and catalogue zines." in changes
    assert "We collect, catalogue and lend zines." in changes
    assert "In person at the council" in changes and "Online" in changes
    assert "Group name" not in changes  # unchanged answers are not listed
    assert "Will do, thank you." in page and "From the organizers" in page
    response = as_reviewer.post(
        f"/reviews/{proposal.reference}/review/",
        {"recommendation": "approve", "notes": "Clear now."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.REVIEWED
    assert audit(proposal)[-1] == ("complete_review", "submitted", "reviewed", "Automatic", "")
    assert len(audit(proposal)) == 4
    followed = as_reviewer.get(response["Location"]).content.decode()
    assert "is now reviewed" in followed

    # A program manager approves.
    page = as_manager.get(f"/reviews/{proposal.reference}/").content.decode()
    assert 'value="approve"' in page
    response = decide(as_manager, proposal, "approve")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.APPROVED
    assert proposal.decided_at is not None
    assert audit(proposal)[-1] == ("approve", "reviewed", "approved", "Morgan Manager", "")
    assert len(audit(proposal)) == 5

    # Both sides see the outcome; staff see every step with names.
    status = organizer.get(f"/proposals/{token}/").content.decode()
    assert "Status: <strong>Approved</strong>" in status
    page = as_manager.get(f"/reviews/{proposal.reference}/").content.decode()
    history = page.split('id="history"')[1]
    # In sentences (issue 13), each naming who acted.
    for who in (
        "Submitted by the organizers",
        "Changes requested by Riley Reviewer",
        "Reviewed automatically after 1 of 1 reviews",
        "Approved by Morgan Manager",
    ):
        assert who in history
    assert "nothing left to decide" in page


@pytest.mark.django_db
def test_decline_needs_a_reason_and_keeps_what_was_typed():
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    manager = staff_client(factories.staff_user(role="manager"))

    response = decide(manager, proposal, "decline", note="   ")
    assert response.status_code == 400
    assert "Write a message to the organizers to decline" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED

    response = decide(manager, proposal, "request_changes", note="")
    assert response.status_code == 400
    assert "Write a message to the organizers to request changes" in response.content.decode()

    response = decide(manager, proposal, "decline", note="It overlaps Code4Lib.")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.DECLINED
    assert audit(proposal)[-1][:3] == ("decline", "submitted", "declined")
    assert audit(proposal)[-1][4] == "It overlaps Code4Lib."
    status = Client().get(f"/proposals/{token}/").content.decode()
    messages_section = status.split('id="messages"')[1].split("</section>")[0]
    assert "Declined" in messages_section and "It overlaps Code4Lib." in messages_section
    # A closed proposal takes no more replies.
    assert "Send message" not in messages_section
    response = Client().post(f"/proposals/{token}/reply/", {"body": "But why?"})
    assert response.status_code == 302
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_long_message_is_kept_when_a_decision_fails():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    reviewer = staff_client(factories.staff_user(role="reviewer"))
    note = "Please explain the audience.\nAnd the meeting place."
    response = decide(reviewer, proposal, "approve", note=note)  # not theirs to take
    assert response.status_code == 400
    assert "Please explain the audience." in response.content.decode()


@pytest.mark.django_db
def test_withdrawn_by_organizer_shows_in_the_workspace():
    proposal, token = factories.proposal_in_state(State.REVIEWED)
    organizer = Client()
    response = organizer.post(
        f"/proposals/{token}/withdraw/",
        {"confirm": "on", "reason": "We joined another group.", "expected_state": "reviewed"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.WITHDRAWN
    assert audit(proposal)[-1] == (
        "withdraw",
        "reviewed",
        "withdrawn",
        "Organizer",
        "We joined another group.",
    )
    manager = staff_client(factories.staff_user(role="manager"))
    page = manager.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "Withdrawn" in page and "We joined another group." in page
    assert 'name="transition"' not in page
    assert "Save review" not in page
    response = decide(manager, proposal, "approve", expected_state="withdrawn")
    assert response.status_code == 400
    assert Proposal.objects.get(pk=proposal.pk).state == State.WITHDRAWN


@pytest.mark.django_db
def test_change_diff_lists_each_changed_answer_and_organizers():
    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    organizer = Client()
    data = form_data(name=proposal.name, audience="Public librarians only.", organizers=3)
    assert organizer.post(f"/proposals/{token}/edit/", data).status_code == 302
    assert organizer.post(f"/proposals/{token}/check/").status_code == 302
    client = staff_client(factories.staff_user(role="reviewer"))
    page = client.get(f"/reviews/{proposal.reference}/").content.decode()
    changes = page.split('id="changes"')[1].split("</section>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', changes)
    assert "Who it is for" in rows
    assert "Organizers" in rows
    assert "Group name" not in rows
    assert "Public librarians only." in changes
    assert "person2@example.org" in changes


@pytest.mark.django_db
def test_first_submission_shows_no_diff():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    client = staff_client(factories.staff_user(role="reviewer"))
    page = client.get(f"/reviews/{proposal.reference}/").content.decode()
    assert 'id="changes"' not in page
