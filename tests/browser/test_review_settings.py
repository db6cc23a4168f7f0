"""The staff settings page and the queue's reply clock in a browser: reached from the header
by keyboard, labelled, and passing axe at desktop and phone widths."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import Proposal, State
from reviews.digests import wants_digest
from tests import factories

from .helpers import (
    BROWSER,
    DESKTOP,
    PHONE,
    active_element,
    assert_accessible,
    assert_fields_labelled_and_described,
    assert_fits_the_width,
    sign_in,
    visible_text,
)

pytestmark = BROWSER


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_settings_by_keyboard_and_the_queue_clock(new_page, viewport):
    reviewer = factories.staff_user(role="reviewer")
    late, _ = factories.proposal_in_state(State.SUBMITTED)
    Proposal.objects.filter(pk=late.pk).update(
        reply_due=timezone.localdate() - datetime.timedelta(days=2)
    )
    page = new_page(viewport)
    page.goto("/accounts/login/")
    sign_in(page, reviewer)

    # The queue says the clock in words, sorted by it, and passes axe at this width.
    page.goto("/reviews/?sort=due")
    row = page.get_by_role("row").filter(has_text=late.reference)
    expect(row).to_contain_text("Overdue by 2 days")
    assert_accessible(page)
    assert_fits_the_width(page)

    # From the header, by keyboard alone, to the settings page (on a phone, through the
    # menu button: Enter opens it).
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = active_element(page)
        if focused["tag"] == "summary" and focused["text"] == "Menu":
            page.keyboard.press("Enter")
        if focused["text"] == "Settings":
            break
    assert active_element(page)["text"] == "Settings"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your settings")
    assert_accessible(page)
    assert_fits_the_width(page)
    assert_fields_labelled_and_described(page)
    box = page.get_by_label("Email me a weekly digest")
    expect(box).to_be_checked()

    box.focus()
    page.keyboard.press("Space")
    expect(box).not_to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("you will not get the weekly digest")
    assert "Saved" in visible_text(page)
    assert not wants_digest(reviewer)
    assert_accessible(page)
