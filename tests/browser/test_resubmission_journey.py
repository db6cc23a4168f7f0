"""An organizer goes from "changes requested" to a resubmission in a real browser (issue
13): the status page's button, the edit form opening with the staff request, the check page
and the confirmation speaking of a resubmission. Every page is checked with axe-core at
1280 and 390 px."""

import re

from playwright.sync_api import expect

from intake.models import Proposal, State
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE, assert_accessible, assert_fits_the_width

pytestmark = BROWSER


def check_both_widths(page):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_accessible(page)
        assert_fits_the_width(page)


def test_organizer_makes_the_changes_and_resubmits(page):
    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    page.goto(f"/proposals/{token}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Status: Changes requested.")
    check_both_widths(page)

    main.get_by_role("link", name="Make the changes").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{re.escape(token)}/edit/$"))
    request = page.get_by_role("region", name="What program staff asked you to change")
    expect(request).to_contain_text("Please say more about your audience.")
    check_both_widths(page)

    page.get_by_label("Who it is for").fill("Zine librarians, archivists and students.")
    page.get_by_role("button", name="Save and check your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before you resubmit"
    )
    expect(page.get_by_role("main")).to_contain_text("This is a resubmission")
    expect(page.get_by_role("main")).to_contain_text("Zine librarians, archivists and students.")
    check_both_widths(page)

    page.get_by_role("button", name="Resubmit proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposal resubmitted")
    check_both_widths(page)

    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.state == State.SUBMITTED
    assert proposal.audience == "Zine librarians, archivists and students."
