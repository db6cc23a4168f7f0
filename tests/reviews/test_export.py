"""The CSV export for program managers: read back with the csv module, one row per proposal,
every answer, the reviews and the decision, the queue's filters, and no formula a
spreadsheet would run."""

import csv
import io

import pytest
from django.test import Client

from accounts.roles import Actor
from intake import services as intake_services
from intake.models import Answer, Question, State
from reviews import decisions, services
from reviews.export import neutralise
from tests import factories


def signed_in(user) -> Client:
    """Signed in, and freshly so: the export asks for the password again first."""
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": factories.STAFF_PASSWORD})
    assert response.status_code == 302
    return client


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="proposals-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.django_db
def test_one_row_per_proposal_with_answers_reviews_and_decision():
    question = Question.objects.create(
        label="Have you run a group before?", kind="yes_no", section="support"
    )
    retired = Question.objects.create(
        label="Old question", kind="short_text", section="about", retired=True
    )
    reviewer = factories.staff_user(role="reviewer", first_name="Rita", last_name="Reviewer")
    manager = factories.staff_user(role="manager", first_name="Mo", last_name="Manager")
    declined, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Zine Librarians", description='Line one\nline two, with "quotes"'
    )
    Answer.objects.create(proposal=declined, question=question, value="yes")
    Answer.objects.create(proposal=declined, question=retired, value="From before")
    services.save_review(
        proposal=declined, reviewer=reviewer, recommendation="decline", notes="Too close to X."
    )
    decisions.decide(
        proposal=declined,
        user=manager,
        name="decline",
        note="A listed group covers this.",
        expected_state=State.REVIEWED,
    )
    waiting, _ = factories.proposal_in_state(State.SUBMITTED, name="Comics Circle")
    factories.draft(name="Private Draft")  # staff never see drafts

    rows = read_csv(signed_in(manager).get("/reviews/export.csv"))

    assert [r["Group name"] for r in rows] == ["Zine Librarians", "Comics Circle"]
    first = rows[0]
    assert first["Reference"] == declined.reference
    assert first["Status"] == "Declined"
    assert first["Purpose and scope"] == 'Line one\nline two, with "quotes"'
    assert first["How often"] == "Monthly"
    assert first["Free and open to all"] == "Yes"
    assert "organizer" in first["Organizers"] and "@example.org" in first["Organizers"]
    assert first["Have you run a group before?"] == "Yes"
    assert first["Old question (no longer asked)"] == "From before"
    assert first["Reviews"] == "Rita Reviewer: Decline. Too close to X."
    assert first["Decision"] == "Declined"
    assert first["Decided by"] == "Mo Manager"
    assert first["Decided at"]
    assert first["Decision note"] == "A listed group covers this."
    second = rows[1]
    assert second["Have you run a group before?"] == ""
    assert second["Reviews"] == "" and second["Decision"] == ""


@pytest.mark.django_db
def test_the_queue_filters_apply():
    manager = factories.staff_user(role="manager")
    factories.proposal_in_state(State.SUBMITTED, name="Zine Librarians")
    factories.proposal_in_state(State.DECLINED, name="Comics Circle")
    factories.proposal_in_state(State.SUBMITTED, name="Zine Makers")
    client = signed_in(manager)
    rows = read_csv(client.get("/reviews/export.csv", {"state": "submitted", "q": "zine"}))
    assert sorted(r["Group name"] for r in rows) == ["Zine Librarians", "Zine Makers"]
    newest = read_csv(client.get("/reviews/export.csv", {"sort": "newest", "q": "zine"}))
    assert [r["Group name"] for r in newest] == ["Zine Makers", "Zine Librarians"]


@pytest.mark.django_db
def test_formulas_are_neutralised():
    manager = factories.staff_user(role="manager")
    for index, start in enumerate(["=", "+", "-", "@", "\t", "\r"]):
        factories.proposal_in_state(
            State.SUBMITTED,
            name=f"Group {index}",
            description=f'{start}HYPERLINK("http://evil.example/","x")',
            audience="-2+3",
        )
    rows = read_csv(signed_in(manager).get("/reviews/export.csv"))
    assert len(rows) == 6
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
        assert row["Purpose and scope"].startswith("'")
        assert row["Who it is for"] == "'-2+3"
    assert neutralise("Plain text") == "Plain text"
    assert neutralise("a=b") == "a=b"


# Characters a spreadsheet folds to = + - @ (fullwidth, small forms, the minus sign,
# dashes), and ones it skips before them (spaces, a byte-order mark, a zero-width space).
FOLDED_STARTS = [
    "\uff1d",  # fullwidth =
    "\uff0b",  # fullwidth +
    "\uff0d",  # fullwidth -
    "\uff20",  # fullwidth @
    "\ufe66",  # small =
    "\ufe62",  # small +
    "\ufe6b",  # small @
    "\u2212",  # minus sign
    "\u2013",  # en dash
    " =",
    "\u00a0+",
    "\ufeff=",
    "\u200b@",
]


@pytest.mark.django_db
def test_characters_spreadsheets_fold_to_a_formula_start_are_neutralised():
    manager = factories.staff_user(role="manager")
    for index, start in enumerate(FOLDED_STARTS):
        factories.proposal_in_state(
            State.SUBMITTED,
            name=f"Group {index}",
            description=f'{start}HYPERLINK("http://evil.example/","x")',
        )
    rows = read_csv(signed_in(manager).get("/reviews/export.csv"))
    assert len(rows) == len(FOLDED_STARTS)
    for row in rows:
        assert row["Purpose and scope"].startswith("'"), row["Purpose and scope"]
    assert neutralise("\uff21bc") == "\uff21bc"  # fullwidth A: text, left alone


@pytest.mark.django_db
def test_reviewers_are_refused_and_visitors_sent_to_sign_in():
    reviewer = factories.staff_user(role="reviewer")
    assert signed_in(reviewer).get("/reviews/export.csv").status_code == 403
    response = Client().get("/reviews/export.csv")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_proposals_the_manager_organizes_are_left_out():
    manager = factories.staff_user(role="manager", email="mo@council.example.org")
    factories.proposal_in_state(State.SUBMITTED, name="Someone Else's")
    mine, _ = factories.draft(
        name="My Own Group", organizer_emails=["MO@council.example.org", "b@example.org"]
    )
    intake_services.run_transition(proposal=mine, name="submit", actor=Actor.organizer_link())
    rows = read_csv(signed_in(manager).get("/reviews/export.csv"))
    assert [r["Group name"] for r in rows] == ["Someone Else's"]


@pytest.mark.django_db
def test_the_queue_links_managers_to_the_export_with_its_filters():
    manager = factories.staff_user(role="manager")
    html = signed_in(manager).get("/reviews/", {"state": "submitted"}).content.decode()
    assert 'href="/reviews/export.csv?state=submitted"' in html
    reviewer_html = (
        signed_in(factories.staff_user(role="reviewer")).get("/reviews/").content.decode()
    )
    assert "export.csv" not in reviewer_html


@pytest.mark.django_db
def test_the_export_costs_the_same_few_queries_for_more_proposals(django_assert_max_num_queries):
    manager = factories.staff_user(role="manager")
    reviewer = factories.staff_user(role="reviewer")
    for index in range(12):
        proposal, _ = factories.proposal_in_state(State.SUBMITTED, name=f"Group {index}")
        services.save_review(proposal=proposal, reviewer=reviewer, recommendation="approve")
    client = signed_in(manager)
    # 14: two of them are the sign-in's checks (has a second factor, signed in freshly).
    with django_assert_max_num_queries(14):
        rows = read_csv(client.get("/reviews/export.csv"))
    assert len(rows) == 12
