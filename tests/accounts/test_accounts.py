"""Staff sign-in and sign-out, throttled failures, the header links, role permissions, and
the add_staff command."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP, is_program_manager
from tests import factories
from tests.sign_in import sign_in, sign_in_fully

PASSWORD = factories.STAFF_PASSWORD


@pytest.mark.django_db
def test_sign_in_page_is_plain_and_labelled(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Staff sign-in</h1>" in html
    assert 'for="id_login"' in html and "Email" in html
    assert 'for="id_password"' in html
    assert 'autocomplete="current-password"' in html
    assert 'href="/accounts/password/reset/"' in html  # "Forgot your password?"
    assert "sign up" not in html.lower()  # accounts are made by program managers


@pytest.mark.django_db
def test_staff_sign_in_by_email_lands_on_the_queue_and_signs_out(client):
    factories.staff_user(role="reviewer", email="riley@council.example.org")
    response = sign_in(client, "Riley@Council.example.org ")
    assert response.status_code == 302 and response["Location"] == "/reviews/"
    queue = client.get("/reviews/").content.decode()
    assert 'href="/reviews/"' in queue and "Sign out" in queue
    home = client.get("/").content.decode()
    assert ">Reviews</a>" in home and "Sign out" in home
    assert "Staff sign-in" not in home  # the footer offers it to visitors only

    # Opening the sign-out address asks; only the POST signs out (a link could be
    # followed by a prefetcher).
    assert client.get("/accounts/logout/").status_code == 200
    assert client.get("/reviews/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "You have signed out." in client.get(response["Location"]).content.decode()
    assert client.get("/reviews/").status_code == 302
    assert "Sign out" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_sign_in_goes_back_to_the_page_asked_for(client):
    proposal, _ = factories.proposal_in_state("submitted")
    factories.staff_user(role="reviewer", email="riley@council.example.org")
    target = f"/reviews/{proposal.reference}/"
    response = client.get(target)
    assert response["Location"] == f"/accounts/login/?next={target}"
    page = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{target}"' in page
    response = sign_in(client, "riley@council.example.org", next_url=target)
    assert response["Location"] == target


@pytest.mark.django_db
def test_people_without_a_role_see_no_staff_links(client):
    client.force_login(factories.staff_user(role="none"))
    assert ">Reviews</a>" not in client.get("/").content.decode()
    assert client.get("/reviews/").status_code == 403


@pytest.mark.django_db
def test_wrong_password_says_so_plainly(client):
    factories.staff_user(email="riley@council.example.org")
    response = sign_in(client, "riley@council.example.org", "nope")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The email address or password is not right" in html
    assert 'value="riley@council.example.org"' in html  # kept
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_per_account_and_address(client):
    factories.staff_user(email="riley@council.example.org")
    for _ in range(5):
        response = sign_in(client, "riley@council.example.org", "guess", REMOTE_ADDR="203.0.113.1")
        assert "is not right" in response.content.decode()
    # Even the right password, from that address, waits now.
    response = sign_in(client, "RILEY@council.example.org", PASSWORD, REMOTE_ADDR="203.0.113.1")
    assert "too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The owner, from their own connection, is not affected.
    response = sign_in(client, "riley@council.example.org", PASSWORD, REMOTE_ADDR="203.0.113.3")
    assert response.status_code == 302 and response["Location"] == "/reviews/"


@pytest.mark.django_db
def test_failed_sign_ins_are_limited_per_address(client):
    factories.staff_user(email="riley@council.example.org")
    for n in range(20):
        sign_in(client, f"someone{n}@example.org", "guess", REMOTE_ADDR="198.51.100.7")
    response = sign_in(client, "riley@council.example.org", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert "too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = sign_in(client, "riley@council.example.org", PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 302


@pytest.mark.django_db
def test_groups_exist_with_sensible_permissions():
    reviewers = set(
        Group.objects.get(name=REVIEWERS_GROUP).permissions.values_list("codename", flat=True)
    )
    managers = set(
        Group.objects.get(name=PROGRAM_MANAGERS_GROUP).permissions.values_list(
            "codename", flat=True
        )
    )
    assert {"view_proposal", "add_review", "add_comment", "view_comment"} <= reviewers
    assert "change_proposal" not in reviewers
    assert reviewers < managers
    assert {"change_proposal", "change_programpage", "change_meetup"} <= managers
    assert not any(p.startswith("delete_proposal") for p in managers)


# add_staff


def _run(*args, env_password: str | None, monkeypatch):
    if env_password is None:
        monkeypatch.delenv("DJANGO_STAFF_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("DJANGO_STAFF_PASSWORD", env_password)
    out = io.StringIO()
    call_command("add_staff", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_add_staff_creates_then_updates(client, monkeypatch):
    output = _run(
        "Pat@Council.example.org",
        "--role",
        "reviewer",
        env_password="a long passphrase here",
        monkeypatch=monkeypatch,
    )
    assert "Created pat@council.example.org as reviewer" in output
    user = get_user_model().objects.get(username="pat@council.example.org")
    assert list(user.groups.values_list("name", flat=True)) == [REVIEWERS_GROUP]
    assert not user.is_staff
    assert client.login(username="pat@council.example.org", password="a long passphrase here")

    output = _run(
        "pat@council.example.org",
        "--role",
        "manager",
        env_password="another long passphrase",
        monkeypatch=monkeypatch,
    )
    assert "Updated" in output
    user = get_user_model().objects.get(username="pat@council.example.org")
    assert list(user.groups.values_list("name", flat=True)) == [PROGRAM_MANAGERS_GROUP]
    assert user.is_staff and is_program_manager(user)
    assert user.check_password("another long passphrase")
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_add_staff_refuses_a_weak_password_and_changes_nothing(monkeypatch):
    with pytest.raises(CommandError, match="not allowed.*too short"):
        _run(
            "pat@council.example.org",
            "--role",
            "reviewer",
            env_password="abc",
            monkeypatch=monkeypatch,
        )
    with pytest.raises(CommandError, match="too common"):
        _run(
            "pat@council.example.org",
            "--role",
            "reviewer",
            env_password="password123",
            monkeypatch=monkeypatch,
        )
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_add_staff_refuses_a_bad_email_or_role(monkeypatch):
    with pytest.raises(CommandError, match="not an email address"):
        _run(
            "not-an-email",
            "--role",
            "reviewer",
            env_password="a long passphrase here",
            monkeypatch=monkeypatch,
        )
    with pytest.raises(CommandError):
        _run(
            "a@b.org",
            "--role",
            "boss",
            env_password="a long passphrase here",
            monkeypatch=monkeypatch,
        )
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_add_staff_without_a_password_or_terminal_fails_clearly(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="set DJANGO_STAFF_PASSWORD"):
        _run(
            "pat@council.example.org",
            "--role",
            "manager",
            env_password=None,
            monkeypatch=monkeypatch,
        )
    assert not get_user_model().objects.exists()


def test_add_staff_in_a_real_process_with_no_stdin(tmp_path):
    """As an operator runs it from a script: no terminal, no variable, a clear message."""
    root = Path(__file__).resolve().parents[2]
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "manage.py", "add_staff", "pat@council.example.org", "--role", "reviewer"],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "set DJANGO_STAFF_PASSWORD" in result.stderr
    ok = subprocess.run(
        [sys.executable, "manage.py", "add_staff", "pat@council.example.org", "--role", "reviewer"],
        cwd=root,
        env={**env, "DJANGO_STAFF_PASSWORD": "a long passphrase here"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Created pat@council.example.org" in ok.stdout


@pytest.mark.django_db
def test_allauth_pages_speak_in_the_sites_words(client):
    page = client.get("/accounts/password/reset/").content.decode()
    assert "Reset your password" in page and "Reset My Password" not in page
    manager = factories.staff_user(role="manager")
    sign_in_fully(client, manager)
    client.post("/accounts/reauthenticate/", {"password": factories.STAFF_PASSWORD})
    page = client.get("/accounts/2fa/webauthn/add/").content.decode()
    assert "Add a passkey or security key" in page and "Add Security Key" not in page
    assert "must start with https://, or be localhost" in page
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert "Recovery codes" in page and "recovery codes available" not in page


@pytest.mark.django_db
def test_the_two_factor_pages_and_the_done_pages_speak_in_the_sites_words(client):
    from allauth.mfa.models import Authenticator

    page = client.get("/accounts/password/reset/done/").content.decode()
    assert "Check your email" in page and "We have sent you an email" not in page
    page = client.get("/accounts/password/reset/key/done/").content.decode()
    assert "Your new password is set" in page and "Change Password" not in page

    manager = factories.staff_user(role="manager")
    Authenticator.objects.create(
        user=manager,
        type=Authenticator.Type.WEBAUTHN,
        data={
            "name": "Work laptop",
            "credential": {"clientExtensionResults": {"credProps": {"rk": True}}},
        },
    )
    sign_in_fully(client, manager)
    client.post("/accounts/reauthenticate/", {"password": factories.STAFF_PASSWORD})
    page = client.get("/accounts/2fa/").content.decode()
    assert "Two-factor sign-in" in page and "Two-Factor Authentication" not in page
    assert "Turn off the authenticator app" in page and "Security Keys" not in page
    assert "You have 1 passkey or security key." in page
    page = client.get("/accounts/2fa/webauthn/").content.decode()
    assert "Passkeys and security keys" in page and "Security Keys" not in page
    assert "Work laptop" in page and "Passkey" in page and "Rename" in page

    reviewer = factories.staff_user(role="reviewer")
    client.logout()
    sign_in_fully(client, reviewer)
    client.post("/accounts/reauthenticate/", {"password": factories.STAFF_PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    assert "Set up an authenticator app" in page and "Activate Authenticator App" not in page
    assert "Setup key" in page and 'alt="QR code' in page
