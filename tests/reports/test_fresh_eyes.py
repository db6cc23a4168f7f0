"""What a new user found trying the report with fresh eyes (issue 26, second pass)."""

import csv
import io
import json
import re
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


SVG = "{http://www.w3.org/2000/svg}"


def _svg(client, name, size):
    import xml.etree.ElementTree as ET

    return ET.fromstring(
        client.get(f"/report/charts/{name}-{size}.svg?basis=calendar&year=2025").content
    )


def _plot(root):
    return next(g for g in root.iter(f"{SVG}g") if (g.get("class") or "").split() == ["plot"])


def test_the_promised_reply_is_drawn_in_calendar_days_in_a_key_not_on_the_bars(
    client, monkeypatch, settings
):
    import re

    script(monkeypatch, settings)
    for size in ("wide", "narrow"):
        root = _svg(client, "replies", size)
        plot = _plot(root)
        words = " ".join(
            t.text or ""
            for t in root.iter(f"{SVG}text")
            if "reference-label" in (t.get("class") or "")
        )
        found = re.search(r"about (\d+) calendar days \(15 business days\)", words)
        assert found, words
        days = int(found[1])
        assert 21 <= days <= 23  # 15 business days, a weekend or a holiday more or less
        # The line is at that many days on the axis of days, not at 15.
        ticks = {}
        for guide in plot.iter(f"{SVG}g"):
            text, path = guide.find(f"{SVG}text"), guide.find(f"{SVG}path")
            if guide.get("class") == "guides" and text is not None and (text.text or "").isdigit():
                ticks[int(text.text)] = float(path.get("d").split()[1])
        (v0, y0), (v1, y1) = min(ticks.items()), max(ticks.items())
        line = next(p for p in plot.iter(f"{SVG}path") if p.get("class") == "reference-line")
        y = float(line.get("d").split()[1])
        assert abs(y - (y0 + (days - v0) * (y1 - y0) / (v1 - v0))) < 0.5
        # Its words are in the key below the plot, where no bar, gridline or axis is.
        assert not [
            t for t in plot.iter(f"{SVG}text") if "reference-label" in (t.get("class") or "")
        ]


def test_narrow_charts_print_no_numbers_that_run_together(client, monkeypatch, settings):
    script(monkeypatch, settings)
    for name in ("proposals", "replies", "groups", "upkeep", "years"):
        root = _svg(client, name, "narrow")
        printed = [
            t.text
            for t in root.iter(f"{SVG}text")
            if "value" in (t.get("class") or "").split() and (t.text or "").strip()
        ]
        assert not [p for p in printed if p.isdigit()], (name, printed)


def test_hidden_figures_are_bands_in_their_series_colour_explained_in_the_key(
    client, monkeypatch, settings
):
    from reports.charts import COLOURS

    script(monkeypatch, settings)
    for size in ("wide", "narrow"):
        root = _svg(client, "proposals", size)
        plot = _plot(root)
        height = float(plot.find(f"{SVG}rect").get("height"))
        patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
        bands = [rect for rect in plot.iter(f"{SVG}rect") if "url(#" in (rect.get("style") or "")]
        # Q1 declined and withdrawn, Q2 withdrawn: no height that looks like a value.
        assert len(bands) == 3
        colours = set()
        for band in bands:
            assert abs(float(band.get("height")) - height) < 1
            pattern = patterns[re.search(r"url\(#([^)]+)\)", band.get("style"))[1]]
            colours |= {e.get("stroke") for e in pattern.iter() if e.get("stroke")}
        assert colours == {COLOURS[1], COLOURS[2]}  # declined, withdrawn
        key = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
        assert "Hatched: hidden figure" in key


def test_a_reply_within_0_days_is_drawn_not_nothing():
    from reports import sections
    from reports.periods import CALENDAR, Period

    from .test_sentences import _rows

    period = Period(CALENDAR, 2026)
    rows = _rows({"proposals_received": 2, "promised_reply_business_days": 15})
    assert not sections.build("replies", period=period, rows=rows, years=[]).empty
    assert sections.build("upkeep", period=period, rows=rows, years=[]).empty
