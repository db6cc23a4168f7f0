"""The pages issue 22's third round added or changed, at desktop and phone widths: a
withdrawn handover's link (410), "find my links" over its limit and a message to the staff
over its limit (429), and a reworded question's note on the edit form. Each passes axe and
fits the screen; with SCREENSHOTS_DIR set, each is saved as a PNG."""

import pytest
from playwright.sync_api import expect

from common.actors import ORGANIZER
from intake import question_editing
from intake.models import Proposal, Question, State
from meetups import access, handovers
from meetups.models import Meetup
from reviews import services as review_services
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE, assert_accessible, assert_fits_the_width
from .test_screenshots import save

pytestmark = BROWSER


def withdrawn_handover_path() -> str:
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Zine Makers")
    group = Meetup.objects.get(proposal=proposal)
    offer = handovers.offer_handover(
        contact=group.contacts.first(), successor_name="Sam Successor", successor_email="s@x.org"
    )
    token = access.issue_handover_link(handover=offer)
    handovers.cancel_handover(handover=offer, actor=ORGANIZER, actor_label="Staff")
    return f"/groups/{token}/accept/"


def ask_for_links_too_often(page) -> None:
    for _ in range(4):
        page.goto("/proposals/find/")
        page.get_by_label("Email address").fill("alex@example.org")
        page.get_by_role("button", name="Email me the links").click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_new_pages_pass_axe_and_fit_the_screen(new_page, viewport):
    page = new_page(viewport)

    page.goto(withdrawn_handover_path())
    expect(page.get_by_role("heading", level=1)).to_have_text("This handover offer was withdrawn")
    assert_accessible(page)
    assert_fits_the_width(page)
    save(page, "handover-withdrawn", viewport)

    ask_for_links_too_often(page)
    expect(page.get_by_role("alert")).to_contain_text("please try again after")
    assert_accessible(page)
    assert_fits_the_width(page)
    save(page, "find-limited", viewport)

    proposal, token = factories.proposal_in_state(State.SUBMITTED, name="Oral Historians")
    for n in range(review_services.REPLIES_PER_HOUR):
        review_services.add_organizer_reply(proposal=proposal, body=f"Message {n}")
    page.goto(f"/proposals/{token}/reply/")
    page.get_by_label("Your message").fill("One more thing about the room.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_contain_text("as many as it may")
    expect(page.get_by_label("Your message")).to_have_value("One more thing about the room.")
    assert_accessible(page)
    assert_fits_the_width(page)
    save(page, "reply-limited", viewport)

    question = Question.objects.create(
        label="Which part of the city will you meet in?", kind="short_text", section="about"
    )
    draft, draft_token = factories.draft(name="Zine Readers")
    draft = Proposal.objects.get(pk=draft.pk)
    draft.answers.create(question=question, value="Lower East Side")
    question_editing.change_question(
        question=question, data={"label": "Which neighbourhood will you meet in?"}
    )
    page.goto(f"/proposals/{draft_token}/edit/")
    expect(page.get_by_text("This question was reworded since you answered it")).to_be_visible()
    assert_accessible(page)
    assert_fits_the_width(page)
    save(page, "edit-reworded-question", viewport)
