"""Staff accounts in a real browser (issue 27): a program manager enrolls an authenticator
app and signs in with its code, with a recovery code and with a passkey (a virtual
authenticator through Chromium's DevTools protocol); a reviewer resets a forgotten password
from the email; the CSV export asks for a fresh sign-in; /admin/ needs the second factor too.
Every page is checked with axe, at the phone width too, and no script is refused by the CSP."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.factories import STAFF_PASSWORD
from tests.waiting import wait_for

from .helpers import BROWSER, PHONE, assert_accessible, assert_fits_the_width, sign_in

pytestmark = BROWSER


def watch_csp(page) -> list[str]:
    """What the browser refused under the Content-Security-Policy, as it happens."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def check(page) -> None:
    assert_accessible(page)
    assert_fits_the_width(page)


def code_for(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time() // factories.TOTP_PERIOD)))


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("status").first).to_contain_text("You have signed out.")


def test_a_manager_enrolls_an_authenticator_then_signs_in_with_a_code_and_a_recovery_code(
    new_page,
):
    manager = factories.staff_user(role="manager", two_factor=False)
    page = new_page()
    refused = watch_csp(page)
    page.goto("/accounts/login/")
    check(page)
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # No second factor yet: sent to set one up before any staff page.
    expect(page.get_by_role("main")).to_contain_text("needs two-factor sign-in")
    check(page)
    page.get_by_role("link", name="Set up an authenticator app").click()
    if "reauthenticate" in page.url:
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    check(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(code_for(secret))
    page.get_by_role("button", name="Turn on the authenticator app").click()
    expect(page.get_by_role("main")).to_contain_text("Recovery")
    assert Authenticator.objects.filter(user=manager, type="totp").exists()
    check(page)
    page.goto("/reviews/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    sign_out(page)

    # Signing in now asks for the code.
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    check(page)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Incorrect code")
    check(page)
    page.get_by_label("Code").fill(factories.totp_code(manager))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    sign_out(page)

    # Without the phone: a recovery code, once.
    code = factories.recovery_code(manager)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    assert (
        code
        not in RecoveryCodes(
            Authenticator.objects.get(user=manager, type="recovery_codes")
        ).get_unused_codes()
    )
    assert refused == []


def test_a_manager_adds_a_passkey_and_signs_in_with_it(new_page, live_server):
    manager = factories.staff_user(role="manager")
    page = new_page()
    refused = watch_csp(page)
    # A passkey belongs to a domain name (never an IP address): the same server, as localhost.
    base = live_server.url.replace("127.0.0.1", "localhost")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.goto(f"{base}/accounts/login/")
    sign_in(page, manager)
    page.goto(f"{base}/accounts/2fa/webauthn/add/")
    if "reauthenticate" in page.url:
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    check(page)
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add this passkey").click()
    expect(page.get_by_role("main")).to_contain_text(
        re.compile("added|Recovery|security key", re.I)
    )
    # The page can show those words before the browser's passkey is stored: wait for it.
    wait_for(
        lambda: Authenticator.objects.filter(user=manager, type="webauthn").exists(),
        what="the passkey to be stored",
    )
    # And for the browser to leave the add page (the save redirects): a navigation of our
    # own before that is interrupted by it.
    page.wait_for_url(lambda url: "/webauthn/add/" not in url, timeout=30_000)
    page.wait_for_load_state()
    page.goto(f"{base}/accounts/2fa/webauthn/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkeys and security keys")
    expect(page.get_by_role("main")).to_contain_text("Passkey")
    check(page)
    page.goto(f"{base}/accounts/2fa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    check(page)
    sign_out(page)

    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    assert refused == []


def test_a_reviewer_resets_a_forgotten_password_from_the_email(new_page):
    reviewer = factories.staff_user(role="reviewer", email="riley@council.example.org")
    page = new_page(PHONE)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Reset it by email").click()
    check(page)
    page.get_by_label("Email").fill("riley@council.example.org")
    page.get_by_role("button", name="Email me a reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check(page)
    [message] = [m for m in mail.outbox if m.to == ["riley@council.example.org"]]
    assert "Hello from METRO Meetups" in message.body
    assert f"{settings.SITE_URL}/accounts/password/reset/key/" in message.body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    check(page)
    page.locator("#id_password1").fill("a brand new passphrase")
    page.locator("#id_password2").fill("a brand new passphrase")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")
    check(page)
    reviewer.refresh_from_db()
    assert reviewer.check_password("a brand new passphrase")
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(reviewer.email)
    page.get_by_label("Password").fill("a brand new passphrase")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")


def test_the_csv_export_right_after_signing_in_downloads_at_once(new_page):
    """A sign-in that just happened is fresh: no second password (the flow after five
    minutes, back to the queue with the download: tests/accounts/test_two_factor.py)."""
    manager = factories.staff_user(role="manager")
    factories.proposal_in_state("submitted")
    page = new_page()
    page.goto("/accounts/login/")
    sign_in(page, manager)
    page.get_by_role("link", name="All").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these proposals as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")


def test_signing_in_to_the_admin_needs_the_second_factor_too(new_page):
    manager = factories.staff_user(role="manager", is_staff=True)
    page = new_page()
    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    page.get_by_label("Code").fill(factories.totp_code(manager))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Site administration")


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/"])
def test_account_pages_fit_a_phone(new_page, path):
    page = new_page(PHONE)
    page.goto(path)
    check(page)


def test_setting_up_an_authenticator_app_fits_a_phone(new_page):
    """The setup page on a phone: the QR code, the setup key and the code field fit."""
    import os

    reviewer = factories.staff_user(role="reviewer")
    page = new_page(PHONE)
    page.goto("/accounts/login/")
    sign_in(page, reviewer)
    page.goto("/accounts/2fa/totp/activate/")
    if "reauthenticate" in page.url:
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    check(page)
    if os.environ.get("SCREENSHOTS_DIR"):
        page.screenshot(path=f"{os.environ['SCREENSHOTS_DIR']}/totp-setup-390.png", full_page=True)
