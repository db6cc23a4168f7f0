"""Accessibility of the public and organizer pages beyond the journeys: every page at desktop
and phone widths under axe-core, labels and descriptions of every form control, the skip
link, the footer's accessibility statement, and the status tracker in words."""

import re

import pytest
from playwright.sync_api import expect

from intake import my_data
from intake.models import State
from intake.overlap import Match
from tests import factories

from .helpers import (
    BROWSER,
    DESKTOP,
    PHONE,
    active_element,
    assert_accessible,
    assert_fields_labelled_and_described,
    assert_fits_the_width,
)

pytestmark = BROWSER


def organizer_pages() -> list[str]:
    """A private page in each state an organizer can meet, plus the forms around them."""
    _, draft_token = factories.draft()
    _, changes_token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    _, approved_token = factories.proposal_in_state(State.APPROVED)
    withdrawn, withdrawn_token = factories.proposal_in_state(State.WITHDRAWN)
    submitted, _ = factories.proposal_in_state(State.SUBMITTED)
    introduction = Match(kind="proposal", name="", score=1, reference=submitted.reference)
    return [
        f"/proposals/{draft_token}/",
        f"/proposals/{draft_token}/check/",
        f"/proposals/{draft_token}/edit/",
        f"/proposals/{draft_token}/withdraw/",
        f"/proposals/{changes_token}/",
        f"/proposals/{changes_token}/edit/",
        f"/proposals/{approved_token}/",
        f"/proposals/{withdrawn_token}/",
        f"/proposals/{withdrawn_token}/erase/",
        f"/propose/introduction/{introduction.introduction_token}/",
        f"/privacy/my-data/{my_data.make_token(withdrawn.organizers.first().email)}/",
    ]


PUBLIC_PAGES = [
    "/",
    "/guidelines/",
    "/accessibility/",
    "/privacy/",
    "/privacy/my-data/",
    "/propose/",
    "/proposals/find/",
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_public_and_organizer_page_passes_axe_and_fits_the_screen(new_page, viewport):
    page = new_page(viewport)
    for path in [*PUBLIC_PAGES, *organizer_pages(), "/no-such-page/"]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        # The program name and the navigation are in the header on every page.
        expect(page.get_by_role("banner").get_by_role("link", name="METRO Meetups")).to_be_visible()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        assert_accessible(page)
        assert_fits_the_width(page)


def test_forms_showing_errors_pass_axe(page):
    _, token = factories.draft()
    page.goto("/proposals/find/")
    page.get_by_role("button", name="Email me the links").click()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.goto(f"/proposals/{token}/withdraw/")
    page.get_by_role("button", name="Discard draft").click()  # a draft (issue 13)
    expect(page.get_by_role("main")).to_contain_text("Tick the box to confirm")
    assert_accessible(page)

    page.goto("/propose/")
    page.get_by_role("button", name="Save and check your answers").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)


def test_every_field_has_a_visible_label_and_tied_help_and_error_text(page):
    page.goto("/propose/")
    page.get_by_role("button", name="Save and check your answers").click()
    expect(page.locator("#error-summary")).to_be_visible()
    controls = assert_fields_labelled_and_described(page)
    assert len(controls) > 30  # the whole form was inspected
    invalid = {c["id"] for c in controls if c["invalid"]}
    assert {"id_name", "id_organizers-0-email", "id_meeting_frequency_0"} <= invalid

    _, token = factories.draft()
    for path, button in [
        ("/proposals/find/", "Email me the links"),
        (f"/proposals/{token}/withdraw/", "Discard draft"),  # a draft is discarded (issue 13)
    ]:
        page.goto(path)
        assert_fields_labelled_and_described(page)
        page.get_by_role("button", name=button).click()
        # The answer is a new page: wait for it (a busy machine takes a while) before reading.
        expect(page.locator("[aria-invalid='true']").first).to_be_visible()
        assert any(c["invalid"] for c in assert_fields_labelled_and_described(page))


def test_skip_link_moves_focus_to_the_main_content(page):
    page.goto("/guidelines/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["height"] >= 24  # shown when focused
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "main"
    # The next Tab goes to the first link of the content, past the header.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused


def test_footer_links_to_the_accessibility_statement(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility").click()
    expect(page).to_have_url(re.compile(r"/accessibility/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_role("main")).to_contain_text("WCAG) 2.2 at level AA")


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (State.DRAFT, ["Draft Current", "Submitted To come", "Reviewed To come"]),
        (
            State.CHANGES_REQUESTED,
            ["Draft Done", "Submitted Done", "Changes requested Current", "Reviewed To come"],
        ),
        (State.APPROVED, ["Draft Done", "Submitted Done", "Reviewed Done", "Approved Done"]),
    ],
)
def test_status_tracker_is_written_in_words(page, state, expected):
    _, token = factories.proposal_in_state(state)
    page.goto(f"/proposals/{token}/")
    steps = page.get_by_role("list", name="Progress").get_by_role("listitem")
    texts = [" ".join(t.split()) for t in steps.all_inner_texts()]
    for number, words in enumerate(expected, start=1):
        assert f"Step {number}: {words}" in texts
    # Colour is not the only signal: with every style removed, the words remain.
    page.evaluate("document.querySelectorAll('link[rel=stylesheet]').forEach(l => l.remove())")
    assert [" ".join(t.split()) for t in steps.all_inner_texts()] == texts
