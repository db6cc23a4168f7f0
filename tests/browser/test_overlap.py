"""Overlap warnings in a real browser: the list appears while the proposer types, in a
polite live region (read out without interrupting, focus left where it is), and the page
passes axe with it shown, at both widths; reviewers see the scores on the review page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from intake.models import State
from meetups import services as meetup_services
from tests import factories

from .helpers import (
    BROWSER,
    DESKTOP,
    PHONE,
    active_element,
    assert_accessible,
    assert_fits_the_width,
    sign_in,
)

pytestmark = BROWSER

PAGE = Path(__file__).parent.parent / "meetups" / "data" / "metro-meetups-page.md"


@pytest.fixture
def council_page():
    meetup_services.import_listing(text=PAGE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_list_appears_while_typing_in_a_polite_live_region(new_page, council_page, viewport):
    page = new_page(viewport)
    page.goto("/propose/")
    region = page.locator("#overlap-matches")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_be_empty()

    page.get_by_label("Group name").focus()
    page.keyboard.type("UX Librarians", delay=30)
    expect(region.get_by_role("listitem").first).to_contain_text(
        "User Experience (UX) in Libraries", timeout=10_000
    )
    expect(region).to_contain_text("join one of them, or co-organize")
    # Announced politely: the region itself is live and nothing moved the focus.
    assert region.evaluate("el => el.closest('[aria-hidden=true]') === null")
    assert active_element(page)["id"] == "id_name"
    link = region.get_by_role("link", name="User Experience (UX) in Libraries")
    expect(link).to_have_attribute("href", "/meetups/user-experience-ux-in-libraries/")
    # It opens in a new tab, saying so, and the warning sits right under the name being
    # typed, in sight on a phone too (issue 23).
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_contain_text("opens in a new tab")
    name_box = page.get_by_label("Group name").bounding_box()
    gap = region.bounding_box()["y"] - (name_box["y"] + name_box["height"])
    assert 0 <= gap < 120, f"the warning starts {gap:.0f} px under the name field"
    assert_accessible(page)
    assert_fits_the_width(page)

    # A name like no listed group: the warning goes away.
    page.get_by_label("Group name").fill("")
    page.get_by_label("Group name").focus()
    page.keyboard.type("Beekeeping Club", delay=30)
    expect(region).to_be_empty(timeout=10_000)


def test_the_description_alone_can_bring_up_a_group(page, council_page):
    page.goto("/propose/")
    page.get_by_label("Group name").fill("Developers' lunch")
    page.get_by_label("Purpose and scope").focus()
    page.keyboard.type(
        "For programmers and software developers at area libraries to discuss their "
        "coding projects and library systems."
    )
    expect(page.locator("#overlap-matches")).to_contain_text("Code4LibNYC", timeout=10_000)


def test_reviewers_see_the_scores_on_the_review_page(page, council_page):
    proposal, _ = factories.proposal_in_state(State.SUBMITTED, name="Code4Lib New York")
    reviewer = factories.staff_user(role="reviewer")
    page.goto("/accounts/login/?next=/reviews/")
    sign_in(page, reviewer)
    page.goto(f"/reviews/{proposal.reference}/")
    section = page.get_by_role("region", name="Similar groups and proposals")
    first_row = section.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("Code4LibNYC")
    expect(first_row).to_contain_text("%")
    assert_accessible(page)
