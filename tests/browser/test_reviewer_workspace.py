"""The reviewer's workspace in a real browser (issue 13): a reviewer reads a proposal and
reviews it from the sidebar (beside the proposal on a desktop, below it on a phone); a
program manager approves through the confirmation step; and every staff page, the review
page in each state, passes axe at both widths."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Actor
from intake import services as intake_services
from intake.models import Proposal, State
from meetups import services as meetup_services
from meetups.models import Meetup
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE, assert_accessible, assert_fits_the_width, sign_in

pytestmark = BROWSER


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_reviewer_reads_and_reviews_from_the_new_layout(new_page, viewport):
    reviewer = factories.staff_user(role="reviewer", first_name="Riley", last_name="Reviewer")
    proposal, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine Librarians NYC")
    page = new_page(viewport)
    page.goto("/accounts/login/")
    sign_in(page, reviewer)
    expect(page.get_by_role("banner")).to_contain_text("Signed in as Riley Reviewer")
    # The queue opens on what waits for this reviewer: this proposal.
    expect(page.get_by_role("link", name="Needs my action")).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_role("link", name=proposal.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zine Librarians NYC")
    assert_accessible(page)
    assert_fits_the_width(page)

    main, aside = box(page, ".workspace-main"), box(page, ".workspace-aside")
    if viewport is DESKTOP:
        # Side by side, using the container's width: the proposal on the left.
        assert aside["x"] >= main["x"] + main["width"] - 1
        assert abs(aside["y"] - main["y"]) < 2
        assert main["width"] + aside["width"] > 1000
    else:
        assert aside["y"] >= main["y"] + main["height"] - 1

    page.get_by_role("group", name="Your recommendation").get_by_label("Approve").check()
    page.get_by_label("Notes for other staff").fill("Clear and needed.")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator("#proposal-state")).to_have_text("Reviewed")
    history = page.locator("#history").locator("..")
    expect(history).to_contain_text("Reviewed automatically after 1 of 1 reviews")
    assert_accessible(page)

    # Signing out says so (on a phone the button is in the menu).
    if viewport == PHONE:
        page.locator("summary", has_text="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("main")).to_contain_text("You have signed out.")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_manager_approves_through_the_confirmation_step(new_page, viewport):
    manager = factories.staff_user(role="manager", first_name="Morgan", last_name="Manager")
    proposal, _ = factories.proposal_in_state(State.REVIEWED, name="Zine Librarians NYC")
    page = new_page(viewport)
    page.goto("/accounts/login/")
    sign_in(page, manager)
    page.get_by_role("link", name=proposal.reference).click()
    page.get_by_label("Message to the organizers").fill("Welcome to the program!")
    page.get_by_role("button", name="Approve", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Approve Zine Librarians NYC?")
    expect(page.locator("#what-happens")).to_contain_text(
        "lists Zine Librarians NYC in the public directory at once and emails 2 organizers"
    )
    message = page.get_by_label("Message to the organizers")
    expect(message).to_have_value("Welcome to the program!")
    assert_accessible(page)
    assert_fits_the_width(page)
    # Going back loses nothing and decides nothing.
    page.get_by_role("button", name="Go back without deciding").click()
    expect(page.get_by_label("Message to the organizers")).to_have_value("Welcome to the program!")
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED

    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_label("Message to the organizers").fill("Welcome aboard!")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#proposal-state")).to_have_text("Approved")
    meetup = Meetup.objects.get(proposal=proposal)
    assert meetup.is_listed
    expect(page.locator("#history").locator("..")).to_contain_text("Welcome aboard!")
    page.get_by_role("link", name="Edit the group").click()
    expect(page).to_have_url(f"{page.url.split('/meetups/')[0]}/meetups/{meetup.slug}/edit/")
    page.go_back()
    page.get_by_role("link", name="See its public page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zine Librarians NYC")


def _staff_pages() -> tuple[list[str], Proposal]:
    """The queue's views, the review page in every state staff see, the confirmation step,
    and the other staff pages."""
    made = {state: factories.proposal_in_state(state)[0] for state in State.STAFF_VISIBLE}
    made[State.WITHDRAWN] = intake_services.run_transition(
        proposal=factories.proposal_in_state(State.SUBMITTED)[0],
        name="withdraw",
        actor=Actor.organizer_link(),
    )
    meetup = Meetup.objects.get(proposal=made[State.APPROVED])
    meetup_services.archive_meetup(meetup=factories.meetup(name="Retired Reading Circle"))
    return [
        "/reviews/",
        "/reviews/?view=open",
        "/reviews/?view=ended",
        "/reviews/?view=all",
        *(f"/reviews/{p.reference}/" for p in made.values()),
        "/reviews/outbox/",
        "/reviews/archived-groups/",
        f"/meetups/{meetup.slug}/edit/",
        "/reviews/settings/",
    ], made[State.REVIEWED]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_staff_page_in_each_state_passes_axe(new_page, viewport):
    manager = factories.staff_user(role="manager", first_name="Morgan", last_name="Manager")
    paths, reviewed = _staff_pages()
    page = new_page(viewport)
    page.goto("/accounts/login/")
    sign_in(page, manager)
    for path in paths:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_accessible(page)
        assert_fits_the_width(page)
    # The confirmation step of each decision open to a manager, and its error.
    for button in ("Request changes", "Decline"):
        page.goto(f"/reviews/{reviewed.reference}/")
        page.get_by_label("Message to the organizers").fill("Say more.")
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator("#what-happens")).to_contain_text("emails 2 organizers")
        assert_accessible(page)
        assert_fits_the_width(page)
        page.get_by_label("Message to the organizers").fill("")
        page.get_by_role("button", name=button, exact=False).first.click()
        expect(page.get_by_role("main")).to_contain_text("Write a message to the organizers")
        assert_accessible(page)
