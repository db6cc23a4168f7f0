"""Issue 27, the second fresh-eyes tour (priv27c): the staff accounts' side."""

import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests import factories
from tests.accounts.test_two_factor import signed_in_six_minutes_ago
from tests.sign_in import sign_in_fully

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("url", ["/admin/", "/reviews/export.csv"])
def test_item7_a_reviewer_refused_a_managers_page_is_told_it_is_for_program_managers(url):
    client = Client()
    client.force_login(factories.staff_user(role="reviewer"))
    response = client.get(url, follow=True)
    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is for program managers." in page
    assert "ask a program manager to give you the" not in page


def test_item7_someone_with_no_role_is_still_told_to_ask_for_one():
    client = Client()
    client.force_login(factories.staff_user(role="none"))
    page = client.get("/reviews/").content.decode()
    assert "ask a program manager to give you the" in page


PASSKEY_ADD = "/accounts/2fa/webauthn/add/"


def test_item5_right_after_a_full_sign_in_adding_a_passkey_does_not_ask_again():
    client = Client()
    sign_in_fully(client, factories.staff_user(role="manager"))
    response = client.get(PASSKEY_ADD)
    assert response.status_code == 200, response.get("Location")


def test_item5_later_it_asks_and_names_the_action_asked_for():
    client = Client()
    signed_in_six_minutes_ago(client, factories.staff_user(role="manager"))
    response = client.get(PASSKEY_ADD)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    page = client.get(response["Location"]).content.decode()
    assert "how you sign in" in page
    assert "download" not in page and "someone&#x27;s account" not in page


def test_item4_on_an_ip_address_the_add_passkey_page_says_so_and_links_localhost():
    client = Client()
    sign_in_fully(client, factories.staff_user(role="manager"), HTTP_HOST="127.0.0.1:8111")
    page = client.get(PASSKEY_ADD, HTTP_HOST="127.0.0.1:8111").content.decode()
    assert "browsers refuse an IP address" in page
    assert 'href="http://localhost:8111/accounts/2fa/webauthn/add/"' in page


def test_item4_on_localhost_it_says_nothing_of_the_kind():
    client = Client()
    sign_in_fully(client, factories.staff_user(role="manager"), HTTP_HOST="localhost:8111")
    page = client.get(PASSKEY_ADD, HTTP_HOST="localhost:8111").content.decode()
    assert "browsers refuse an IP address" not in page


def test_item4_a_webauthn_error_has_a_visible_place_on_the_page():
    client = Client()
    sign_in_fully(client, factories.staff_user(role="manager"))
    page = client.get(PASSKEY_ADD).content.decode()
    assert re.search(r'<div id="passkey-error"[^>]*role="alert"', page)
    assert "js/passkey-errors.js" in page
    script = (ROOT / "static" / "js" / "passkey-errors.js").read_text()
    assert "allauth.error" in script and "SecurityError" in script


def test_item4_make_run_says_to_open_localhost():
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=8111"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "http://localhost:8111/" in commands
    assert "http://127.0.0.1:8111/" not in commands
