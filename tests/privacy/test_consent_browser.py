"""In a real browser: a co-organizer named on a proposal is not on the directory after
approval until they confirm from their email; then they are. Database work happens before
Playwright starts (its sync API runs an event loop)."""

import pytest
from django.core import mail

from tests.privacy.helpers import CO, PRIMARY, approved_group, link_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_co_organizer_appears_on_the_directory_once_they_confirm(live_server):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    approved_group(name="Consent Walkers")  # without a broker, emails go after commit
    message = next(m for m in mail.outbox if CO[1] in m.to and "approved" in m.subject.lower())
    path = link_in(message)
    axe = Axe()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{live_server.url}/meetups/")
        text = page.locator("main").inner_text()
        assert PRIMARY[0] in text
        assert CO[0] not in text

        page.goto(f"{live_server.url}{path}")
        assert page.get_by_role("heading", name="May we show your name on the directory?").count()
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
        page.get_by_role("button", name="Yes, show my name").click()
        page.get_by_text("your name is now on the directory").wait_for()

        page.goto(f"{live_server.url}/meetups/")
        assert CO[0] in page.locator("main").inner_text()
        browser.close()
