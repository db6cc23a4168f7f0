"""Throttles behind a reverse proxy (issue 16, defect 9): the client address comes from
X-Forwarded-For only when the request came from a trusted proxy (DJANGO_TRUSTED_PROXIES);
from anywhere else the header is ignored."""

import ipaddress
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from intake.models import Proposal
from tests.intake.forms_data import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("192.0.2.1"),
    ]
    settings.PROPOSALS_PER_HOUR = 2
    return settings


def propose(client, n, **headers):
    return client.post("/propose/", form_data(name=f"Proxy Group {n}"), **headers)


def test_clients_behind_a_trusted_proxy_each_get_their_own_bucket(client, behind_proxy):
    # Two clients, both arriving through the proxy at 10.1.1.1 (which appends what it saw).
    for n in range(2):
        alice = propose(client, n, REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
        assert alice.status_code == 302
    bob = propose(client, 9, REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert bob.status_code == 302
    # Alice's third is over her own limit, whatever she puts on the left of the header,
    # and through a chain of trusted proxies.
    spoofed = propose(
        client,
        3,
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="203.0.113.77, 198.51.100.1, 10.2.2.2",
    )
    assert spoofed.status_code == 429
    assert Proposal.objects.count() == 3


def test_spoofing_x_forwarded_for_from_an_untrusted_address_changes_nothing(client, behind_proxy):
    for n in range(2):
        response = propose(
            client, n, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
        assert response.status_code == 302
    # A new forged address does not buy a new bucket.
    response = propose(client, 5, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(client, settings):
    settings.PROPOSALS_PER_HOUR = 1
    assert (
        propose(client, 1, REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code
        == 302
    )
    assert (
        propose(client, 2, REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code
        == 429
    )


# allauth's failed sign-in limit per address (config/accounts.py: 20 in 15 minutes).
SIGN_IN_FAILURES_PER_ADDRESS = 20


def test_sign_in_throttle_counts_the_forwarded_client_too(client, behind_proxy):
    for n in range(SIGN_IN_FAILURES_PER_ADDRESS):
        client.post(
            "/accounts/login/",
            {"login": f"someone{n}@example.org", "password": "guess"},
            REMOTE_ADDR="10.1.1.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    limited = client.post(
        "/accounts/login/",
        {"login": "x@example.org", "password": "guess"},
        REMOTE_ADDR="10.1.1.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    other = client.post(
        "/accounts/login/",
        {"login": "x@example.org", "password": "guess"},
        REMOTE_ADDR="10.1.1.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert "too many failed sign-ins" in limited.content.decode()
    assert "is not right" in other.content.decode()


def test_a_bad_trusted_proxies_value_stops_the_start_with_a_clear_message():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_TRUSTED_PROXIES": "10.0.0.0/8, not-an-address",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in result.stderr and "not-an-address" in result.stderr
