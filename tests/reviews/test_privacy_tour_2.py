"""Issue 27, the second fresh-eyes tour (priv27c): the staff review side."""

import re

import pytest
from django.test import Client

from intake.models import State
from notifications import delivery
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def _manager_client():
    client = Client()
    client.force_login(factories.staff_user(role="manager"))
    return client


def _decide(client, proposal, **extra):
    return client.post(
        f"/reviews/{proposal.reference}/decide/",
        {"transition": "approve", "note": "", "expected_state": "reviewed", **extra},
    )


def test_item15_approving_a_group_with_no_public_description_warns_and_the_email_asks_for_one():
    proposal, _ = factories.proposal_in_state(State.REVIEWED, summary="")
    client = _manager_client()
    html = _decide(client, proposal).content.decode()
    assert "has no public description" in html
    _decide(client, proposal, confirm="1")
    organizer = proposal.organizers.first()
    body = delivery.build_email(
        Notification.objects.get(kind=Kind.APPROVED, recipient=organizer.email)
    ).body
    assert "no public description" in body
    assert "Please write one on your group's private page" in body
    assert re.search(r"http://[^/\s]+/groups/[A-Za-z0-9_-]+/", body), body


def test_item15_a_group_with_a_public_description_gets_no_warning():
    proposal, _ = factories.proposal_in_state(State.REVIEWED, summary="We meet monthly.")
    client = _manager_client()
    assert "has no public description" not in _decide(client, proposal).content.decode()
    _decide(client, proposal, confirm="1")
    organizer = proposal.organizers.first()
    body = delivery.build_email(
        Notification.objects.get(kind=Kind.APPROVED, recipient=organizer.email)
    ).body
    assert "no public description" not in body
