"""Issue 23: the staff header keeps to one row at 800 px, the queue's tabs to one row on a
phone, and the decision stays in reach on a long review page (beside it from 992 px, a jump
link at the top on a phone)."""

from playwright.sync_api import expect

from intake.models import State
from tests import factories

from .helpers import (
    BROWSER,
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_nothing_scrolls_sideways,
    sign_in,
)

pytestmark = BROWSER

TABLET = {"width": 800, "height": 900}


def _signed_in_manager(new_page, viewport):
    page = new_page(viewport)
    page.goto("/accounts/login/")
    sign_in(page, factories.staff_user(role="manager", first_name="Morgan", last_name="Manager"))
    return page


def test_the_staff_header_is_one_row_at_800_px(new_page):
    page = _signed_in_manager(new_page, TABLET)
    page.goto("/reviews/")
    header = page.get_by_role("banner")
    assert header.bounding_box()["height"] < 90
    header.get_by_text("Menu").click()
    expect(header.get_by_role("link", name="Outbox")).to_be_visible()
    assert_accessible(page)


def test_the_queue_tabs_are_one_row_on_a_phone(new_page):
    page = _signed_in_manager(new_page, PHONE)
    page.goto("/reviews/?view=all")
    tabs = page.get_by_role("navigation", name="Views of the queue").get_by_role("link")
    tops = {round(tabs.nth(i).bounding_box()["y"]) for i in range(tabs.count())}
    assert len(tops) == 1, tops
    for i in range(tabs.count()):
        expect(tabs.nth(i)).to_be_in_viewport()
    assert_accessible(page)


def test_the_decision_stays_in_reach_on_a_long_review_page(new_page):
    long = "A long answer about the group's audience and plans. " * 80
    reviewed, _ = factories.proposal_in_state(
        State.REVIEWED, name="Seed Libraries Network", description=long, audience=long
    )
    page = _signed_in_manager(new_page, DESKTOP)
    page.goto(f"/reviews/{reviewed.reference}/")
    expect(page.get_by_role("heading", name="Decision")).to_be_in_viewport()
    # Reading on, far down the proposal: the decision's buttons are beside it.
    page.get_by_role("heading", name="History").scroll_into_view_if_needed()
    expect(page.get_by_role("button", name="Approve", exact=True)).to_be_in_viewport()
    assert_accessible(page)

    phone = _signed_in_manager(new_page, PHONE)
    phone.goto(f"/reviews/{reviewed.reference}/")
    phone.get_by_role("link", name="Go to the decision").click()
    expect(phone.get_by_role("button", name="Approve", exact=True)).to_be_in_viewport()
    assert_accessible(phone)


def test_staff_tables_show_each_row_as_a_card_on_a_phone(new_page):
    from notifications.models import Notification

    factories.proposal_in_state(State.SUBMITTED, name="Seed Libraries Network")
    for n, notification in enumerate(Notification.objects.all()):
        notification.status = "failed"
        notification.recipient = f"a.rather.long.address.{n}@libraries.example.org"
        notification.last_error = "SMTPRecipientsRefused: the server refused the recipient " * 3
        notification.save()
    for n in range(3):
        factories.meetup(name=f"The Quite Long Named Group of Zine Librarians {n}")
    page = _signed_in_manager(new_page, PHONE)
    for path, cell in (
        ("/reviews/outbox/", "Recipient"),
        ("/reviews/all-groups/", "Check-in due"),
    ):
        page.goto(path)
        assert_nothing_scrolls_sideways(page)
        table = page.locator("main table.stacked-table")
        expect(table).to_have_count(1)
        # Each cell says what it is, as the hidden column heading would.
        labelled = table.locator(f'tbody td[data-label="{cell}"]').first
        expect(labelled).to_be_visible()
        assert labelled.evaluate("e => getComputedStyle(e, '::before').content") == f'"{cell}"'
        assert_accessible(page)
    desktop = _signed_in_manager(new_page, DESKTOP)
    desktop.goto("/reviews/all-groups/")
    expect(desktop.get_by_role("columnheader", name="Check-in due")).to_be_visible()
