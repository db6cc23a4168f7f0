"""Guessing a staff member's password must not lock the owner out (issue 16, defect 10; issue
27): allauth's failed sign-in limits count per address and per (account, address) pair, never
per account alone, so guesses from many addresses cannot use up the owner's attempts; a
program manager's password alone signs no one in (second factor); the owner is told by
email, once per window."""

import types

import pytest
from allauth.core.internal import ratelimit
from django.core import mail
from django.test import Client

from notifications.models import Kind, Notification
from tests import factories
from tests.factories import STAFF_PASSWORD as PASSWORD
from tests.sign_in import SECOND_FACTOR, second_factor, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

RILEY = "riley@council.example.org"
MORGAN = "morgan@council.example.org"


class Clock:
    """The wall clock allauth's rate limits read, moved on by the test instead of waited for."""

    def __init__(self, start: float):
        self.now = start

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def rate_limit_clock(monkeypatch):
    import time

    clock = Clock(time.time())
    fake = types.SimpleNamespace(time=clock.time, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(ratelimit, "time", fake)
    return clock


def refused(response) -> bool:
    return "too many failed sign-ins" in response.content.decode()


def test_an_attacker_guessing_from_one_address_does_not_lock_out_the_owner(client):
    factories.staff_user(email=RILEY)
    for n in range(5):
        assert not refused(sign_in(client, RILEY, f"guess-{n}", REMOTE_ADDR="198.51.100.66"))
    assert refused(sign_in(client, RILEY, "guess-again", REMOTE_ADDR="198.51.100.66"))
    # The owner, from their own connection, signs in at once.
    response = sign_in(client, RILEY, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_guesses_from_rotating_addresses_never_keep_a_program_manager_out(rate_limit_clock):
    """The attack that kept a manager out before (0 of 12 right sign-ins in 30 s answered):
    a guess every half second, each from a new address, while the owner signs in every 2.5 s
    from their own. Every one of the owner's sign-ins is let through to the second factor."""
    manager = factories.staff_user(role="manager", email=MORGAN)
    attacker = Client()
    answered = 0
    for tick in range(60):  # 30 seconds, a guess each half second
        sign_in(attacker, MORGAN, f"guess-{tick}", REMOTE_ADDR=f"198.51.{tick}.9")
        if tick % 5 == 4:  # every 2.5 s, the owner
            owner = Client()
            response = sign_in(owner, MORGAN, PASSWORD, REMOTE_ADDR="203.0.113.20")
            if response.status_code == 302 and response["Location"].startswith(SECOND_FACTOR):
                answered += 1
        rate_limit_clock.advance(0.5)
    assert answered == 12
    # The password alone gave the attacker nothing; the owner finishes with their code.
    assert "_auth_user_id" not in attacker.session
    response = second_factor(owner, factories.totp_code(manager), REMOTE_ADDR="203.0.113.20")
    assert response.status_code == 302 and response["Location"] == "/reviews/"
    assert owner.get("/reviews/").status_code == 200


def test_one_address_guessing_many_accounts_is_stopped(rate_limit_clock):
    factories.staff_user(email=RILEY)
    attacker = Client()
    for n in range(20):
        sign_in(attacker, f"someone{n}@example.org", "guess", REMOTE_ADDR="198.51.100.7")
    assert refused(sign_in(attacker, RILEY, PASSWORD, REMOTE_ADDR="198.51.100.7"))
    # The limit is over after its window (15 minutes), without anyone waiting for it here.
    rate_limit_clock.advance(15 * 60 + 1)
    assert sign_in(attacker, RILEY, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_owner_is_told_once_per_window_when_their_account_is_guessed(client):
    owner = factories.staff_user(email=RILEY)
    for n in range(15):
        sign_in(client, RILEY, f"guess-{n}", REMOTE_ADDR=f"198.51.100.{n + 1}")
    rows = list(Notification.objects.filter(kind=Kind.SIGN_IN_GUESSED))
    assert [row.recipient for row in rows] == [owner.email]
    alerts = [m for m in mail.outbox if "Failed sign-ins" in m.subject]
    assert [m.to for m in alerts] == [[owner.email]]
    assert "failed attempts to sign in" in alerts[0].body
    assert PASSWORD not in alerts[0].body


def test_guessing_an_address_with_no_account_emails_nobody(client):
    for n in range(7):
        sign_in(client, "nobody@example.org", "guess", REMOTE_ADDR=f"198.51.100.{n + 1}")
    assert not Notification.objects.filter(kind=Kind.SIGN_IN_GUESSED).exists()
    assert mail.outbox == []
