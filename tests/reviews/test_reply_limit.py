"""Organizers' messages to the staff from their proposal's page: at most 10 an hour per
proposal, then a clear message (429) that keeps what they typed and sends nothing."""

import types

import pytest
from django.test import Client

from common import throttle
from intake.models import State
from reviews.models import Comment
from tests import factories


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_800_000_000.0 - 1_800_000_000 % 3600}
    monkeypatch.setattr(throttle, "time", types.SimpleNamespace(time=lambda: now["t"]))
    return lambda seconds: now.update(t=now["t"] + seconds)


@pytest.mark.django_db
def test_the_eleventh_message_in_an_hour_is_refused_and_kept(clock):
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    client = Client()
    codes = [
        client.post(f"/proposals/{token}/reply/", {"body": f"Message {n}"}).status_code
        for n in range(10)
    ]
    assert codes == [302] * 10
    response = client.post(f"/proposals/{token}/reply/", {"body": "One more thing: the room."})
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    body = response.content.decode()
    assert "Your message was not sent" in body
    assert "10 messages" in body and "in an hour" in body
    assert "One more thing: the room." in body  # kept to send later
    assert Comment.objects.filter(proposal=proposal).count() == 10
    clock(3600)
    assert client.post(f"/proposals/{token}/reply/", {"body": "Later"}).status_code == 302


@pytest.mark.django_db
def test_the_limit_is_per_proposal(clock):
    first, first_token = factories.proposal_in_state(State.SUBMITTED)
    _second, second_token = factories.proposal_in_state(State.SUBMITTED)
    client = Client()
    for n in range(10):
        client.post(f"/proposals/{first_token}/reply/", {"body": f"Message {n}"})
    assert client.post(f"/proposals/{second_token}/reply/", {"body": "Hi"}).status_code == 302
