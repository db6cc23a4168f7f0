"""The directory and the manager's edit form in a real browser: accessibility (axe) and the
keyboard. Database work happens before Playwright starts (its sync API runs an event loop)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.roles import PROGRAM_MANAGERS_GROUP
from meetups import services
from meetups.models import Meetup
from tests import factories

PAGE = Path(__file__).parent / "data" / "metro-meetups-page.md"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_directory_and_edit_form_in_a_browser(live_server):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    Group.objects.get_or_create(name=PROGRAM_MANAGERS_GROUP)
    services.import_listing(text=PAGE.read_text(encoding="utf-8"))
    boss = factories.staff_user(role="manager", email="boss@example.org", is_staff=True)
    # Read before the browser starts (no database calls beside its event loop); a code
    # stays good for a step either side (MFA_TOTP_TOLERANCE).
    code = factories.totp_code(boss)
    axe = Axe()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{live_server.url}/meetups/")
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()

        # From the contents list to a group, by keyboard only.
        link = page.get_by_role("link", name="Web Archiving Interest Group").first
        link.focus()
        page.keyboard.press("Enter")
        assert page.url.endswith("#group-web-archiving-interest-group")

        page.goto(f"{live_server.url}/meetups/code4libnyc/")
        assert axe.run(page).violations_count == 0

        # The admin's sign-in is the staff sign-in: password, then the authenticator's code.
        page.goto(f"{live_server.url}/admin/login/?next=/meetups/code4libnyc/edit/")
        page.fill("#id_login", "boss@example.org")
        page.fill("#id_password", "correct horse battery")
        page.keyboard.press("Enter")
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.fill("#id_code", code)
        page.keyboard.press("Enter")
        page.wait_for_url("**/meetups/code4libnyc/edit/")
        page.get_by_label("Web address").fill("not an address")
        page.get_by_role("button", name="Save changes").click()
        assert page.get_by_role("alert").is_visible()
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
        page.get_by_role("link", name="Web address: Enter a full web address").click()
        assert page.evaluate("document.activeElement.id") == "id_url"

        page.get_by_label("Web address").fill("https://code4lib.example/")
        page.get_by_role("button", name="Save changes").click()
        # (the browser keeps the #id_url fragment through the redirect)
        page.wait_for_url(re.compile(r"/meetups/code4libnyc/(#.*)?$"))
        assert "Code4LibNYC is saved" in page.inner_text("main")
        assert "https://code4lib.example/" in page.content()
        browser.close()

    assert Meetup.objects.get(slug="code4libnyc").url == "https://code4lib.example/"
