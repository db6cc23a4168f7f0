""" "Find my links" allows 3 requests per 10 minutes and 10 a day for one email address;
over either, the page says when to try again, with a Retry-After header, and keeps what was
typed. The clock is the throttle's, moved by the test."""

import types

import pytest

from common import throttle

FIND = "/proposals/find/"
START = 1_800_000_000 - 1_800_000_000 % 86_400 + 9 * 3600  # a 09:00 UTC, a window's start


@pytest.fixture
def clock(monkeypatch):
    now = {"t": float(START)}
    monkeypatch.setattr(throttle, "time", types.SimpleNamespace(time=lambda: now["t"]))

    def advance(seconds):
        now["t"] += seconds

    return advance


def ask(client, n, email="kim@example.org"):
    # From a new connection each time: the limit under test is the email address's.
    return client.post(FIND, {"email": email}, REMOTE_ADDR=f"198.51.100.{n % 250 + 1}")


@pytest.mark.django_db
def test_three_requests_in_ten_minutes_then_a_clear_message_with_retry_after(client, clock):
    assert [ask(client, n).status_code for n in range(3)] == [200, 200, 200]
    clock(60)
    response = ask(client, 3)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 540  # the ten minutes end 9 minutes from now
    body = response.content.decode()
    assert "Too many requests for links to this email address" in body
    assert "in 9 minutes" in body
    assert 'value="kim@example.org"' in body  # what was typed is kept
    assert ask(client, 4, email="other@example.org").status_code == 200


@pytest.mark.django_db
def test_after_ten_minutes_the_address_may_ask_again(client, clock):
    for n in range(3):
        ask(client, n)
    clock(600)
    assert ask(client, 3).status_code == 200


@pytest.mark.django_db
def test_ten_a_day_then_tomorrow(client, clock):
    codes = []
    for n in range(12):
        codes.append(ask(client, n).status_code)
        if n % 3 == 2:
            clock(600)
    assert codes == [200] * 10 + [429, 429]
    response = ask(client, 20)
    assert response.status_code == 429
    left = 15 * 3600 - 4 * 600  # until midnight UTC
    assert int(response["Retry-After"]) == left
    assert "in 14 hours" in response.content.decode()
    clock(left)
    assert ask(client, 21).status_code == 200


@pytest.mark.django_db
def test_many_addresses_from_one_connection_are_limited_too(client, clock):
    for n in range(10):
        assert client.post(FIND, {"email": f"p{n}@example.org"}).status_code == 200
    response = client.post(FIND, {"email": "p10@example.org"})
    assert response.status_code == 429 and int(response["Retry-After"]) == 3600
    assert "Too many requests for links from your connection" in response.content.decode()
