"""Every public, organizer and staff page at desktop (1280 px) and phone (390 px) widths:
each is complete, keeps the program name and navigation in its header (behind the menu
button on a phone), and never scrolls sideways.

`make screenshots` runs this module with SCREENSHOTS_DIR=docs/screenshots, and then each
page is also saved there as a full-page PNG named <page>-<width>.png."""

import os
import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from common.actors import ORGANIZER
from intake import introductions as intake_introductions
from intake import services as intake_services
from intake.models import Proposal, Question, State
from meetups import access, handovers, stewardship
from meetups import meetings as meeting_services
from meetups import services as meetup_services
from meetups.models import Meeting, Meetup, Repeat, Topic
from reviews import services as review_services
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE, horizontal_overflow, sign_in

pytestmark = BROWSER

SCREENSHOTS_DIR = os.environ.get("SCREENSHOTS_DIR", "")


# The council's listing page as it is today (a copy kept with the directory's tests).
LISTING = Path(__file__).parent.parent / "meetups" / "data" / "metro-meetups-page.md"


def listed_groups() -> None:
    meetup_services.import_listing(text=LISTING.read_text(encoding="utf-8"))


def find_links(page) -> None:
    page.get_by_label("Email address").fill("alex@example.org")
    page.get_by_role("button", name="Email me the links").click()


def confirm_approval(page) -> None:
    page.get_by_role("button", name="Approve", exact=True).click()


def propose_with_errors(page) -> None:
    page.get_by_role("button", name="Save and check your answers").click()


def ask_to_remove(page) -> None:
    page.get_by_role("button", name=re.compile("^Remove ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove")


def ask_to_remove_topic(page) -> None:
    page.get_by_role("button", name="Remove Zines and comics").click()


def say_no_longer_meeting(page) -> None:
    page.get_by_role("group", name="Is the group still meeting?").get_by_label("No").check()
    page.get_by_role("group", name="Are the organizers on the group's page").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Send the check-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("no longer meeting?")


def with_a_passkey(page) -> None:
    """The signed-in manager's passkey list with one key in it (stored as the list reads it:
    a real one is added in test_staff_accounts.py, with a virtual authenticator)."""
    Authenticator.objects.create(
        user=get_user_model().objects.get(first_name="Morgan", last_name="Manager"),
        type=Authenticator.Type.WEBAUTHN,
        data={
            "name": "Morgan's work laptop",
            "credential": {"clientExtensionResults": {"credProps": {"rk": True}}},
        },
    )
    page.reload()


def pages() -> list[tuple[str, str, object]]:
    """(file name, address, what to do there first, or None) for every page an organizer or
    a visitor sees, then the staff sign-in, then every page a signed-in program manager
    sees."""
    listed_groups()
    _, draft_token = factories.draft(name="Zine Librarians NYC")
    submitted, submitted_token = factories.proposal_in_state(
        State.SUBMITTED, name="Comics in Libraries"
    )
    _, changes_token = factories.proposal_in_state(
        State.CHANGES_REQUESTED, name="Maps and Map Librarians"
    )
    approved, approved_token = factories.proposal_in_state(
        State.APPROVED, name="Anime and Manga in Libraries"
    )
    _, withdrawn_token = factories.proposal_in_state(State.WITHDRAWN, name="Board Game Nights")
    declined, declined_token = factories.proposal_in_state(
        State.DECLINED, name="Library Podcasters"
    )
    changes = Proposal.objects.get(name="Maps and Map Librarians")
    reviewed, _ = factories.proposal_in_state(State.REVIEWED, name="Seed Libraries Network")
    resubmitted = resubmitted_proposal()
    group = Meetup.objects.get(proposal=approved)
    group_token = access.issue_group_link(contact=group.contacts.first())
    # A third organizer, removed: their link now says so. A handover waits for its successor.
    leaving = stewardship.add_organizer(
        meetup=group,
        actor=ORGANIZER,
        name="Lee Leaving",
        email="lee@example.org",
        show_publicly=False,
    )
    ended_token = access.issue_group_link(contact=leaving)
    stewardship.add_organizer(
        meetup=group,
        actor=ORGANIZER,
        name="Cleo Cutter",
        email="cleo@example.org",
        show_publicly=True,
    )
    stewardship.remove_organizer(contact=leaving, actor=ORGANIZER)
    handovers.offer_handover(
        contact=group.contacts.first(),
        successor_name="Sam Successor",
        successor_email="sam@example.org",
    )
    meeting = meeting_services.save_meeting(
        meeting=Meeting(
            meetup=group,
            starts_on=timezone.localdate() + timedelta(days=9),
            start_time=time(18),
            end_time=time(19, 30),
            repeat=Repeat.WEEKLY,
            interval=2,
            repeat_until=timezone.localdate() + timedelta(days=200),
            venue="Council library, room 2",
            address="1 Main Street",
            note="Bring a zine to swap",
        )
    )
    meeting_services.change_date(
        meeting=meeting,
        original_date=timezone.localdate() + timedelta(days=23),
        kind="cancelled",
        note="The library is closed",
    )
    topic = Topic.objects.create(name="Zines and comics", slug="zines-and-comics")
    group.topics.add(topic)
    archived = Meetup.objects.exclude(pk=group.pk).order_by("name").first()
    # An imported group with no organizer addresses: no write form, staff named instead.
    imported = factories.meetup(is_listed=True, name="Imported Zine Readers")
    meetup_services.archive_meetup(meetup=archived)
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
    question = Question.objects.create(
        label="Which kind of library do most of you work in?",
        kind="choice",
        choices="Public\nAcademic\nSpecial",
        help_text="Pick the closest.",
        section="existing",
    )
    Question.objects.create(label="Do you need step-free access?", kind="yes_no", section="support")
    asked = intake_introductions.ask_introduction(
        proposal=submitted,
        name="Ada Asker",
        email="ada@example.org",
        message="We run a zine library too: could you put us in touch with the organizers?",
    )
    intake_introductions.mark_done(request=asked)
    intake_introductions.ask_introduction(
        proposal=reviewed, name="Bo Asker", email="bo@example.org", message=""
    )
    return [
        ("home", "/", None),
        ("guidelines", "/guidelines/", None),
        ("accessibility", "/accessibility/", None),
        ("privacy", "/privacy/", None),
        ("my-data", "/privacy/my-data/", None),
        ("form", "/propose/", None),
        ("form-errors", "/propose/", propose_with_errors),
        ("check-answers", f"/proposals/{draft_token}/check/", None),
        ("submitted", f"/proposals/{submitted_token}/submitted/", None),
        ("status-submitted", f"/proposals/{submitted_token}/", None),
        ("status-changes-requested", f"/proposals/{changes_token}/", None),
        ("status-approved", f"/proposals/{approved_token}/", None),
        ("status-withdrawn", f"/proposals/{withdrawn_token}/", None),
        ("status-declined", f"/proposals/{declined_token}/", None),
        ("withdraw", f"/proposals/{submitted_token}/withdraw/", None),
        ("find", "/proposals/find/", None),
        ("find-sent", "/proposals/find/", find_links),
        ("directory", "/meetups/", None),
        ("report", "/report/", None),
        ("report-dictionary", "/report/dictionary/", None),
        ("group", f"/meetups/{group.slug}/", None),
        ("group-home", f"/groups/{group_token}/", None),
        ("group-details", f"/groups/{group_token}/details/", None),
        ("group-check-in", f"/groups/{group_token}/check-in/", None),
        ("group-retire-confirm", f"/groups/{group_token}/check-in/", say_no_longer_meeting),
        ("group-organizers", f"/groups/{group_token}/organizers/", None),
        ("group-remove-confirm", f"/groups/{group_token}/organizers/", ask_to_remove),
        ("group-link-ended", f"/groups/{ended_token}/", None),
        ("group-meetings", f"/groups/{group_token}/meetings/", None),
        ("group-meeting-new", f"/groups/{group_token}/meetings/new/", None),
        ("group-meeting-date", f"/groups/{group_token}/meetings/{meeting.pk}/dates/", None),
        ("directory-unknown-filter", "/meetups/?topic=software&soon=1&q=pottery", None),
        ("write-to-organizers", f"/meetups/{group.slug}/write/", None),
        ("group-nobody-to-write", f"/meetups/{imported.slug}/", None),
        ("write-nobody", f"/meetups/{imported.slug}/write/", None),
        ("sign-in", "/accounts/login/", None),
        ("review-queue", "/reviews/", None),
        ("review-submitted", f"/reviews/{submitted.reference}/", None),
        ("review-reviewed", f"/reviews/{reviewed.reference}/", None),
        ("review-resubmitted", f"/reviews/{resubmitted.reference}/", None),
        ("review-changes-requested", f"/reviews/{changes.reference}/", None),
        ("review-approved", f"/reviews/{approved.reference}/", None),
        ("review-declined", f"/reviews/{declined.reference}/", None),
        ("decision-confirm", f"/reviews/{reviewed.reference}/", confirm_approval),
        ("outbox", "/reviews/outbox/", None),
        ("groups-health", "/reviews/groups/", None),
        ("all-groups", "/reviews/all-groups/", None),
        ("staff-group", f"/reviews/groups/{group.slug}/", None),
        ("topics", "/reviews/topics/", None),
        ("topic", f"/reviews/topics/{topic.pk}/", None),
        ("topic-remove-confirm", f"/reviews/topics/{topic.pk}/", ask_to_remove_topic),
        ("archived-groups", "/reviews/archived-groups/", None),
        ("group-edit", f"/meetups/{group.slug}/edit/", None),
        ("settings", "/reviews/settings/", None),
        ("staff-questions", "/reviews/questions/", None),
        ("staff-question-edit", f"/reviews/questions/{question.pk}/", None),
        ("staff-page-edit", "/reviews/pages/guidelines/", None),
        ("staff-report", "/reviews/report/", None),
        ("two-factor", "/accounts/2fa/", None),
        ("fresh-sign-in", "/accounts/reauthenticate/?next=/reviews/export.csv", None),
        ("passkeys", "/accounts/2fa/webauthn/", with_a_passkey),
        ("introductions", "/reviews/introductions/", None),
        ("password-reset", "/accounts/password/reset/", None),
        ("password-reset-done", "/accounts/password/reset/done/", None),
        ("password-reset-key-done", "/accounts/password/reset/key/done/", None),
    ]


def resubmitted_proposal():
    """A proposal sent back for changes, edited by its organizers and submitted again, so
    the review page shows what changed."""
    proposal, _ = factories.proposal_in_state(
        State.CHANGES_REQUESTED, name="Oral History Librarians"
    )
    intake_services.update_draft(
        proposal=proposal,
        content=factories.proposal_content(
            name="Oral History Librarians",
            audience="Librarians and archivists who record, catalogue or lend oral histories.",
        ),
        organizers=factories.organizers(),
    )
    return intake_services.submit_for_review(proposal=proposal)


def open_phone_menu(page) -> None:
    """On a phone the links sit behind the menu button: open it to see them."""
    menu = page.get_by_role("banner").locator("summary", has_text="Menu")
    if menu.is_visible():
        menu.click()


def close_phone_menu(page) -> None:
    menu = page.get_by_role("banner").locator("details.site-menu[open] > summary")
    if menu.count() and menu.is_visible():
        menu.click()


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
    for name, path, action in pages():
        page.goto(path)
        if action:
            action(page)
        if name == "sign-in":
            save(page, name, viewport)
            sign_in(page, manager)
            continue
        header = page.get_by_role("banner")
        expect(header.get_by_role("link", name="METRO Meetups")).to_be_visible()
        open_phone_menu(page)
        for link in ("Groups", "Guidelines", "Propose a group"):
            expect(header.get_by_role("link", name=link, exact=True)).to_be_visible()
        close_phone_menu(page)
        expect(page.get_by_role("contentinfo")).to_be_visible()
        if horizontal_overflow(page) > 0:
            problems.append(f"{name} scrolls sideways at {viewport['width']} px")
        # Text stays at a readable measure: no line of a paragraph is longer than about
        # 90 characters (760 px of 16 px text).
        widest = page.evaluate(_WIDEST_LINE_JS)
        if widest > 760:
            problems.append(f"{name} has lines of text {widest:.0f} px long")
        save(page, name, viewport)
        if name == "review-queue" and viewport == PHONE:
            # The phone menu, open, as a signed-in manager sees it.
            open_phone_menu(page)
            save(page, "phone-menu", viewport)
            close_phone_menu(page)
    assert not problems
