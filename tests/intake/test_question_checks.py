"""Staff-made questions (issue 22, third run): a choice list with the same answer twice
(whatever the capitals) is refused with a clear message; a change of kind sent for an
answered question is refused with a message, not silently ignored."""

import pytest
from django.core.exceptions import ValidationError

from intake import question_editing
from intake.models import Question

from .test_question_versions import _edit_data, manager_client
from .test_questions import make_questions, submitted_with_answers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("choices", ["Same\nSame\nsame", "Yes\nNo\n YES ", "A\nB\nb"])
def test_duplicate_choices_are_refused_on_the_staff_page(choices):
    staff = manager_client()
    response = staff.post(
        "/reviews/questions/add/",
        {"label": "Pick", "kind": "choice", "choices": choices, "section": "about"},
    )
    assert response.status_code == 400
    assert "more than once" in response.content.decode()
    assert not Question.objects.filter(label="Pick").exists()


def test_duplicate_choices_are_refused_by_the_service_too():
    with pytest.raises(ValidationError):
        question_editing.add_question(
            data={"label": "Pick", "kind": "choice", "choices": "Same\nsame", "section": "about"}
        )
    assert not Question.objects.filter(label="Pick").exists()


def test_changing_the_kind_of_an_answered_question_says_it_cannot():
    questions = make_questions()
    submitted_with_answers(questions)
    short = questions["short"]
    response = manager_client().post(
        f"/reviews/questions/{short.pk}/", _edit_data(short, kind="long_text")
    )
    assert response.status_code == 400
    assert "kind cannot change" in response.content.decode()
    short.refresh_from_db()
    assert short.kind == "short_text"


def test_an_answered_question_saved_with_its_own_kind_is_fine():
    questions = make_questions()
    submitted_with_answers(questions)
    short = questions["short"]
    response = manager_client().post(
        f"/reviews/questions/{short.pk}/", _edit_data(short, required="")
    )
    assert response.status_code == 302
