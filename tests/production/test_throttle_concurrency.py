"""Rate limits under concurrency (issue 16, defect 7): simultaneous requests against real
PostgreSQL, each thread with its own database session. The check and the count are one
atomic step, so at most the limit passes."""

import threading

import pytest
from django.db import connection
from django.test import Client

from intake.models import Proposal
from tests import factories
from tests.intake.forms_data import form_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 30


def all_at_once(request) -> list[int]:
    """Run `request(n)` in THREADS threads released together; their status codes."""
    barrier = threading.Barrier(THREADS)
    codes: list[int] = []
    lock = threading.Lock()

    def run(n):
        try:
            barrier.wait(timeout=60)
            code = request(n)
            with lock:
                codes.append(code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(codes) == THREADS
    return codes


def test_thirty_simultaneous_proposals_from_one_address_make_at_most_the_limit(settings):
    settings.PROPOSALS_PER_HOUR = 10

    def propose(n):
        response = Client().post(
            "/propose/", form_data(name=f"Burst Group {n}"), REMOTE_ADDR="203.0.113.50"
        )
        return response.status_code

    codes = all_at_once(propose)
    assert Proposal.objects.count() <= 10
    assert codes.count(302) == Proposal.objects.count()
    assert set(codes) <= {302, 429}


def test_thirty_simultaneous_wrong_passwords_check_at_most_the_limit():
    """allauth counts each attempt under a lock in the shared (database) cache before the
    password is checked; an attempt that cannot take the lock in time is refused."""
    factories.staff_user(email="riley@council.example.org")

    def guess(n):
        response = Client().post(
            "/accounts/login/",
            {"login": "riley@council.example.org", "password": f"guess-{n}"},
            REMOTE_ADDR="203.0.113.51",
        )
        html = response.content.decode()
        if "is not right" in html:
            return 200  # the password was checked (and wrong)
        assert "too many failed sign-ins" in html or response.status_code == 429
        return 429  # refused without checking

    codes = all_at_once(guess)
    # The per (account, address) limit: 5 in 15 minutes (config/accounts.py).
    assert codes.count(200) <= 5
    assert set(codes) <= {200, 429}
