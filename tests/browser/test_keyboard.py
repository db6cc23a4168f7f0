"""The proposal form with the keyboard alone: Tab, Shift+Tab, Space, Enter, arrow keys and
typing. No click, no fill(): if a control cannot be reached or used by keyboard, this fails."""

import re

from playwright.sync_api import expect

from intake.models import Proposal, State

from .helpers import BROWSER, active_element, assert_accessible

pytestmark = BROWSER

MAX_TABS = 120


def tab_to(page, element_id: str, *, key: str = "Tab") -> None:
    """Press Tab until the element with this id has the focus (as a person would)."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if active_element(page)["id"] == element_id:
            return
    raise AssertionError(
        f"#{element_id} never received the focus after {MAX_TABS} presses of {key}"
    )


def type_into(page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.type(text)


def tick(page, element_id: str) -> None:
    tab_to(page, element_id)
    page.keyboard.press("Space")
    expect(page.locator(f"#{element_id}")).to_be_checked()


def test_keyboard_alone_proposes_a_group(page):
    page.goto("/")

    # The first Tab reaches the skip link, which is then visible and leads into the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "main"

    # From the main content, the next links are the page's own, not the navigation again.
    for _ in range(10):
        page.keyboard.press("Tab")
        if active_element(page)["text"] == "Propose a group":
            break
    focused = active_element(page)
    assert focused["text"] == "Propose a group"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a group")

    type_into(page, "id_name", "Maps and Map Librarians")
    type_into(page, "id_description", "Cartographic collections: care, cataloguing, use.")
    type_into(page, "id_audience", "Map librarians and curious colleagues.")
    tick(page, "id_open_to_all")
    type_into(page, "id_differs_from_existing", "No listed group covers maps.")
    type_into(page, "id_organizers-0-name", "Priya Shah")
    type_into(page, "id_organizers-0-email", "priya@example.org")
    type_into(page, "id_organizers-0-institution", "New York Public Library")
    tick(page, "id_organizers-0-institution_is_member")
    type_into(page, "id_organizers-1-name", "Lee Chen")
    type_into(page, "id_organizers-1-email", "lee@example.org")
    type_into(page, "id_organizers-1-institution", "Independent")
    # Leaving a ticked box alone, then on: "Show their name" is ticked by default.
    expect(page.locator("#id_organizers-1-listed_publicly")).to_be_checked()
    type_into(page, "id_activities", "Talks and visits to map rooms.")

    # A radio group: Tab enters it, the arrow keys choose.
    tab_to(page, "id_meeting_frequency_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Quarterly")).to_be_checked()
    tab_to(page, "id_meeting_format_0")
    page.keyboard.press("Space")
    expect(page.get_by_label("In person at the council")).to_be_checked()

    tick(page, "id_wants_meeting_space")
    tick(page, "id_agrees_to_guidelines")
    # The code of conduct is forgotten: the form says so, and the keyboard user recovers.
    tab_to(page, "id_agrees_to_code_of_conduct")
    for _ in range(5):
        page.keyboard.press("Tab")
        if active_element(page)["text"] == "Save and check your answers":
            break
    assert active_element(page)["text"] == "Save and check your answers"
    page.keyboard.press("Enter")

    expect(page).to_have_title(re.compile("^Error: "))
    assert active_element(page)["id"] == "error-summary"
    expect(page.locator("#error-summary")).to_contain_text(
        "We will follow the code of conduct at every meeting: Tick this box to agree"
    )
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert active_element(page)["text"].startswith("We will follow the code of conduct")
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "id_agrees_to_code_of_conduct"
    page.keyboard.press("Space")
    expect(page.locator("#id_agrees_to_code_of_conduct")).to_be_checked()
    # What was typed before the error is still there.
    expect(page.locator("#id_name")).to_have_value("Maps and Map Librarians")
    for _ in range(5):
        page.keyboard.press("Tab")
        if active_element(page)["text"] == "Save and check your answers":
            break
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.get_by_role("main")).to_contain_text("Maps and Map Librarians")
    # The support asked for is a list (issue 13).
    expect(
        page.get_by_role("main").get_by_role("listitem").filter(has_text="Meeting space")
    ).to_have_count(1)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if active_element(page)["text"] == "Submit proposal":
            break
    assert active_element(page)["text"] == "Submit proposal"
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Proposal submitted")
    proposal = Proposal.objects.get()
    assert proposal.state == State.SUBMITTED
    assert proposal.name == "Maps and Map Librarians"
    assert proposal.meeting_frequency == "quarterly"
    assert proposal.meeting_format == "at_council"
    assert proposal.wants_meeting_space and not proposal.wants_promotion
    assert [o.email for o in proposal.organizers.order_by("position")] == [
        "priya@example.org",
        "lee@example.org",
    ]
