"""The main pages at desktop (1280 px) and phone (390 px) widths: each is complete, keeps
the program name and navigation in its header, and never scrolls sideways.

`make screenshots` runs this module with SCREENSHOTS_DIR=docs/screenshots, and then each
page is also saved there as a full-page PNG named <page>-<width>.png."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from intake.models import State
from meetups.models import Meetup, MeetupOrganizer
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE, horizontal_overflow

pytestmark = BROWSER

SCREENSHOTS_DIR = os.environ.get("SCREENSHOTS_DIR", "")

GROUPS = [
    (
        "Code4LibNYC",
        "https://www.meetup.com/code4libnyc/",
        ["Stephen Klein"],
        "Open to all library staff interested in the coding, deployment, and design of "
        "library software, systems, and web services.",
    ),
    (
        "Economic & Business Librarians",
        "https://www.meetup.com/Economics-Business-Librarians-Group/",
        ["Lucy Heckman", "Dan Hicks"],
        "Public, academic, and special librarians with an interest in business "
        "librarianship discuss new resources and best practices.",
    ),
    (
        "Instruction and Reference in Libraries",
        "https://www.meetup.com/InstructionReference/",
        ["Linda Miles", "Haruko Yamauchi", "Kate Adler", "Shawnta Smith"],
        "Ideas, questions, and experiences from our teaching and reference practice.",
    ),
]


def listed_groups() -> None:
    for position, (name, url, people, description) in enumerate(GROUPS):
        meetup = Meetup.objects.create(
            name=name,
            slug=name.lower().replace(" & ", "-").replace(" ", "-"),
            url=url,
            description=description,
            position=position,
        )
        label = "Organizer" if len(people) == 1 else "Co-organizer"
        for index, person in enumerate(people):
            MeetupOrganizer.objects.create(
                meetup=meetup, name=person, role_label=label, position=index
            )


def pages() -> list[tuple[str, str, str | None]]:
    """(file name, address, a button to press there first) for each page to show."""
    listed_groups()
    _, draft_token = factories.draft(name="Zine Librarians NYC")
    _, changes_token = factories.proposal_in_state(
        State.CHANGES_REQUESTED, name="Maps and Map Librarians"
    )
    return [
        ("home", "/", None),
        ("form", "/propose/", None),
        ("form-errors", "/propose/", "Save and check your answers"),
        ("check-answers", f"/proposals/{draft_token}/check/", None),
        ("status", f"/proposals/{changes_token}/", None),
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
    problems = []
    for name, path, button in pages():
        page.goto(path)
        if button:
            page.get_by_role("button", name=button).click()
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
