"""Issue 24: what the fresh-eyes tour of the whole program found after the rework (one
runner, one email pipeline), as a user meets it."""

import pytest
from django.test import Client

from accounts.roles import staff_actor
from intake.models import Proposal, ProposalTransition, State
from meetups import services
from notifications import delivery, recording
from notifications.models import Kind, Notification
from reviews import history
from tests import factories
from tests.reviews.helpers import decide

pytestmark = pytest.mark.django_db


def test_the_managers_archive_email_names_the_group_before_saying_who_archived_it():
    manager = factories.staff_user(role="manager", first_name="Maria", last_name="Manager")
    group = factories.meetup(name="Outreach and Advocacy", organizers=())
    group.contacts.create(name="Ada Lovelace", email="ada@example.org")
    services.archive_meetup(meetup=group, actor=staff_actor(manager), note="They stopped.")
    row = Notification.objects.get(kind=Kind.GROUP_ARCHIVED, recipient=manager.email)
    email = delivery.build_email(row)
    for body in (email.body, email.alternatives[0][0]):
        text = " ".join(body.split()).replace("<strong>", "").replace("</strong>", "")
        assert (
            "Outreach and Advocacy is archived and no longer on the directory: "
            "Maria Manager archived it." in text
        )
        assert "archived it. Outreach" not in text


@pytest.mark.parametrize(
    ("name", "asks"),
    [
        ("decline", "to decline: say why you are declining it."),
        ("request_changes", "to request changes: say what needs to change."),
    ],
)
def test_a_missing_message_is_asked_for_in_the_words_of_the_decision(name, asks):
    proposal, _token = factories.proposal_in_state(State.SUBMITTED)
    client = Client()
    client.force_login(factories.staff_user(role="manager"))
    response = decide(client, proposal, name, note="")
    assert response.status_code == 400
    assert f"Write a message to the organizers {asks}" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED


# What a newcomer met following the recipes in docs/architecture.md.


def test_a_transition_that_emails_nobody_records_no_email():
    proposal, _token = factories.proposal_in_state(State.REVIEWED)
    record = ProposalTransition(
        proposal=proposal,
        transition="pause",
        from_state=State.REVIEWED,
        to_state=State.SUBMITTED,
        actor_label="Maria Manager",
    )
    assert recording.record_transition(proposal=proposal, record=record) == []


def test_a_transition_without_a_sentence_of_its_own_is_told_in_the_staff_history_by_name():
    record = ProposalTransition(transition="pause", actor_label="Maria Manager")
    assert history._sentence(record) == "Pause by Maria Manager"
