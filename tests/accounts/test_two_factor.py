"""Two-factor sign-in for those who need it, the admin behind the same sign-in, a fresh
sign-in before the CSV export and role changes, add_staff --totp, and staff keeping their
passwords across the move to allauth."""

import importlib
import io

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP
from tests import factories
from tests.factories import STAFF_PASSWORD as PASSWORD
from tests.sign_in import SECOND_FACTOR, second_factor, sign_in, sign_in_fully

pytestmark = pytest.mark.django_db


def test_a_program_manager_signs_in_with_password_then_code(client):
    manager = factories.staff_user(role="manager", email="morgan@council.example.org")
    response = sign_in(client, manager.email)
    assert response.status_code == 302 and response["Location"] == SECOND_FACTOR
    assert "_auth_user_id" not in client.session  # the password alone signs no one in
    page = client.get(SECOND_FACTOR).content.decode()
    assert "authenticator" in page.lower()
    response = second_factor(client, "000000")
    assert "Incorrect code" in response.content.decode()
    response = second_factor(client, factories.totp_code(manager))
    assert response.status_code == 302 and response["Location"] == "/reviews/"
    assert client.get("/reviews/").status_code == 200


def test_a_recovery_code_signs_in_once(client):
    manager = factories.staff_user(role="manager")
    code = factories.recovery_code(manager)
    sign_in(client, manager.email)
    assert second_factor(client, code)["Location"] == "/reviews/"
    client.post("/accounts/logout/")
    sign_in(client, manager.email)
    assert "Incorrect code" in second_factor(client, code).content.decode()


def test_a_manager_without_a_second_factor_is_sent_to_set_one_up(client):
    manager = factories.staff_user(role="manager", two_factor=False, is_staff=True)
    client.force_login(manager)
    for url in ("/reviews/", "/reviews/export.csv", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/", url
    page = client.get("/accounts/2fa/").content.decode()
    assert "needs two-factor sign-in" in page
    assert 'href="/accounts/2fa/totp/activate/"' in page


def test_reviewers_need_a_second_factor_only_when_the_setting_says_so(client, settings):
    reviewer = factories.staff_user(role="reviewer")
    client.force_login(reviewer)
    assert client.get("/reviews/").status_code == 200
    settings.MFA_REQUIRED_FOR_REVIEWERS = True
    assert client.get("/reviews/")["Location"] == "/accounts/2fa/"


def test_the_last_second_factor_of_a_manager_cannot_be_removed(client):
    manager = factories.staff_user(role="manager")
    sign_in_fully(client, manager)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=manager, type="totp").exists()
    assert response.status_code in (200, 302)


def test_the_admin_signs_in_through_the_staff_sign_in_with_a_second_factor(client):
    manager = factories.staff_user(role="manager", is_staff=True)
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/login/")
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = sign_in(client, manager.email, next_url="/admin/")
    assert response["Location"] == SECOND_FACTOR
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # not yet
    response = second_factor(client, factories.totp_code(manager))
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def signed_in_six_minutes_ago(client, user):
    """Signed in fully, long enough ago that the sign-in is no longer fresh (5 minutes)."""
    sign_in_fully(client, user)
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] -= 6 * 60
    session.save()


def test_a_sign_in_that_just_happened_is_fresh_enough_for_the_csv_export(client):
    manager = factories.staff_user(role="manager")
    sign_in_fully(client, manager)
    response = client.get("/reviews/export.csv?status=submitted")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_the_csv_export_asks_for_a_fresh_sign_in_then_returns_to_the_queue_with_it(client):
    manager = factories.staff_user(role="manager")
    signed_in_six_minutes_ago(client, manager)
    response = client.get("/reviews/export.csv?status=submitted")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")
    response = client.post(response["Location"], {"password": PASSWORD})
    # Back on the queue page the export was asked from, which starts the download.
    assert response["Location"] == "/reviews/?status=submitted&download=csv"
    page = client.get(response["Location"]).content.decode()
    assert "Your spreadsheet is downloading" in page
    assert 'content="0; url=/reviews/export.csv?status=submitted"' in page
    response = client.get("/reviews/export.csv?status=submitted")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_changing_a_role_in_the_admin_asks_for_a_fresh_sign_in_and_then_does_it(client):
    manager = factories.staff_user(role="manager", is_staff=True, is_superuser=True)
    reviewer = factories.staff_user(role="reviewer", email="riley@council.example.org")
    signed_in_six_minutes_ago(client, manager)
    url = f"/admin/auth/user/{reviewer.pk}/change/"
    assert client.get(url)["Location"].startswith("/accounts/reauthenticate/")
    managers = Group.objects.get(name=PROGRAM_MANAGERS_GROUP)
    form = {
        "username": reviewer.username,
        "email": reviewer.email,
        "is_active": "on",
        "groups": [managers.pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(url, form)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert list(reviewer.groups.values_list("name", flat=True)) == [REVIEWERS_GROUP]
    # After the fresh sign-in the change that was sent is carried out.
    response = client.post(response["Location"], {"password": PASSWORD, "next": url})
    assert response.status_code == 302
    assert list(reviewer.groups.values_list("name", flat=True)) == [PROGRAM_MANAGERS_GROUP]


def test_add_staff_with_totp_prints_a_uri_that_signs_in_at_once(client, monkeypatch):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "a long passphrase here")
    out = io.StringIO()
    call_command("add_staff", "pat@council.example.org", "--role", "manager", "--totp", stdout=out)
    output = out.getvalue()
    uri = next(line for line in output.splitlines() if line.startswith("otpauth://totp/"))
    assert "issuer=METRO%20Meetups" in uri
    user = get_user_model().objects.get(username="pat@council.example.org")
    assert (
        factories.totp_secret_from_uri(uri)
        == (Authenticator.objects.get(user=user, type="totp").data["secret"])
    )
    response = sign_in(client, "pat@council.example.org", "a long passphrase here")
    assert response["Location"] == SECOND_FACTOR
    assert second_factor(client, factories.totp_code(user))["Location"] == "/reviews/"
    # Run again: the authenticator is kept, and it says so.
    with pytest.raises(CommandError, match="already has an authenticator"):
        call_command("add_staff", "pat@council.example.org", "--role", "manager", "--totp")


def test_staff_keep_their_passwords_across_the_move(client):
    """Accounts made before allauth (no EmailAddress row) get one from the data migration,
    verified, and sign in with the password they had."""
    User = get_user_model()
    old = User.objects.create_user(
        username="old@council.example.org", email="Old@Council.example.org", password=PASSWORD
    )
    old.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    User.objects.create_user(username="nomail", email="", password=PASSWORD)
    migration = importlib.import_module("accounts.migrations.0001_staff_email_addresses")
    migration.add_email_addresses(apps, None)
    migration.add_email_addresses(apps, None)  # twice: nothing more
    address = EmailAddress.objects.get(user=old)
    assert (address.email, address.verified, address.primary) == (
        "old@council.example.org",
        True,
        True,
    )
    assert EmailAddress.objects.count() == 1
    response = sign_in(client, "old@council.example.org")
    assert response["Location"] == "/reviews/"


def test_staff_find_their_sign_in_settings_and_change_their_password(client):
    reviewer = factories.staff_user(role="reviewer")
    client.force_login(reviewer)
    page = client.get("/reviews/settings/").content.decode()
    assert 'href="/accounts/2fa/"' in page and 'href="/accounts/password/change/"' in page
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another long passphrase",
            "password2": "another long passphrase",
        },
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.check_password("another long passphrase")
