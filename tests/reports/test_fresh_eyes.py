"""What a new user found trying the report with fresh eyes (issue 26, second pass)."""

import csv
import io
import json
from collections import Counter

import pytest

from tests import factories

from .history import script

pytestmark = pytest.mark.django_db


def _keys(rows, year="year", quarter="quarter", measure="measure", subject=None):
    return Counter((r[year], r[quarter], r[measure], r[subject] if subject else "") for r in rows)


def test_every_file_has_one_row_per_year_quarter_and_measure(client, monkeypatch, settings):
    script(monkeypatch, settings)
    files = {}
    for query in ("?basis=calendar&year=2025", "?basis=calendar"):
        text = client.get("/report/data.csv" + query).content.decode()
        files["csv" + query] = list(csv.DictReader(io.StringIO(text)))
        files["json" + query] = json.loads(client.get("/report/data.json" + query).content)["rows"]
    client.force_login(factories.staff_user(role="reviewer"))
    text = client.get("/reviews/report/data.csv?basis=calendar&year=2025").content.decode()
    staff_rows = list(csv.DictReader(io.StringIO(text)))
    for name, rows in files.items():
        twice = [key for key, n in _keys(rows).items() if n > 1]
        assert not twice, (name, twice)
    twice = [key for key, n in _keys(staff_rows, subject="subject").items() if n > 1]
    assert not twice, twice
    assert any(r["measure"] == "check_ins_answered" for r in staff_rows)


def test_sentences_word_hidden_figures_readably_and_say_when_nothing_was_received():
    from reports import sentences

    year = {
        "proposals_received": 9,
        "proposals_approved": 5,
        "proposals_declined": "fewer than 5",
        "proposals_withdrawn": "withheld",
        "proposals_open": "withheld",
        "decisions_made": "withheld",
        "decisions_approved": 5,
        "decisions_declined": "fewer than 5",
    }
    text = sentences.proposals_summary("2027", year)
    assert text == (
        "In 2027 the program received 9 proposals: 5 approved and fewer than 5 declined (some "
        "figures are withheld so that small numbers of declined proposals cannot be worked out)."
    )
    text = sentences.decisions_summary("2027", year)
    assert "withheld decisions" not in text
    assert text.startswith("In 2027 staff made decisions: 5 approvals and fewer than 5 declines")
    empty = dict.fromkeys(year, 0)
    assert sentences.proposals_summary("2027", empty) == "No proposals were received in 2027."


def test_program_years_are_spelled_as_the_files_name_them_and_unknown_years_say_so(
    client, monkeypatch, settings
):
    from reports.periods import PROGRAM, Period

    settings.REPORT_YEAR_START = "07-01"
    script(monkeypatch, settings)  # today is 2026-02-01: program years 2024-25 and 2025-26
    page = client.get("/report/?basis=program&year=2024-25")
    assert page.context["period"] == Period(PROGRAM, 2024)
    html = page.content.decode()
    assert '<option value="2024" selected>2024-25</option>' in html
    assert "no figures for that choice" not in html
    for address in (
        "/report/data.csv?basis=program&year=2024-25",
        "/report/data.json?basis=program&year=2024-25",
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "2024-25" in response.content.decode()
        assert "meetup-program-2024-25-program" in response["Content-Disposition"]
    for query in ("?year=1999", "?year=abc", "?basis=program&year=2031-32"):
        html = client.get("/report/" + query).content.decode()
        assert "The report has no figures for that choice" in html, query
        response = client.get("/report/data.csv" + query)
        assert response.status_code in (400, 404), query
        assert response["Content-Type"].startswith("text/plain")
        assert "The report has no figures for that year" in response.content.decode()


def test_medians_read_the_same_on_the_staff_page_and_in_its_file():
    from reports.figures import median
    from reports.templatetags.reports import figure

    # An even number of stays gave "0.0" and "150.0" beside the public "0": whole days are
    # whole, a half day has one decimal, on the page and in the file alike.
    assert figure(median([0, 0])) == "0" and str(median([0, 0])) == "0"
    assert figure(median([150, 150])) == "150" and str(median([150, 150])) == "150"
    assert str(median([1, 2])) == "1.5"


def test_the_dictionary_gives_todays_date_as_its_example_for_the_staff_file(client, monkeypatch):
    from .clock import install, local

    install(monkeypatch, local(2026, 12, 7))
    html = client.get("/report/dictionary/").content.decode()
    assert "2026-02-01" not in html
    assert "the day the file was made, e.g. 2026-12-07" in html


def test_the_tables_say_their_units(client, monkeypatch, settings):
    from .test_outputs import _row_cells

    script(monkeypatch, settings)
    html = client.get("/report/?basis=calendar&year=2025").content.decode()
    assert _row_cells(html, "Answered by the promised date (%)") == [["67", "–", "0", "–", "50"]]
    assert _row_cells(html, "Promised reply (business days)")
    assert _row_cells(html, "Days to first reply, median (calendar days)")
    client.force_login(factories.staff_user(role="reviewer"))
    staff = client.get("/reviews/report/?basis=calendar&year=2025").content.decode()
    assert _row_cells(staff, "Promised reply (business days)")


def test_a_year_without_proposals_says_so_and_the_current_year_is_today(client, monkeypatch):
    from .clock import install, local

    clock = install(monkeypatch, local(2027, 3, 1))
    factories.meetup(name="Group One", created_at=local(2027, 3, 1))
    clock.set(local(2028, 1, 11))
    html = client.get("/report/?basis=calendar&year=2027").content.decode()
    assert "No proposals were received in 2027." in html
    assert "within –" not in html and "–%" not in html
    assert "At the end of 2027 " in html and "or today" not in html
    assert "Nothing to show for 2027" in html
    html = client.get("/report/?basis=calendar&year=2028").content.decode()
    assert "Today (11 January 2028) " in html


def test_the_staff_page_tells_first_replies_overdue_from_decisions_overdue(
    client, monkeypatch, settings
):
    from .clock import local
    from .history import _proposal

    clock, made = script(monkeypatch, settings)
    # Reviewed (a first reply) in time, and waiting for a decision since: not a late reply.
    waiting = _proposal(
        clock,
        [("submit", local(2025, 12, 1, 9)), ("complete_review", local(2025, 12, 3, 9))],
    )
    clock.set(local(2026, 2, 1))
    client.force_login(factories.staff_user(role="reviewer"))
    html = client.get("/reviews/report/?basis=calendar&year=2025").content.decode()
    first = html[html.index('id="overdue-reply-title"') : html.index('id="overdue-decision-title"')]
    decision = html[html.index('id="overdue-decision-title"') : html.index('id="waiting-title"')]
    assert "1 proposal waiting for a first reply past the promised date" in first
    assert made["p6"].reference in first and waiting.reference not in first
    assert "1 proposal waiting for a decision past the promised date" in decision
    assert waiting.reference in decision and made["p6"].reference not in decision
    text = client.get("/reviews/report/data.csv?basis=calendar&year=2025").content.decode()
    rows = {r["measure"]: r["value"] for r in csv.DictReader(io.StringIO(text))}
    assert rows["proposals_overdue_now"] == "1"
    assert rows["proposals_awaiting_decision_past_due_now"] == "1"


def test_the_groups_chart_says_when_the_listing_was_imported(client, monkeypatch):
    from .clock import install, local

    clock = install(monkeypatch, local(2025, 6, 1))
    factories.meetup(name="Imported One", created_at=local(2025, 6, 1))
    clock.set(local(2026, 2, 1))
    html = client.get("/report/?basis=calendar&year=2025").content.decode()
    assert "imported on 1 June 2025" in html
    assert "imported on" not in client.get("/report/?basis=calendar&year=2026").content.decode()
    dictionary = client.get("/report/dictionary/").content.decode()
    assert "count from the day they were imported" in dictionary
