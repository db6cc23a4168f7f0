"""The report's page, pictures and files show the same figures, hide the same small counts
everywhere, and a closed year's file never changes."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from intake.models import Organizer, Proposal
from intake.reminders import run_draft_reminders
from reports import cache
from reports.models import FrozenYear
from reports.periods import CALENDAR

from .history import EXPECTED_2025, HIDDEN_2025, QUARTERS, script

pytestmark = pytest.mark.django_db

YEAR_2025 = "?basis=calendar&year=2025"
SVG = "{http://www.w3.org/2000/svg}"


def _csv(client, query=YEAR_2025) -> list[dict]:
    response = client.get("/report/data.csv" + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _row_cells(html: str, label: str) -> list[str]:
    """The cells of each table row headed `label`, as text."""
    rows = re.findall(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]


def _chart_series_values(svg: bytes) -> list[list[str]]:
    """The printed values of each series of a pygal chart, in order (pygal draws a series'
    bars and its printed values in separate groups of the same class)."""
    root = ET.fromstring(svg)
    series = {}
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "series" in classes:
            name = next(c for c in classes if c.startswith("serie-"))
            texts = [t.text for t in group.iter(f"{SVG}text") if "value" in (t.get("class") or "")]
            series.setdefault(name, []).extend(texts)
    return [series[name] for name in sorted(series, key=lambda n: int(n.split("-")[1]))]


def test_hidden_counts_never_appear_in_the_page_the_pictures_or_the_files(
    client, monkeypatch, settings
):
    script(monkeypatch, settings)
    # Files: every hidden cell says so, every other one is the figure.
    rows = _csv(client)
    assert {r["schema_version"] for r in rows} == {"2"}
    by_cell = {(r["quarter"], r["measure"]): r["value"] for r in rows}
    for measure, values in EXPECTED_2025.items():
        for quarter, value in zip(QUARTERS, values, strict=True):
            # A count from 1 to 4 is "fewer than 5"; one hidden with it so that no subtraction
            # gives it back is "withheld", whatever its value (never its range).
            shown = HIDDEN_2025.get((quarter, measure), value)
            assert by_cell[(quarter, measure)] == ("" if shown is None else str(shown))
    document = json.loads(client.get("/report/data.json" + YEAR_2025).content)
    assert document["schema_version"] == 2
    assert {
        (r["quarter"], r["measure"])
        for r in document["rows"]
        if r["value"] in ("fewer than 5", "withheld")
    } == set(HIDDEN_2025)
    # The page's table: the declined row says "fewer than 5" in Q1 and the year.
    page = client.get("/report/" + YEAR_2025)
    html = page.content.decode()
    assert _row_cells(html, "Declined") == [["fewer than 5", "0", "0", "0", "fewer than 5"]]
    assert _row_cells(html, "Withdrawn") == [["withheld", "fewer than 5", "0", "0", "fewer than 5"]]
    assert "fewer than 5 declined" in html  # the sentence above the chart
    # The picture: the declined series (second) prints no number where the count is hidden.
    svg = client.get("/report/charts/proposals-wide.svg" + YEAR_2025)
    assert svg["Content-Type"] == "image/svg+xml"
    approved, declined, withdrawn, still_open = _chart_series_values(svg.content)
    assert declined == ["fewer than 5", "0", "0", "0"]
    assert withdrawn == ["withheld", "fewer than 5", "0", "0"]  # Q1's 0, hidden with the declined
    assert approved[1] == still_open[0] == "0"  # approvals are hidden last, if ever
    # The staff file has the real figures; the public's never does.
    assert (
        "proposals_declined,2" not in client.get("/report/data.csv?basis=calendar").content.decode()
    )


def test_every_chart_has_its_table_and_sentence_and_draws_without_script(
    client, monkeypatch, settings
):
    script(monkeypatch, settings)
    html = client.get("/report/" + YEAR_2025).content.decode()
    sections = re.findall(
        r'<section class="report-section[^>]*id="(\w+)"(.*?)</section>', html, re.S
    )
    assert [name for name, _body in sections] == [
        "proposals",
        "decisions",
        "replies",
        "groups",
        "upkeep",
        "years",
    ]
    for name, body in sections:
        assert 'class="report-summary"' in body and "<table" in body and "<caption>" in body
        for size in ("wide", "narrow"):
            assert f"/report/charts/{name}-{size}.svg" in body
            response = client.get(f"/report/charts/{name}-{size}.svg" + YEAR_2025)
            assert response.status_code == 200
            assert b"<script" not in response.content and b"href" not in response.content
            # Only its own styles; nothing loaded from anywhere.
            assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "Half the proposals received in 2025 had a first reply within 3 days" in html
    assert client.get("/report/charts/nothing-wide.svg").status_code == 404


def test_a_closed_years_file_is_the_same_bytes_after_personal_data_is_deleted(
    client, monkeypatch, settings
):
    clock, made = script(monkeypatch, settings)
    before = client.get("/report/data.csv" + YEAR_2025).content
    assert FrozenYear.objects.filter(basis=CALENDAR, year=2025).count() == 1
    # The retention rules run: the untouched draft is deleted with its people...
    settings.DRAFT_REMINDER_DAYS, settings.DRAFT_RETENTION_DAYS = 30, 90
    for days in (31, 84, 92):
        clock.set(made["draft"].updated_at + datetime.timedelta(days=days))
        run_draft_reminders(now=clock())
    assert not Proposal.objects.filter(pk=made["draft"].pk).exists()
    # ...ended proposals' personal data is erased...
    ended = Proposal.objects.filter(state__in=["approved", "declined", "withdrawn"])
    Organizer.objects.filter(proposal__in=ended).delete()
    ended.update(name="", description="", audience="", activities="")
    # ...and the council changes its promise: the closed year keeps the one it made.
    settings.REVIEW_DAYS = 10
    settings.REVIEW_CLOSURE_DATES = [datetime.date(2025, 1, 8)]
    cache.forget()
    after = client.get("/report/data.csv" + YEAR_2025).content
    assert after == before
    # The current year is computed afresh with the new promise.
    current = client.get("/report/data.csv?basis=calendar&year=2026").content.decode()
    assert "2026,year,promised_reply_business_days,10,2" in current
