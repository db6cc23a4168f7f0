"""Questions from the guidelines that staff can change: managed in the admin, asked on the
form in their section, validated like the built-in answers, shown on every page that shows
a proposal's answers and in the change table; retired rather than deleted once answered."""

import re

import pytest
from django.test import Client

from accounts.roles import Actor, staff_actor
from intake import services
from intake.models import Answer, Proposal, Question, QuestionAnswered, State
from reviews import timeline
from tests import factories

from .forms_data import form_data


def make_questions() -> dict[str, Question]:
    return {
        "short": Question.objects.create(
            label="Which neighbourhood will you meet in?",
            kind="short_text",
            required=True,
            section="meetings",
            order=1,
        ),
        "long": Question.objects.create(
            label="How will you reach people new to the field?",
            kind="long_text",
            required=True,
            help_text="A few sentences.",
            section="about",
        ),
        "choice": Question.objects.create(
            label="Which kind of library do most of you work in?",
            kind="choice",
            required=True,
            choices="Public\nAcademic\nSpecial",
            section="existing",
        ),
        "yes_no": Question.objects.create(
            label="Have you run a group before?", kind="yes_no", required=True, section="support"
        ),
        "url": Question.objects.create(
            label="A page about your plans", kind="url", required=False, section="meetings", order=2
        ),
    }


def field(question: Question) -> str:
    return f"question_{question.pk}"


def good_answers(questions) -> dict:
    return {
        field(questions["short"]): "  Lower   East Side ",
        field(questions["long"]): "Newsletters and\nsocial media.",
        field(questions["choice"]): "Academic",
        field(questions["yes_no"]): "yes",
        field(questions["url"]): "example.org/plans",
    }


def fieldset_of(html: str, label: str) -> str:
    """The legend of the section the label appears in."""
    position = html.index(label)
    legends = [(m.start(), m.group(1)) for m in re.finditer(r"<legend>([^<]+)", html)]
    return [legend for start, legend in legends if start < position][-1].strip()


@pytest.mark.django_db
def test_each_kind_of_question_is_asked_in_its_section(client):
    questions = make_questions()
    html = client.get("/propose/").content.decode()
    assert fieldset_of(html, questions["long"].label) == "About the group"
    assert fieldset_of(html, questions["choice"].label) == "Groups already listed"
    assert fieldset_of(html, questions["short"].label) == "Meetings"
    assert fieldset_of(html, questions["url"].label) == "Meetings"
    assert fieldset_of(html, questions["yes_no"].label).startswith("Support from")
    assert html.index(questions["short"].label) < html.index(questions["url"].label)
    assert f'<textarea name="{field(questions["long"])}"' in html
    assert re.search(rf'type="radio"[^>]*name="{field(questions["choice"])}" value="Special"', html)
    assert re.search(rf'type="radio"[^>]*name="{field(questions["yes_no"])}" value="no"', html)
    assert re.search(rf'type="url" name="{field(questions["url"])}"', html)
    assert "Optional." in html.split(questions["url"].label)[1][:600]


@pytest.mark.django_db
def test_answers_are_saved_normalised_and_shown_on_check_your_answers(client):
    questions = make_questions()
    response = client.post("/propose/", form_data(**good_answers(questions)))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    saved = {a.question_id: a.value for a in proposal.answers.all()}
    assert saved == {
        questions["short"].pk: "Lower East Side",
        questions["long"].pk: "Newsletters and\nsocial media.",
        questions["choice"].pk: "Academic",
        questions["yes_no"].pk: "yes",
        questions["url"].pk: "https://example.org/plans",
    }
    html = client.get(response["Location"]).content.decode()
    for label, shown in [
        (questions["short"].label, "Lower East Side"),
        (questions["choice"].label, "Academic"),
        (questions["yes_no"].label, "Yes"),
        (questions["url"].label, "https://example.org/plans"),
    ]:
        # Each row of "Check your answers" ends with its Change link (issue 13).
        assert f'<dt>{label}</dt><dd>{shown} <a class="change-link"' in html.replace("&#x27;", "'")


REFUSALS = [
    ("short", "", "Answer this question."),
    ("short", "x" * 301, "Ensure this value has at most 300 characters (it has 301)."),
    ("short", "Lower\x07East Side", "invisible control characters"),
    ("long", "", "Answer this question."),
    ("long", "x" * 3001, "Ensure this value has at most 3000 characters (it has 3001)."),
    ("long", "Zines\x00 and more", "hidden null character"),
    ("choice", "", "Choose an answer."),
    ("choice", "Museum", "Choose one of the answers listed."),
    ("yes_no", "", "Choose an answer."),
    ("yes_no", "maybe", "Choose one of the answers listed."),
    # Spaces: refused with the built-in web address field's words.
    ("url", "not a web address", "Enter a full web address, like https://www.meetup.com/"),
    ("url", "example", "Enter a web address with a full site name"),
    ("url", "http://10.0.0.1/plans", "points inside a private network"),
    ("url", "https://example.org/" + "x" * 500, "at most 500 characters"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "value", "message"), REFUSALS)
def test_answers_are_validated_like_the_built_in_ones(client, kind, value, message):
    questions = make_questions()
    answers = {**good_answers(questions), field(questions[kind]): value}
    response = client.post("/propose/", form_data(**answers))
    assert response.status_code == 200
    assert Proposal.objects.count() == 0
    html = response.content.decode()
    assert message in html
    # The error summary links to the question, under its label.
    assert f'href="#id_{field(questions[kind])}' in html
    assert "\x00" not in html  # shown again without it, the rest kept


@pytest.mark.django_db
def test_optional_questions_may_be_left_blank(client):
    questions = make_questions()
    answers = {**good_answers(questions), field(questions["url"]): ""}
    response = client.post("/propose/", form_data(**answers))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert f'<dt>{questions["url"].label}</dt><dd>Not given <a class="change-link"' in html


@pytest.mark.django_db
def test_editing_shows_the_answers_given_and_keeps_them(client):
    questions = make_questions()
    response = client.post("/propose/", form_data(**good_answers(questions)))
    token = response["Location"].split("/")[2]
    html = client.get(f"/proposals/{token}/edit/").content.decode()
    assert 'value="Lower East Side"' in html
    assert re.search(rf'name="{field(questions["choice"])}" value="Academic"[^>]*checked', html)


def submitted_with_answers(questions) -> tuple[Proposal, str]:
    proposal, token = factories.draft()
    services.update_draft(
        proposal=proposal,
        content=factories.proposal_content(name=proposal.name),
        organizers=factories.organizers(),
        answers={
            questions["short"].pk: "Harlem",
            questions["yes_no"].pk: "no",
            questions["choice"].pk: "Public",
        },
    )
    proposal = services.run_transition(
        proposal=proposal, name="submit", actor=Actor.organizer_link()
    )
    return proposal, token


@pytest.mark.django_db
def test_reviewers_and_organizers_see_the_answers():
    questions = make_questions()
    proposal, token = submitted_with_answers(questions)
    reviewer = Client()
    reviewer.force_login(factories.staff_user(role="reviewer"))
    for html in (
        reviewer.get(f"/reviews/{proposal.reference}/").content.decode(),
        Client().get(f"/proposals/{token}/").content.decode(),
    ):
        assert f"<dt>{questions['short'].label}</dt><dd>Harlem</dd>" in html
        assert f"<dt>{questions['yes_no'].label}</dt><dd>No</dd>" in html
        assert f"<dt>{questions['long'].label}</dt><dd>Not given</dd>" in html


@pytest.mark.django_db
def test_changed_answers_are_in_the_change_table_after_a_resubmission():
    questions = make_questions()
    proposal, token = submitted_with_answers(questions)
    manager = factories.staff_user(role="manager")
    proposal = services.run_transition(
        proposal=proposal, name="request_changes", actor=staff_actor(manager), note="More please."
    )
    services.update_draft(
        proposal=proposal,
        content=factories.proposal_content(name=proposal.name),
        organizers=list(factories.organizers()),
        answers={
            questions["short"].pk: "Inwood",
            questions["yes_no"].pk: "no",
            questions["choice"].pk: "Public",
            questions["url"].pk: "https://example.org/",
        },
    )
    proposal = services.submit_for_review(proposal=Proposal.objects.get(pk=proposal.pk))
    changes = {
        c["label"]: (c["before"], c["after"])
        for c in timeline.changes_for_reviewers(proposal=proposal)
    }
    assert changes[questions["short"].label] == ("Harlem", "Inwood")
    assert changes[questions["url"].label] == ("(empty)", "https://example.org/")
    assert questions["yes_no"].label not in changes
    client = Client()
    client.force_login(manager)
    html = client.get(f"/reviews/{proposal.reference}/").content.decode()
    changes_table = html.split('id="changes"')[1].split("</table>")[0]
    assert f'<th scope="row">{questions["short"].label}</th>' in changes_table
    assert "Inwood" in changes_table


@pytest.mark.django_db
def test_a_retired_question_keeps_its_answers_and_is_no_longer_asked(client):
    questions = make_questions()
    proposal, token = submitted_with_answers(questions)
    retired = questions["short"]
    retired.retired = True
    retired.save()

    form = client.get("/propose/").content.decode()
    assert retired.label not in form
    assert questions["long"].label in form

    reviewer = Client()
    reviewer.force_login(factories.staff_user(role="reviewer"))
    html = reviewer.get(f"/reviews/{proposal.reference}/").content.decode()
    assert f"{retired.label} <span" in html and "(a question no longer asked)" in html
    assert "<dd>Harlem</dd>" in html

    # A new proposal without it saves and never shows it.
    answers = good_answers(questions)
    del answers[field(retired)]
    response = client.post("/propose/", form_data(**answers))
    assert response.status_code == 302
    new = Proposal.objects.exclude(pk=proposal.pk).get()
    assert not new.answers.filter(question=retired).exists()
    assert retired.label not in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_an_answered_question_cannot_be_deleted_only_retired():
    questions = make_questions()
    submitted_with_answers(questions)
    with pytest.raises(QuestionAnswered):
        questions["short"].delete()
    with pytest.raises(QuestionAnswered):
        Question.objects.filter(pk=questions["short"].pk).delete()
    assert Answer.objects.filter(question=questions["short"]).count() == 1
    questions["long"].delete()  # never answered
    assert not Question.objects.filter(pk=questions["long"].pk).exists()


@pytest.mark.django_db
def test_program_managers_manage_questions_in_the_admin(client):
    manager = factories.staff_user(role="manager", is_staff=True)
    admin = Client()
    admin.force_login(manager)
    response = admin.post(
        "/admin/intake/question/add/",
        {
            "label": "Do you need step-free access?",
            "kind": "yes_no",
            "required": "on",
            "help_text": "",
            "choices": "",
            "section": "support",
            "order": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(label="Do you need step-free access?")
    # The cached empty form shows it at once.
    assert question.label in client.get("/propose/").content.decode()

    bad = admin.post(
        "/admin/intake/question/add/",
        {"label": "Pick one", "kind": "choice", "choices": "Only", "section": "about", "order": 0},
    )
    assert "A choice question needs at least two answers." in bad.content.decode()

    proposal, _ = factories.draft()
    Answer.objects.create(proposal=proposal, question=question, value="yes")
    change = admin.get(f"/admin/intake/question/{question.pk}/change/").content.decode()
    assert f'/admin/intake/question/{question.pk}/delete/"' not in change
    assert admin.get(f"/admin/intake/question/{question.pk}/delete/").status_code == 403
    assert (
        admin.post(
            f"/admin/intake/question/{question.pk}/change/",
            {
                "label": "Do you need step-free access?",
                "required": "on",
                "help_text": "",
                "choices": "",
                "section": "support",
                "order": "0",
                "retired": "on",
            },
        ).status_code
        == 302
    )
    question.refresh_from_db()
    assert question.retired and question.kind == "yes_no"
    assert question.label not in client.get("/propose/").content.decode()


@pytest.mark.django_db
def test_reviewers_cannot_manage_questions():
    reviewer = factories.staff_user(role="reviewer", is_staff=True)
    client = Client()
    client.force_login(reviewer)
    assert client.get("/admin/intake/question/add/").status_code == 403


@pytest.mark.django_db
def test_a_proposal_in_changes_requested_is_asked_new_questions_when_edited(client):
    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    questions = make_questions()
    html = client.get(f"/proposals/{token}/edit/").content.decode()
    assert questions["long"].label in html
