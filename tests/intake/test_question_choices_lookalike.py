"""Choices that look the same are the same choice (sec22d): fullwidth letters, an accent
written as one character or two, and invisible characters, which are refused outright."""

import pytest

from intake.models import Question

from .test_question_versions import manager_client

pytestmark = pytest.mark.django_db


def _add(choices):
    return manager_client().post(
        "/reviews/questions/add/",
        {"label": "Pick", "kind": "choice", "choices": choices, "section": "about"},
    )


@pytest.mark.parametrize(
    "choices",
    [
        "Yes\nNo\n\uff39\uff45\uff53",  # fullwidth "Yes"
        "Caf\u00e9\nTea\nCafe\u0301",  # precomposed and decomposed é
    ],
)
def test_lookalike_duplicate_choices_are_refused(choices):
    response = _add(choices)
    assert response.status_code == 400
    assert "more than once" in response.content.decode()
    assert not Question.objects.filter(label="Pick").exists()


@pytest.mark.parametrize("choices", ["Yes\nNo\nYes\u200b", "Yes\nN\u2060o", "Y\u00ades\nNo"])
def test_invisible_characters_in_choices_are_refused(choices):
    response = _add(choices)
    assert response.status_code == 400
    assert "invisible character" in response.content.decode()
    assert not Question.objects.filter(label="Pick").exists()


def test_distinct_choices_are_kept():
    assert _add("Café\nCafe\nTea").status_code == 302
    assert Question.objects.get(label="Pick").choice_list == ["Café", "Cafe", "Tea"]
