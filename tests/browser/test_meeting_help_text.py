"""A field's help text sits under its label, never beside it, on the new meeting and group
forms (checkboxes included: "Members can write to us" had it beside the label at 1280 px)."""

import pytest

from intake.models import State
from meetups import access
from meetups.models import Meetup, Topic
from tests import factories

from .helpers import BROWSER, DESKTOP, PHONE

pytestmark = BROWSER

HELP_UNDER_LABEL = """() => [...document.querySelectorAll('main .form-text')].map((help) => {
  const box = help.closest('.form-check, .mb-3, fieldset');
  const label = box && box.querySelector('label, legend');
  const h = help.getBoundingClientRect(), l = label.getBoundingClientRect();
  return {text: help.textContent.trim(), under: h.top >= l.bottom - 1};
})"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_help_text_is_under_its_label_on_the_meeting_and_group_forms(new_page, viewport):
    Topic.objects.create(name="Crafts", slug="crafts")
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Zine Makers")
    group = Meetup.objects.get(proposal=proposal)
    token = access.issue_group_link(contact=group.contacts.first())
    page = new_page(viewport)
    checked = []
    for path in (f"/groups/{token}/meetings/", f"/groups/{token}/meetings/new/"):
        page.goto(path)
        found = page.evaluate(HELP_UNDER_LABEL)
        assert found, path
        beside = [f["text"] for f in found if not f["under"]]
        assert beside == [], (path, beside)
        checked += [f["text"] for f in found]
    assert any("Messages reach every organizer" in text for text in checked)
    assert any("people ask for it by writing to you" in text for text in checked)
