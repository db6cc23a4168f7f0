"""Staff-made questions (issue 22, item 6): help text is shown as written, never as HTML;
the words people answered are frozen (a change to an answered question makes a new
version, old answers keep the label, help and choices they answered, for reviewers and in
the export; an answered choice never vanishes from old answers); and program managers
manage questions and program pages on staff pages linked from the staff menu."""

import csv
import io

import pytest
from django.test import Client

from accounts.roles import staff_actor
from intake import question_editing, services
from intake.models import Answer, ProgramPage, Proposal, Question
from intake.staff_forms import QuestionForm
from tests import factories

from .test_questions import field, form_data, good_answers, make_questions, submitted_with_answers

pytestmark = pytest.mark.django_db


def manager_client() -> Client:
    client = Client()
    client.force_login(factories.staff_user(role="manager"))
    return client


def _edit_data(question: Question, **changes) -> dict:
    data = {
        "label": question.label,
        "kind": question.kind,
        "choices": question.choices,
        "help_text": question.help_text,
        "section": question.section,
    }
    if question.required:
        data["required"] = "on"
    data.update(changes)
    return data


def test_help_text_is_shown_as_written_never_run_as_html(client):
    Question.objects.create(
        label="Anything else?",
        kind="short_text",
        help_text='<script>alert(1)</script><a href="javascript:alert(2)">click</a> <b>bold</b>',
    )
    html = client.get("/propose/").content.decode()
    assert "<script>alert(1)" not in html and 'href="javascript' not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_rewording_an_answered_question_makes_a_version_and_old_answers_keep_their_words():
    questions = make_questions()
    proposal, _token = submitted_with_answers(questions)  # answered "Public" to the choice
    choice = questions["choice"]
    staff = manager_client()
    response = staff.get(f"/reviews/questions/{choice.pk}/")
    assert "1 proposal answered these words" in response.content.decode()
    response = staff.post(
        f"/reviews/questions/{choice.pk}/",
        _edit_data(
            choice,
            label="Where do most of you work?",
            choices="Academic\nSpecial\nSchool",  # "Public" removed
            help_text="Pick the closest.",
        ),
    )
    assert response.status_code == 302
    new = Question.objects.get(label="Where do most of you work?")
    choice.refresh_from_db()
    assert new.pk != choice.pk and new.version == 2 and new.previous_id == choice.pk
    assert choice.retired and choice.label == "Which kind of library do most of you work in?"
    assert choice.choice_list == ["Public", "Academic", "Special"]
    assert Answer.objects.get(proposal=proposal, question=choice).value == "Public"

    # The form asks the new words; the old ones are gone from it.
    form = Client().get("/propose/").content.decode()
    assert "Where do most of you work?" in form and "Pick the closest." in form
    assert "Which kind of library" not in form

    # Reviewers read the answer under the words it answered, and no unanswered new wording.
    review = staff.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "<dt>Which kind of library do most of you work in? <span" in review
    assert "since reworded" in review and "<dd>Public</dd>" in review
    assert "Where do most of you work?" not in review

    # The export keeps both columns: the old answer under the old words.
    # The export asks for a fresh sign-in first (staff accounts on allauth).
    fresh = staff.post("/accounts/reauthenticate/", {"password": factories.STAFF_PASSWORD})
    assert fresh.status_code == 302
    export = staff.get("/reviews/export.csv?state=submitted")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    old_column = header.index(
        "Which kind of library do most of you work in? (earlier wording, version 1)"
    )
    assert row[old_column] == "Public"
    assert row[header.index("Where do most of you work?")] == ""


def test_a_change_to_an_unanswered_question_or_its_place_changes_it_in_place():
    questions = make_questions()
    submitted_with_answers(questions)
    staff = manager_client()
    long = questions["long"]  # never answered
    staff.post(
        f"/reviews/questions/{long.pk}/", _edit_data(long, label="How will you reach people?")
    )
    long.refresh_from_db()
    assert long.label == "How will you reach people?" and long.version == 1
    short = questions["short"]  # answered: required and section are not its words
    staff.post(f"/reviews/questions/{short.pk}/", _edit_data(short, required="", section="about"))
    short.refresh_from_db()
    assert not short.required and short.section == "about" and short.version == 1
    assert Question.objects.count() == 5


def test_the_kind_of_an_answered_question_cannot_change():
    questions = make_questions()
    submitted_with_answers(questions)
    short = questions["short"]
    staff = manager_client()
    staff.post(f"/reviews/questions/{short.pk}/", _edit_data(short, kind="long_text"))
    short.refresh_from_db()
    assert short.kind == "short_text"  # the field is fixed: what was sent is ignored


def test_an_organizer_asked_the_new_words_starts_from_their_answer_and_replaces_it(client):
    questions = make_questions()
    response = client.post("/propose/", form_data(**good_answers(questions)))
    token = response["Location"].split("/")[2]
    proposal = Proposal.objects.get()
    short = questions["short"]
    new = question_editing.change_question(
        question=short, data={"label": "Which part of the city will you meet in?"}
    )
    edit = client.get(f"/proposals/{token}/edit/").content.decode()
    assert "Which part of the city will you meet in?" in edit
    assert 'value="Lower East Side"' in edit  # carried over to the new words
    answers = {**good_answers(questions), field(new): "Harlem"}
    del answers[field(short)]
    assert client.post(f"/proposals/{token}/edit/", form_data(**answers)).status_code == 302
    # The organizers answered the new words: their answer to the old ones is replaced.
    assert list(proposal.answers.filter(question__in=[short, new]).values_list("value")) == [
        ("Harlem",)
    ]


def test_a_resubmission_compares_answers_across_versions():
    questions = make_questions()
    proposal, _ = submitted_with_answers(questions)
    manager = factories.staff_user(role="manager")
    proposal = services.run_transition(
        proposal=proposal, name="request_changes", actor=staff_actor(manager), note="More."
    )
    new = question_editing.change_question(
        question=questions["short"], data={"label": "Which part of the city?"}
    )
    services.update_draft(
        proposal=proposal,
        content=factories.proposal_content(name=proposal.name),
        organizers=list(factories.organizers()),
        answers={new.pk: "Inwood", questions["yes_no"].pk: "no", questions["choice"].pk: "Public"},
    )
    proposal = services.submit_for_review(proposal=Proposal.objects.get(pk=proposal.pk))
    changes = {
        c["label"]: (c["before"], c["after"])
        for c in services.changes_since_previous_submission(proposal=proposal)
    }
    assert changes["Which part of the city?"] == ("Harlem", "Inwood")


def test_the_admin_keeps_the_same_rule():
    questions = make_questions()
    submitted_with_answers(questions)
    admin = Client()
    admin.force_login(factories.staff_user(role="manager", is_staff=True))
    yes_no = questions["yes_no"]
    response = admin.post(
        f"/admin/intake/question/{yes_no.pk}/change/",
        {
            "label": "Have you organized a group before?",
            "required": "on",
            "help_text": "",
            "choices": "",
            "section": "support",
            "order": "0",
        },
    )
    assert response.status_code == 302
    yes_no.refresh_from_db()
    assert yes_no.label == "Have you run a group before?" and yes_no.retired
    assert Question.objects.get(previous=yes_no).label == "Have you organized a group before?"


def test_managers_add_reorder_and_retire_questions_from_the_staff_menu(client):
    staff = manager_client()
    home = staff.get("/reviews/").content.decode()
    assert 'href="/reviews/questions/"' in home
    for label in ("First question?", "Second question?"):
        response = staff.post(
            "/reviews/questions/add/",
            {"label": label, "kind": "short_text", "section": "support", "help_text": ""},
        )
        assert response.status_code == 302
    bad = staff.post(
        "/reviews/questions/add/",
        {"label": "Pick", "kind": "choice", "choices": "Only one", "section": "about"},
    )
    assert bad.status_code == 400
    assert "A choice question needs at least two answers." in bad.content.decode()
    assert 'value="Pick"' in bad.content.decode()  # nothing typed is lost

    first, second = Question.objects.order_by("pk")
    page = staff.get("/reviews/questions/").content.decode()
    assert page.index("First question?") < page.index("Second question?")
    staff.post(f"/reviews/questions/{second.pk}/earlier/")
    page = staff.get("/reviews/questions/").content.decode()
    assert page.index("Second question?") < page.index("First question?")
    form = client.get("/propose/").content.decode()
    assert form.index("Second question?") < form.index("First question?")

    staff.post(f"/reviews/questions/{first.pk}/retire/")
    assert "First question?" not in client.get("/propose/").content.decode()
    staff.post(f"/reviews/questions/{first.pk}/ask/")
    assert "First question?" in client.get("/propose/").content.decode()


def test_managers_edit_program_pages_and_the_site_shows_them(client):
    page, _ = ProgramPage.objects.update_or_create(
        slug="guidelines", defaults={"title": "Guidelines", "body": "Old words."}
    )
    staff = manager_client()
    assert "Guidelines" in staff.get("/reviews/questions/").content.decode()
    response = staff.post(
        "/reviews/pages/guidelines/",
        {"title": "Guidelines", "body": "## Who can propose\n\nAnyone <b>at all</b>."},
    )
    assert response.status_code == 302
    html = client.get("/guidelines/").content.decode()
    assert "Who can propose" in html and "Anyone &lt;b&gt;at all&lt;/b&gt;." in html
    empty = staff.post("/reviews/pages/guidelines/", {"title": "Guidelines", "body": ""})
    assert empty.status_code == 400


def test_only_program_managers_reach_these_pages():
    question = Question.objects.create(label="Q?", kind="short_text")
    reviewer = Client()
    reviewer.force_login(factories.staff_user(role="reviewer"))
    for path in (
        "/reviews/questions/",
        "/reviews/questions/add/",
        f"/reviews/questions/{question.pk}/",
    ):
        assert reviewer.get(path).status_code == 403
    assert reviewer.post(f"/reviews/questions/{question.pk}/retire/").status_code == 403
    assert Client().get("/reviews/questions/").status_code in (302, 403)
    assert 'href="/reviews/questions/"' not in reviewer.get("/reviews/").content.decode()


def test_a_choice_list_is_bounded_with_a_clear_message():
    # The second attack run: 20,000 choices made the public form 7.5 MB.
    many = "\n".join(f"Answer {n}" for n in range(question_editing.MAX_CHOICES + 1))
    form = QuestionForm(
        {"label": "Which?", "kind": "choice", "choices": many, "section": "support"}
    )
    assert not form.is_valid()
    assert "at most 50 answers" in " ".join(form.errors["choices"])
    long_one = QuestionForm(
        {"label": "Which?", "kind": "choice", "choices": "A\n" + "B" * 201, "section": "support"}
    )
    assert not long_one.is_valid()
    assert "200 characters or fewer" in " ".join(long_one.errors["choices"])


REWORDED_NOTE = "This question was reworded since you answered it; please check your answer."


def test_a_reworded_question_says_so_beside_the_prefilled_answer(client):
    questions = make_questions()
    response = client.post("/propose/", form_data(**good_answers(questions)))
    token = response["Location"].split("/")[2]
    short = questions["short"]
    edit = client.get(f"/proposals/{token}/edit/").content.decode()
    assert REWORDED_NOTE not in edit  # the words they answered: no note
    new = question_editing.change_question(
        question=short, data={"label": "Which part of the city will you meet in?"}
    )
    edit = client.get(f"/proposals/{token}/edit/").content.decode()
    assert edit.count(REWORDED_NOTE) == 1  # by that one field, not the others
    label_at = edit.index("Which part of the city will you meet in?")
    assert label_at < edit.index(REWORDED_NOTE) < label_at + 1500  # beside its field
    assert 'value="Lower East Side"' in edit
    answers = {**good_answers(questions), field(new): "Harlem"}
    del answers[field(short)]
    client.post(f"/proposals/{token}/edit/", form_data(**answers))
    assert REWORDED_NOTE not in client.get(f"/proposals/{token}/edit/").content.decode()


def test_the_home_page_has_no_title_to_set_only_its_introduction(client):
    staff = manager_client()
    workspace = staff.get("/reviews/questions/").content.decode()
    assert "Home page introduction" in workspace
    form = staff.get("/reviews/pages/home/").content.decode()
    # No field that would do nothing: the home page's heading is the program's name.
    assert 'name="title"' not in form and 'name="body"' in form
    assert "Edit Home page introduction" in form
    response = staff.post("/reviews/pages/home/", {"body": "We meet to share what we know."})
    assert response.status_code == 302
    assert "We meet to share what we know." in client.get("/").content.decode()
    # The guidelines' title is their heading, so it stays.
    assert 'name="title"' in staff.get("/reviews/pages/guidelines/").content.decode()
