"""Accessibility of the staff side and the directory at desktop and phone widths: the sign-in
page (also with an error), the review queue, a proposal for reviewers (also with form
errors), the outbox and one email, the directory, a group page and its manager forms,
archived groups, and the organizer's page with the conversation."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Actor
from intake import services as intake_services
from intake.models import State
from meetups.models import Meetup
from reviews import services as review_services
from tests import factories

from .helpers import (
    BROWSER,
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fields_labelled_and_described,
    assert_fits_the_width,
    sign_in,
)

pytestmark = BROWSER


def check(page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page)
    assert_fits_the_width(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_pages_pass_axe_and_fit_the_screen(new_page, viewport):
    from notifications.models import Notification

    reviewer = factories.staff_user(role="reviewer", first_name="Riley")
    manager = factories.staff_user(role="manager", first_name="Morgan")
    submitted, token = factories.proposal_in_state(State.SUBMITTED)
    review_services.add_comment(
        proposal=submitted, author=reviewer, body="Shared question?", visibility="shared"
    )
    review_services.add_comment(
        proposal=submitted, author=reviewer, body="Internal note.", visibility="internal"
    )
    review_services.add_organizer_reply(proposal=submitted, body="Our answer.")
    resubmitted, changed_token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    intake_services.update_draft(
        proposal=resubmitted,
        content=factories.proposal_content(name=resubmitted.name, audience="Everyone."),
        organizers=list(factories.organizers()),
    )
    intake_services.run_transition(
        proposal=resubmitted, name="resubmit", actor=Actor.organizer_link()
    )
    approved, _ = factories.proposal_in_state(State.APPROVED)
    meetup = Meetup.objects.get(proposal=approved)
    notification = Notification.objects.filter(proposal=submitted).first()
    assert notification is not None
    from meetups import services as meetup_services

    meetup_services.archive_meetup(meetup=factories.meetup(name="Retired Reading Circle"))
    from intake.introductions import ask_introduction, mark_done

    for name in ("Ada Asker", "Bo Asker"):
        asked = ask_introduction(
            proposal=submitted, name=name, email="ada@example.org", message="Zines too!"
        )
    mark_done(request=asked)

    page = new_page(viewport)
    # The sign-in page, empty and with an error.
    check(page, "/accounts/login/")
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    assert_accessible(page)
    assert_fields_labelled_and_described(page)

    page.goto("/accounts/login/")
    sign_in(page, manager)
    for path in (
        "/reviews/",
        "/reviews/?state=submitted&q=Circle",
        f"/reviews/{submitted.reference}/",
        f"/reviews/{resubmitted.reference}/",
        f"/reviews/{approved.reference}/",
        "/reviews/outbox/",
        f"/reviews/outbox/{notification.pk}/",
        "/meetups/",
        f"/meetups/{meetup.slug}/",
        f"/meetups/{meetup.slug}/edit/",
        f"/meetups/{meetup.slug}/archive/",
        "/reviews/archived-groups/",
        "/reviews/introductions/",
        "/reviews/?state=no-such-state",
    ):
        check(page, path)

    # The reviewer's forms showing their errors.
    page.goto(f"/reviews/{submitted.reference}/")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("main")).to_contain_text("Write your comment first")
    assert_accessible(page)
    assert_fields_labelled_and_described(page)
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_role("main")).to_contain_text("Write a message to the organizers")
    assert_accessible(page)
    assert_fields_labelled_and_described(page)
    page.goto(f"/meetups/{meetup.slug}/edit/")
    assert_fields_labelled_and_described(page)

    # The organizer's page with the conversation, and its reply form with an error.
    organizer = new_page(viewport)
    check(organizer, f"/proposals/{token}/")
    expect(organizer.get_by_role("main")).to_contain_text("Shared question?")
    expect(organizer.get_by_role("main")).not_to_contain_text("Internal note.")
    organizer.get_by_role("button", name="Send message").click()
    expect(
        organizer.get_by_role("textbox", name="Your message to the program staff")
    ).to_have_attribute("aria-invalid", "true")
    assert_accessible(organizer)
    check(organizer, f"/proposals/{changed_token}/")
