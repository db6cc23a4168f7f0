"""Issue 27, the second fresh-eyes tour (priv27c): the staff accounts' side."""

import pytest
from django.test import Client

from tests import factories
from tests.accounts.test_two_factor import signed_in_six_minutes_ago
from tests.sign_in import sign_in_fully

pytestmark = pytest.mark.django_db


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
