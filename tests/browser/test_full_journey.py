"""The whole workflow in a real browser, one person per browser context: an organizer
proposes; a reviewer signs in, comments to the organizers and requests changes; the
organizer reads the message, edits and resubmits; the reviewer sees what changed and
reviews; a program manager approves; the group is on the directory; the outbox shows an
email for each step. axe-core checks every page on the way."""

import re

from django.core import mail
from playwright.sync_api import expect

from intake.models import Proposal, State
from meetups.models import Meetup
from tests import factories

from .helpers import BROWSER, assert_accessible, fill_proposal, sign_in, visible_text

pytestmark = BROWSER


def sign_in_from_the_footer(page, user) -> None:
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Staff sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
    assert_accessible(page)
    sign_in(page, user)


def open_from_queue(page, proposal) -> None:
    row = page.get_by_role("row").filter(has_text=proposal.reference)
    expect(row).to_contain_text(proposal.name)
    row.get_by_role("link", name=proposal.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.name)


def state_shown(page) -> str:
    return page.locator("#proposal-state").inner_text()


def test_propose_review_change_resubmit_approve_list_and_email(new_page):
    reviewer = factories.staff_user(
        role="reviewer", email="riley@council.example.org", first_name="Riley"
    )
    manager = factories.staff_user(
        role="manager", email="morgan@council.example.org", first_name="Morgan"
    )

    # The organizer proposes a group from the home page.
    organizer = new_page()
    organizer.goto("/")
    organizer.get_by_role("main").get_by_role("link", name="Propose a group").click()
    fill_proposal(organizer)
    organizer.get_by_role("button", name="Save and check your answers").click()
    expect(organizer.get_by_role("heading", level=1)).to_have_text("Check your answers")
    organizer.get_by_role("button", name="Submit proposal").click()
    expect(organizer.get_by_role("heading", level=1)).to_have_text("Proposal submitted")
    private_link = organizer.get_by_label("Your private link").input_value()
    proposal = Proposal.objects.get()
    assert proposal.state == State.SUBMITTED

    # A reviewer signs in, finds it in the queue and opens it.
    staff = new_page()
    sign_in_from_the_footer(staff, reviewer)
    expect(staff.get_by_role("main")).to_contain_text("1 proposal")
    assert_accessible(staff)
    open_from_queue(staff, proposal)
    assert state_shown(staff) == "Submitted"
    assert_accessible(staff)

    # A comment shared with the organizers, then a request for changes.
    staff.get_by_role("textbox", name="Comment").fill(
        "Could you meet monthly at first, to build momentum?"
    )
    staff.get_by_label("Shared with the organizers").check()
    staff.get_by_role("button", name="Post comment").click()
    comments = staff.locator("#comments").locator("..")
    expect(comments).to_contain_text("Could you meet monthly at first")
    expect(comments).to_contain_text("Shared with the organizers")
    staff.get_by_label("Message to the organizers").fill(
        "Please say who the group is for in more detail: roles and kinds of library."
    )
    staff.get_by_role("button", name="Request changes").click()
    # A confirmation step says what will happen, then the decision is taken.
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        "Request changes to Zine Librarians NYC?"
    )
    assert_accessible(staff)
    staff.get_by_role("button", name="Request changes").click()
    expect(staff.locator("#proposal-state")).to_have_text("Changes requested")
    assert_accessible(staff)

    # The organizer sees the message on their private page, changes an answer, resubmits.
    organizer.goto(private_link)
    main = organizer.get_by_role("main")
    expect(main).to_contain_text("Status: Changes requested.")
    expect(main).to_contain_text("Staff have asked for changes")
    expect(main).to_contain_text("Could you meet monthly at first, to build momentum?")
    expect(main).to_contain_text(
        "Please say who the group is for in more detail: roles and kinds of library."
    )
    expect(organizer.get_by_role("list", name="Progress")).to_contain_text("Changes requested")
    assert_accessible(organizer)
    main.get_by_role("link", name="Change your answers").first.click()
    expect(organizer.get_by_role("heading", level=1)).to_have_text("Change your answers")
    expect(organizer.get_by_label("Group name")).to_have_value("Zine Librarians NYC")
    assert_accessible(organizer)
    organizer.get_by_label("Who it is for").fill(
        "Catalogers, special collections staff and public librarians who run zine libraries."
    )
    organizer.get_by_role("button", name="Save and check your answers").click()
    # The check page speaks of a resubmission (issue 13).
    expect(organizer.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before you resubmit"
    )
    expect(organizer.get_by_role("main")).to_contain_text("reviewers see what you changed")
    organizer.get_by_role("button", name="Resubmit proposal").click()
    organizer.goto(private_link)
    expect(organizer.get_by_role("main")).to_contain_text("Status: Submitted.")

    # The reviewer sees what changed, and reviews: the one review needed makes it reviewed.
    staff.reload()
    assert state_shown(staff) == "Submitted"
    changes = staff.get_by_role("table").filter(has_text="Before")
    expect(changes).to_contain_text("Who it is for")
    expect(changes).to_contain_text("Anyone who works with zines, in any library.")
    expect(changes).to_contain_text("Catalogers, special collections staff")
    assert_accessible(staff)
    staff.get_by_label("Approve").check()
    staff.get_by_label("Notes for other staff").fill("Clear audience now. Approve.")
    staff.get_by_role("button", name="Save review").click()
    expect(staff.locator("#proposal-state")).to_have_text("Reviewed")
    expect(staff.get_by_role("main")).to_contain_text("ready for a decision")
    # Approving is for program managers: a reviewer has no such button.
    expect(staff.get_by_role("button", name="Approve")).to_have_count(0)

    # A program manager approves.
    boss = new_page()
    sign_in_from_the_footer(boss, manager)
    open_from_queue(boss, proposal)
    assert state_shown(boss) == "Reviewed"
    expect(boss.get_by_role("main")).to_contain_text("Clear audience now. Approve.")
    boss.get_by_role("button", name="Approve").click()
    expect(boss.locator("#what-happens")).to_contain_text(
        "lists Zine Librarians NYC in the public directory at once and emails 2 organizers"
    )
    boss.get_by_role("button", name="Approve and publish").click()
    expect(boss.locator("#proposal-state")).to_have_text("Approved")
    assert_accessible(boss)

    # The organizer's page says so, and the group is on the public directory.
    organizer.goto(private_link)
    expect(organizer.get_by_role("main")).to_contain_text("Status: Approved.")
    meetup = Meetup.objects.get(proposal=proposal)
    organizer.get_by_role("main").get_by_role("link", name="directory").click()
    expect(organizer).to_have_url(re.compile(rf"/meetups/{meetup.slug}/$"))
    expect(organizer.get_by_role("heading", level=1)).to_have_text("Zine Librarians NYC")
    assert_accessible(organizer)
    visitor = new_page()
    visitor.goto("/")
    visitor.get_by_role("banner").get_by_role("link", name="Groups").click()
    expect(visitor).to_have_url(re.compile(r"/meetups/$"))
    directory = visitor.get_by_role("main")
    expect(directory).to_contain_text("Zine Librarians NYC")
    expect(directory).to_contain_text("Alex Rivera")
    expect(directory).not_to_contain_text("alex@example.org")
    assert_accessible(visitor)

    # The outbox shows an email for each step, every one sent but the "reviewed" ones: the
    # approval followed within REVIEWED_EMAIL_HOLD_MINUTES, so it replaced them.
    boss.goto("/reviews/outbox/")
    expect(boss.get_by_role("heading", level=1)).to_have_text("Outbox")
    outbox = visible_text(boss)
    ref = proposal.reference
    for subject in (
        f"We received your proposal {ref}",
        f"New proposal to review: {ref}",
        f"New message about your proposal {ref}",
        f"Changes requested for your proposal {ref}",
        f"Proposal resubmitted: {ref}",
        f"Your proposal {ref} has been reviewed",
        f"Ready for a decision: {ref}",
        f"Your proposal {ref} is approved",
    ):
        assert subject in outbox, f"no email '{subject}' in the outbox"
    rows = boss.get_by_role("row").filter(has_text=ref)
    statuses = {" ".join(t.split()) for t in rows.locator("td:nth-child(5)").all_inner_texts()}
    assert statuses == {"Sent", "Replaced by a later email"}
    replaced = rows.filter(has_text="Replaced by a later email").all_inner_texts()
    assert replaced and all(
        "has been reviewed" in r or "Ready for a decision" in r for r in replaced
    )
    assert_accessible(boss)

    # And each email reached the people it is for.
    received = {}
    for message in mail.outbox:
        subject = message.subject.removeprefix("METRO Meetups: ")
        received.setdefault(subject, set()).update(message.to)
    organizers = {"alex@example.org", "sam@example.org"}
    name = proposal.name
    assert received == {
        # The draft's private link, when the form first saved it (issue 23), to the primary
        # contact only.
        f"Your draft proposal {ref} is saved: your private link": {"alex@example.org"},
        f"We received your proposal {ref}": organizers,
        # The comment shared with the organizers (reviews.services._after_comment records it).
        f"New message about your proposal {ref}": organizers,
        f"New proposal to review: {ref} {name}": {reviewer.email},
        f"Changes requested for your proposal {ref}": organizers,
        f"Proposal resubmitted: {ref} {name}": {reviewer.email},
        # Any organizer may resubmit from the shared link: all of them are told (issue 23).
        f"Your proposal was resubmitted: {ref} {name}": organizers,
        f"Your proposal {ref} is approved": organizers,
        f"Proposal approved: {ref} {name}": {reviewer.email},
    }
