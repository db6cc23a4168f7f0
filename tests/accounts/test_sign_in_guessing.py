"""Guessing a staff member's password must not lock the owner out (issue 16, defect 10):
wrong passwords are throttled per (account, client address); the per-account ceiling only
slows sign-ins down; the owner is told by email, once per window."""

import pytest
from django.core import mail

from accounts import views
from notifications.models import Kind, Notification
from tests import factories
from tests.factories import STAFF_PASSWORD as PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

RILEY = "riley@council.example.org"


def sign_in(client, password, address, username=RILEY):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_an_attacker_guessing_from_one_address_does_not_lock_out_the_owner(client):
    factories.staff_user(email=RILEY)
    for n in range(views.SIGN_IN_FAILURES_PER_PAIR):
        assert sign_in(client, f"guess-{n}", "198.51.100.66").status_code == 200
    assert sign_in(client, "guess-again", "198.51.100.66").status_code == 429
    # The owner, from their own connection, signs in at once.
    response = sign_in(client, PASSWORD, "203.0.113.5")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_guessing_from_many_addresses_slows_the_account_but_the_owner_still_gets_in(client):
    factories.staff_user(email=RILEY)
    for n in range(views.SIGN_IN_FAILURES_PER_ACCOUNT):
        # A botnet: every guess from another address.
        assert sign_in(client, f"guess-{n}", f"198.51.100.{n + 1}").status_code == 200
    # Over the account's ceiling: one attempt per SIGN_IN_SLOW_SECONDS, the rest told to wait.
    answers = [sign_in(client, "guess", f"192.0.2.{n + 1}") for n in range(5)]
    codes = [r.status_code for r in answers]
    assert codes.count(429) >= 4
    waits = [int(r["Retry-After"]) for r in answers if r.status_code == 429]
    assert all(0 < wait <= views.SIGN_IN_SLOW_SECONDS for wait in waits)
    assert "one attempt every" in answers[codes.index(429)].content.decode()


def test_the_owner_is_told_once_per_window_when_their_account_is_guessed(client):
    owner = factories.staff_user(email=RILEY)
    for n in range(views.SIGN_IN_ALERT_AFTER + 10):
        sign_in(client, f"guess-{n}", f"198.51.100.{n + 1}")
    rows = list(Notification.objects.filter(kind=Kind.SIGN_IN_GUESSED))
    assert [row.recipient for row in rows] == [owner.email]
    alerts = [m for m in mail.outbox if "Failed sign-ins" in m.subject]
    assert [m.to for m in alerts] == [[owner.email]]
    assert "failed attempts to sign in" in alerts[0].body
    assert PASSWORD not in alerts[0].body


def test_guessing_an_address_with_no_account_emails_nobody(client):
    for n in range(views.SIGN_IN_ALERT_AFTER + 2):
        sign_in(client, "guess", f"198.51.100.{n + 1}", username="nobody@example.org")
    assert not Notification.objects.filter(kind=Kind.SIGN_IN_GUESSED).exists()
    assert mail.outbox == []
