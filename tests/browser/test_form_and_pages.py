"""Accessibility of the program managers' "Form and pages" (questions and program pages) at
desktop and phone widths, also with a form showing its errors, and a question's help text
on the public form shown as written."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import Question
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


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_form_and_pages_pass_axe_and_fit_the_screen(new_page, viewport):
    manager = factories.staff_user(role="manager", first_name="Morgan")
    first = Question.objects.create(
        label="Which kind of library?", kind="choice", choices="Public\nAcademic", order=0
    )
    Question.objects.create(
        label="Anything else?", kind="short_text", help_text="<b>Plain</b> words.", order=1
    )
    page = new_page(viewport)
    page.goto("/accounts/login/")
    sign_in(page, manager)
    for path in (
        "/reviews/questions/",
        f"/reviews/questions/{first.pk}/",
        "/reviews/pages/guidelines/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_accessible(page)
        assert_fits_the_width(page)

    page.goto("/reviews/questions/")
    # Each button names its question for screen readers (hidden text after the visible).
    page.get_by_role("button", name=re.compile(r"^Move down\W+Which kind of library")).click()
    expect(page.locator("main li").first).to_contain_text("Anything else?")

    page.goto("/reviews/questions/add/")
    page.get_by_label("Kind of answer").select_option("choice")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_role("alert")).to_contain_text("problems")
    assert_accessible(page)
    assert_fields_labelled_and_described(page)

    page.goto("/propose/")
    expect(page.get_by_text("<b>Plain</b> words.", exact=False)).to_be_visible()


def test_focus_returns_to_the_moved_questions_button_after_a_move(new_page):
    manager = factories.staff_user(role="manager")
    for order, label in enumerate(("First question", "Second question", "Third question")):
        Question.objects.create(label=label, kind="short_text", order=order)
    page = new_page(DESKTOP)
    page.goto("/accounts/login/")
    sign_in(page, manager)
    page.goto("/reviews/questions/")
    page.get_by_role("button", name=re.compile(r"^Move down\W+First question")).click()
    expect(page.locator("main li").nth(1)).to_contain_text("First question")
    expect(
        page.get_by_role("button", name=re.compile(r"^Move down\W+First question"))
    ).to_be_focused()
    # Moved to the end, it has no "Move down" any more: its "Move up" has the focus.
    page.keyboard.press("Enter")
    expect(page.locator("main li").nth(2)).to_contain_text("First question")
    expect(
        page.get_by_role("button", name=re.compile(r"^Move up\W+First question"))
    ).to_be_focused()
    page.get_by_role("button", name=re.compile(r"^Move up\W+Third question")).click()
    expect(page.locator("main li").first).to_contain_text("Third question")
    expect(
        page.get_by_role("button", name=re.compile(r"^Move down\W+Third question"))
    ).to_be_focused()
