"""A group's life in a real browser: an organizer edits the group's description from the
private link and the directory shows it; a handover to a named successor completes from the
successor's email; every lifecycle page passes axe and fits the screen at both widths."""

import re

import pytest
from playwright.sync_api import expect

from common.actors import ORGANIZER
from intake.models import State
from meetups import access, handovers, stewardship
from meetups.models import Meetup
from notifications import delivery as notification_services
from notifications.models import Kind, Notification
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE, assert_accessible, assert_fits_the_width, sign_in

pytestmark = BROWSER

LINK = re.compile(r"http://[^/\s]+(/groups/[A-Za-z0-9_-]+/[a-z-]*/?)")


def _group():
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Zine Makers")
    return Meetup.objects.get(proposal=proposal)


def _path_in_email(kind: str) -> str:
    notification = Notification.objects.filter(kind=kind).latest("pk")
    return LINK.search(notification_services.build_email(notification).body).group(1)


def test_an_organizer_edits_the_description_and_the_directory_shows_it(page):
    group = _group()
    contact = group.contacts.first()
    page.goto(f"/groups/{access.issue_group_link(contact=contact)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zine Makers")
    assert_accessible(page)
    page.get_by_role("link", name="Update the group's details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Update Zine Makers")
    assert_accessible(page)
    page.get_by_label("Public description").fill("We make zines together, every month.")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("main")).to_contain_text("the directory shows the change now")
    expect(page.get_by_role("main")).to_contain_text("Details updated")
    page.goto("/meetups/")
    expect(page.locator("#group-" + group.slug)).to_contain_text(
        "We make zines together, every month."
    )


def test_a_handover_completes_from_the_successors_email(page):
    group = _group()
    outgoing = group.contacts.first()
    page.goto(f"/groups/{access.issue_group_link(contact=outgoing)}/")
    page.get_by_role("link", name="Hand over to a successor").click()
    assert_accessible(page)
    page.get_by_label("Your successor's name").fill("Sam Successor")
    page.get_by_label("Your successor's email address").fill("sam@example.org")
    page.get_by_role("button", name="Send the handover").click()
    expect(page.get_by_role("main")).to_contain_text("We have emailed Sam Successor")

    successor = page.context.browser.new_context(base_url=page.url.split("/groups/")[0])
    theirs = successor.new_page()
    theirs.goto(_path_in_email(Kind.GROUP_HANDOVER))
    expect(theirs.get_by_role("heading", level=1)).to_have_text("Take over Zine Makers")
    assert_accessible(theirs)
    theirs.get_by_label("Yes, show my name").check()
    theirs.get_by_role("button", name="Accept and become an organizer").click()
    expect(theirs.get_by_role("main")).to_contain_text("You are an organizer of Zine Makers now")
    expect(theirs.get_by_role("main")).to_contain_text("Sam Successor (you)")
    successor.close()
    assert group.contacts.filter(email="sam@example.org").exists()
    assert not group.contacts.filter(pk=outgoing.pk).exists()
    page.goto("/meetups/")
    expect(page.locator("#group-" + group.slug)).to_contain_text("Sam Successor")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_lifecycle_pages_pass_axe_and_fit_the_screen(new_page, viewport):
    group = _group()
    contact = group.contacts.first()
    handovers.offer_handover(
        contact=group.contacts.last(), successor_name="Sam", successor_email="sam@example.org"
    )
    token = access.issue_group_link(contact=contact)
    handover = group.handovers.get()
    accept = access.issue_handover_link(handover=handover)
    leaving = stewardship.add_organizer(
        meetup=group,
        actor=ORGANIZER,
        name="Lee Leaving",
        email="lee@example.org",
        show_publicly=False,
    )
    ended = access.issue_group_link(contact=leaving)
    stewardship.remove_organizer(contact=leaving, actor=ORGANIZER)
    offering = access.issue_group_link(contact=group.contacts.last())
    page = new_page(viewport)
    for path in [
        f"/groups/{ended}/",
        f"/groups/{offering}/",
        f"/groups/{token}/",
        f"/groups/{token}/details/",
        f"/groups/{token}/organizers/",
        f"/groups/{token}/handover/",
        f"/groups/{token}/check-in/",
        f"/groups/{accept}/accept/",
        f"/meetups/{group.slug}/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_accessible(page)
        assert_fits_the_width(page)
    # The confirmations before removing someone and before closing the group pass too.
    stewardship.add_organizer(
        meetup=group,
        actor=ORGANIZER,
        name="Cleo Cutter",
        email="cleo@example.org",
        show_publicly=True,
    )
    page.goto(f"/groups/{token}/organizers/")
    page.get_by_role("button", name="Remove Cleo Cutter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove Cleo Cutter")
    assert_accessible(page)
    assert_fits_the_width(page)
    page.goto(f"/groups/{token}/check-in/")
    page.get_by_role("group", name="Is the group still meeting?").get_by_label("No").check()
    page.get_by_role("group", name="Are the organizers on the group's page").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Send the check-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("no longer meeting?")
    assert_accessible(page)
    assert_fits_the_width(page)
    # Errors shown on the check-in form pass too.
    page.goto(f"/groups/{token}/check-in/")
    page.get_by_role("button", name="Send the check-in").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)

    page.goto("/accounts/login/")
    sign_in(page, factories.staff_user(role="manager"))
    for path in [
        "/reviews/groups/",
        f"/reviews/groups/{group.slug}/",
        "/reviews/archived-groups/",
        f"/meetups/{group.slug}/archive/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_accessible(page)
        assert_fits_the_width(page)
