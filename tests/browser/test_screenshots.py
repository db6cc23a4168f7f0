"""The main pages at desktop (1280 px) and phone (390 px) widths: each is complete, keeps
the program name and navigation in its header, and never scrolls sideways.

`make screenshots` runs this module with SCREENSHOTS_DIR=docs/screenshots, and then each
page is also saved there as a full-page PNG named <page>-<width>.png."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from intake.models import State
from meetups import services as meetup_services
from reviews import services as review_services
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE, horizontal_overflow, sign_in

pytestmark = BROWSER

SCREENSHOTS_DIR = os.environ.get("SCREENSHOTS_DIR", "")


# The council's listing page as it is today (a copy kept with the directory's tests).
LISTING = Path(__file__).parent.parent / "meetups" / "data" / "metro-meetups-page.md"


def listed_groups() -> None:
    meetup_services.import_listing(text=LISTING.read_text(encoding="utf-8"))


def pages() -> list[tuple[str, str, str | None]]:
    """(file name, address, a button to press there first) for each page to show; the
    pages after "sign-in" are seen by a signed-in program manager."""
    _, draft_token = factories.draft(name="Zine Librarians NYC")
    _, changes_token = factories.proposal_in_state(
        State.CHANGES_REQUESTED, name="Maps and Map Librarians"
    )
    organizer_pages = [
        ("home", "/", None),
        ("form", "/propose/", None),
        ("form-errors", "/propose/", "Save and check your answers"),
        ("check-answers", f"/proposals/{draft_token}/check/", None),
        ("status", f"/proposals/{changes_token}/", None),
    ]
    listed_groups()
    submitted, _ = factories.proposal_in_state(State.SUBMITTED, name="Comics in Libraries")
    reviewer = factories.staff_user(role="reviewer", first_name="Riley", last_name="Reviewer")
    review_services.add_comment(
        proposal=submitted,
        author=reviewer,
        body="Could the first meetings be online, to reach people across the region?",
        visibility="shared",
    )
    review_services.add_comment(
        proposal=submitted,
        author=reviewer,
        body="Two similar groups folded in 2019: worth asking the organizers why this one will last.",
        visibility="internal",
    )
    return [
        *organizer_pages,
        ("directory", "/meetups/", None),
        ("sign-in", "/accounts/login/", None),
        ("review-queue", "/reviews/", None),
        ("review-page", f"/reviews/{submitted.reference}/", None),
    ]


# The longest line of running text in the content: each text node's line boxes.
_WIDEST_LINE_JS = """
() => {
  let widest = 0;
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest('table, pre')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) widest = Math.max(widest, rect.width);
  }
  return widest;
}
"""


def save(page, name: str, viewport: dict) -> None:
    if not SCREENSHOTS_DIR:
        return
    folder = Path(SCREENSHOTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}-{viewport['width']}.png", full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_fit_desktop_and_phone(new_page, viewport):
    page = new_page(viewport)
    manager = factories.staff_user(role="manager", first_name="Morgan", last_name="Manager")
    problems = []
    for name, path, button in pages():
        page.goto(path)
        if button:
            page.get_by_role("button", name=button).click()
        if name == "sign-in":
            save(page, name, viewport)
            sign_in(page, manager)
            continue
        header = page.get_by_role("banner")
        expect(header.get_by_role("link", name="METRO Meetups")).to_be_visible()
        for link in ("Groups", "Guidelines", "Propose a group"):
            expect(header.get_by_role("link", name=link, exact=True)).to_be_visible()
        expect(page.get_by_role("contentinfo")).to_be_visible()
        if horizontal_overflow(page) > 0:
            problems.append(f"{name} scrolls sideways at {viewport['width']} px")
        # Text stays at a readable measure: no line of a paragraph is longer than about
        # 90 characters (760 px of 16 px text).
        widest = page.evaluate(_WIDEST_LINE_JS)
        if widest > 760:
            problems.append(f"{name} has lines of text {widest:.0f} px long")
        save(page, name, viewport)
    assert not problems
