"""The program in figures in a real browser, at desktop and phone widths: axe-core finds
nothing, every chart is drawn (the pictures load under the site's CSP) with its table and
its sentence, nothing is asked of another site, and the staff view opens from the menu."""

import pytest
from playwright.sync_api import expect

from intake.models import State
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE, assert_accessible, assert_fits_the_width, sign_in

pytestmark = BROWSER


def some_history() -> None:
    for state in (State.APPROVED, State.DECLINED, State.SUBMITTED, State.CHANGES_REQUESTED):
        factories.proposal_in_state(state)
    factories.meetup(name="Code4Lib Test Group")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_report_reads_well_and_asks_nothing_of_another_site(new_page, live_server, viewport):
    some_history()
    page = new_page(viewport)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="The program in figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The program in figures")
    sections = page.locator("section.report-section")
    expect(sections).to_have_count(6)
    for index in range(6):
        section = sections.nth(index)
        expect(section.locator(".report-summary")).not_to_be_empty()
        expect(section.locator("table caption")).not_to_be_empty()
        if section.locator(".report-empty").count():  # a chart with nothing to draw
            expect(section.locator(".report-empty")).to_contain_text("Nothing to show for")
            continue
        image = section.get_by_role("img")
        image.scroll_into_view_if_needed()
        # Drawn: the picture loaded (an SVG the CSP refused would have no size).
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
    expected_size = "narrow" if viewport == PHONE else "wide"
    charts = [url for url in requested if "/report/charts/" in url]
    assert charts and all(f"-{expected_size}.svg" in url for url in charts)
    assert_accessible(page)
    assert_fits_the_width(page)
    page.get_by_role("link", name="data dictionary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data dictionary")
    assert_accessible(page)
    assert_fits_the_width(page)
    assert requested and all(url.startswith(live_server.url) for url in requested), [
        url for url in requested if not url.startswith(live_server.url)
    ]


def test_staff_open_their_report_from_the_menu(new_page):
    some_history()
    reviewer = factories.staff_user(role="reviewer", first_name="Riley", last_name="Reviewer")
    page = new_page(DESKTOP)
    page.goto("/accounts/login/")
    sign_in(page, reviewer)
    page.get_by_role("banner").get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report for staff")
    expect(
        page.get_by_role(
            "heading", name="1 proposal waiting for a first reply past the promised date"
        )
    ).to_have_count(0)
    expect(page.get_by_role("heading", name="by person")).to_have_count(1)
    assert_accessible(page)
    assert_fits_the_width(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    assert_fits_the_width(page)


def test_the_year_list_follows_the_kind_of_year(new_page, live_server):
    some_history()
    page = new_page(DESKTOP)
    page.goto("/report/")
    page.get_by_label("Kind of year").select_option("program")
    labels = page.locator("#id_year option").all_text_contents()
    assert labels and all("-" in label for label in labels), labels
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#id_year option:checked")).to_contain_text("-")
    page.get_by_label("Kind of year").select_option("calendar")
    labels = page.locator("#id_year option").all_text_contents()
    assert labels and all(label.isdigit() for label in labels), labels
