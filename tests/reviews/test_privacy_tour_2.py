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


def _section(html: str, title: str) -> str:
    found = re.search(rf"<h3[^>]*>{re.escape(title)}</h3>(.*?)(?:<h3|</section>)", html, re.S)
    assert found, title
    return found.group(1)


ABOUT = "We make zines and talk about zine collections."


def test_item3_what_was_shown_says_an_unnamed_proposal_was_shown_without_its_name():
    unnamed, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Zine Makers Club", description=ABOUT, shares_name_with_similar=False
    )
    named, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Zine Makers Guild", description=ABOUT, shares_name_with_similar=True
    )
    proposal, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Zine makers", description=ABOUT
    )
    client = Client()
    client.force_login(factories.staff_user(role="reviewer"))
    shown = _section(
        client.get(f"/reviews/{proposal.reference}/").content.decode(),
        "Shown to the organizers when they submitted",
    )
    assert "Zine Makers Guild" in shown  # named to them
    assert "Zine Makers Club" not in shown  # they never saw this name
    assert unnamed.reference in shown  # staff still see which proposal it was
    assert "without its name" in shown
    assert "with an invitation to join or co-organize" not in shown
