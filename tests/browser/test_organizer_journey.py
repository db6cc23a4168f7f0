"""An organizer proposes a group from the home page, in a real browser: fixes a validation
error, checks the answers, submits, and lands on the private status page. Every page on the
way is checked with axe-core (WCAG 2.0/2.1/2.2 A and AA) and for target sizes."""

import re

from playwright.sync_api import expect

from intake.models import Proposal, State

from .helpers import (
    BROWSER,
    active_element,
    assert_accessible,
    described_by,
    fill_proposal,
    visible_text,
)

pytestmark = BROWSER


def test_organizer_proposes_fixes_an_error_checks_and_submits(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("METRO Meetups")
    expect(page.get_by_role("banner").get_by_role("link", name="METRO Meetups")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Propose a group").click()
    expect(page).to_have_url(re.compile(r"/propose/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a group")
    expect(page.locator("#error-summary")).to_have_count(0)
    assert_accessible(page)

    # One mistake: the co-organizer's email address is not an address.
    fill_proposal(page, second_email="sam at queens library")
    page.get_by_role("button", name="Save and check your answers").click()

    expect(page).to_have_title(re.compile(r"^Error: Propose a group"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem with your answers")
    expect(summary.get_by_role("link")).to_have_text(
        "Co-organizer 1, email: Enter an email address like name@example.org."
    )
    # The summary takes focus, so a screen reader reads it first.
    assert active_element(page)["id"] == "error-summary"
    # The error sits beside its field and is tied to it, with the help text.
    email = page.locator("#id_organizers-1-email")
    expect(email).to_have_attribute("aria-invalid", "true")
    assert described_by(page, "#id_organizers-1-email") == (
        "The address is never shown publicly. | Enter an email address like name@example.org."
    )
    expect(page.locator("#id_organizers-1-email_error")).to_be_visible()
    # Nothing typed is lost.
    expect(email).to_have_value("sam at queens library")
    expect(page.get_by_label("Group name")).to_have_value("Zine Librarians NYC")
    expect(page.get_by_label("Quarterly")).to_be_checked()
    expect(page.get_by_label("We will follow the code of conduct")).to_be_checked()
    assert_accessible(page)

    # The link in the summary leads to the field.
    summary.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#id_organizers-1-email$"))
    assert active_element(page)["id"] == "id_organizers-1-email"
    email.fill("sam@example.org")
    page.get_by_role("button", name="Save and check your answers").click()

    expect(page).to_have_url(re.compile(r"/proposals/[^/]+/check/(#.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    answers = visible_text(page)
    for seen in (
        "Zine Librarians NYC",
        "Alex Rivera (primary contact), alex@example.org, Brooklyn Public Library (member)",
        "Sam Okafor",
        "Quarterly",
        "In person at the council",
        "Promotion",  # the support asked for is a list (issue 13)
    ):
        assert seen in answers
    proposal = Proposal.objects.get()
    assert proposal.state == State.DRAFT
    assert f"Proposal {proposal.reference}." in answers
    assert_accessible(page)

    page.get_by_role("button", name="Submit proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposal submitted")
    expect(page.get_by_role("main")).to_contain_text(f"Your reference is {proposal.reference}")
    private_link = page.get_by_label("Your private link").input_value()
    assert re.search(r"/proposals/[^/]+/$", private_link)
    assert_accessible(page)

    page.get_by_role("link", name="Go to your proposal's page").click()
    expect(page).to_have_url(private_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zine Librarians NYC")
    expect(page.get_by_role("main")).to_contain_text(
        f"Proposal {proposal.reference}. Status: Submitted."
    )
    # The step tracker says in words where the proposal is, not only by colour.
    steps = page.get_by_role("list", name="Progress").get_by_role("listitem")
    expect(steps).to_have_text(
        [
            re.compile(r"Step 1: Draft\s+Done"),
            re.compile(r"Step 2: Submitted\s+Current"),
            re.compile(r"Step 3: Reviewed\s+To come"),
            re.compile(r"Step 4: Decision\s+To come"),
        ]
    )
    expect(steps.nth(1)).to_have_attribute("aria-current", "step")
    expect(page.get_by_role("main")).to_contain_text("Submitted by You")
    assert_accessible(page)

    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED
