"""The report's pages: kept once computed and answered with 304, the year chosen by address,
the staff view for staff only, and the nightly task that stores closed years."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import staff_actor
from reports import cache, services, tasks
from reports.models import FrozenYear
from reports.periods import CALENDAR, PROGRAM, current_period
from reviews import services as reviews
from tests import factories

from .clock import install, local
from .history import script
from .test_outputs import _row_cells

pytestmark = pytest.mark.django_db


def test_the_page_is_made_once_then_served_without_a_query_and_answers_304(
    client, monkeypatch, settings, monotonic_clock
):
    clock = install(monkeypatch, local(2026, 2, 1))
    factories.proposal_in_state("submitted")
    clock.advance(minutes=1)
    first = client.get("/report/")
    assert "received 1 proposal:" in first.content.decode()
    assert first.status_code == 200 and "ETag" in first
    monotonic_clock.advance(0.1)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/report/")
    assert again.content == first.content and len(queries) == 0
    assert client.get("/report/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A new row in a history is a new state: seen within the recheck interval.
    factories.proposal_in_state("submitted")
    clock.advance(minutes=1)
    monotonic_clock.advance(settings.DIRECTORY_RECHECK_SECONDS + 0.1)
    changed = client.get("/report/")
    assert changed["ETag"] != first["ETag"]
    assert "received 2 proposals" in changed.content.decode()
    assert client.get("/report/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_footer_and_the_directory_link_the_report(client):
    for path in ("/", "/meetups/"):
        assert 'href="/report/"' in client.get(path).content.decode()
    dictionary = client.get("/report/dictionary/").content.decode()
    assert "first_reply_days_median" in dictionary and "Schema version 2" in dictionary


def test_a_year_the_report_does_not_cover_says_so_and_shows_the_current_one(client, monkeypatch):
    install(monkeypatch, local(2026, 2, 1))
    factories.proposal_in_state("submitted")
    for query in ("?year=1999", "?year=abc", "?basis=lunar&year=2026"):
        response = client.get("/report/" + query)
        assert response.status_code == 200
        html = response.content.decode()
        assert "2026 is under way" in html
        if "lunar" not in query:
            assert "The report has no figures for that choice" in html
    assert client.get("/report/data.csv?year=1999").status_code == 404


def test_the_staff_view_is_for_staff_and_names_reviewers(client, monkeypatch, settings):
    clock, made = script(monkeypatch, settings)
    reviewer = factories.staff_user(role="reviewer", first_name="Rita", last_name="Reviewer")
    clock.set(local(2026, 1, 20, 9))
    proposal, _token = factories.proposal_in_state("submitted")
    clock.set(local(2026, 1, 23, 9))
    reviews.save_review(proposal=proposal, reviewer=reviewer, recommendation="approve")
    clock.set(local(2026, 2, 1))
    assert client.get("/reviews/report/").status_code == 302
    client.force_login(factories.staff_user(role="none"))
    assert client.get("/reviews/report/").status_code == 403
    client.force_login(reviewer)
    response = client.get("/reviews/report/?basis=calendar&year=2026")
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert "Rita Reviewer" in html
    # P6 has waited since August 2025: overdue now, and G2 has not checked in.
    assert made["p6"].reference in html and "Group Two" in html
    rows = list(
        csv.reader(io.StringIO(client.get("/reviews/report/data.csv?year=2026").content.decode()))
    )
    assert ["2026", "year", "reviews_given", "Rita Reviewer", "1", "2"] in rows
    assert ["2026", "year", "review_turnaround_days_median", "Rita Reviewer", "3", "2"] in rows
    # No count is hidden from staff: 2025's two declined proposals.
    staff_2025 = client.get("/reviews/report/data.csv?year=2025").content.decode()
    assert "2025,Q1,proposals_declined,,2,2" in staff_2025


def test_the_nightly_task_stores_each_closed_year_once(monkeypatch, settings):
    clock, _made = script(monkeypatch, settings)
    stored = tasks.freeze_closed_years()
    assert stored == FrozenYear.objects.count() > 0
    assert set(FrozenYear.objects.values_list("basis", "year")) >= {
        ("calendar", 2025),
        ("program", 2024),
    }
    assert tasks.freeze_closed_years() == 0  # run twice: nothing more
    assert services.freeze_closed_years(now=clock()) == 0


def test_made_up_addresses_do_not_fill_the_memory(client, monkeypatch):
    install(monkeypatch, local(2026, 2, 1))
    client.get("/report/")
    kept = len(cache.RENDERED._values)
    for n in range(20):
        assert client.get(f"/report/?utm={n}&year=19{n:02d}").status_code == 200
        assert client.get(f"/report/?basis=calendar&x={n}").status_code == 200
    # One more page at most (a year asked for and not covered), however many addresses.
    assert len(cache.RENDERED._values) <= kept + 1


def test_changing_only_the_kind_of_year_keeps_that_kind(client, settings):
    # The report's tour: choosing "Program year" sent the calendar year's number, and the page
    # showed calendar figures under a form that said "Program year".
    settings.REPORT_YEAR_START = "07-01"
    calendar_year = current_period(CALENDAR).year
    page = client.get(f"/report/?basis=program&year={calendar_year + 5}")
    assert page.status_code == 200
    assert page.context["period"] == current_period(PROGRAM)


def test_the_staff_file_labels_todays_snapshot_with_todays_date(client, monkeypatch, settings):
    clock, _made = script(monkeypatch, settings)  # today is 2026-02-01
    client.force_login(factories.staff_user(role="reviewer"))
    rows = list(
        csv.reader(io.StringIO(client.get("/reviews/report/data.csv?year=2025").content.decode()))
    )
    snapshot = {row[2]: row for row in rows if row[2].endswith("_now")}
    assert snapshot["proposals_overdue_now"][:2] == ["2026-02-01", ""]
    assert snapshot["check_ins_outstanding_now"][:2] == ["2026-02-01", ""]
    # The year's own figures keep the year chosen.
    assert ["2025", "Q1", "proposals_declined", "", "2", "2"] in rows


def test_each_file_is_downloaded_under_its_own_name(client, monkeypatch, settings):
    settings.REPORT_YEAR_START = "07-01"
    script(monkeypatch, settings)
    names = {
        "/report/data.csv?basis=calendar&year=2025": "meetup-program-2025-calendar.csv",
        "/report/data.json?basis=calendar&year=2025": "meetup-program-2025-calendar.json",
        "/report/data.csv?basis=program&year=2024": "meetup-program-2024-25-program.csv",
        "/report/data.csv?basis=calendar": "meetup-program-every-year-calendar.csv",
        "/report/data.json?basis=program": "meetup-program-every-year-program.json",
    }
    for address, name in names.items():
        response = client.get(address)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    client.force_login(factories.staff_user(role="reviewer"))
    staff = client.get("/reviews/report/data.csv?basis=calendar&year=2025")
    assert staff["Content-Disposition"] == (
        'attachment; filename="meetup-program-2025-calendar-staff.csv"'
    )


def test_the_dictionary_defines_every_column_and_says_holidays_are_skipped(client):
    html = client.get("/report/dictionary/").content.decode()
    for column in ("year", "quarter", "measure", "value", "schema_version", "subject"):
        assert re.search(rf"<dt><code>{column}</code>", html), column
    for key in ("basis", "year_quarter", "suppressed", "withheld", "rows"):
        assert re.search(rf"<dt><code>{key}</code>", html), key
    assert "public holidays" in html
    promised = html[html.index("<code>answered_by_promised_date_percent</code>") :]
    assert "public holidays" in promised[: promised.index("</dd>")]


def test_the_staff_view_and_file_give_the_decisions_made_by_each_person(client, monkeypatch):
    from intake import services as intake

    clock = install(monkeypatch, local(2026, 1, 5, 9))
    mona = factories.staff_user(role="manager", first_name="Mona", last_name="Manager")
    max_ = factories.staff_user(role="manager", first_name="Max", last_name="Manager")
    for person, name in ((mona, "approve"), (mona, "decline"), (max_, "decline")):
        proposal, _token = factories.proposal_in_state("reviewed")
        clock.advance(days=1)
        intake.run_transition(
            proposal=proposal, name=name, actor=staff_actor(person), note="Thank you."
        )
    clock.set(local(2026, 2, 1))
    client.force_login(factories.staff_user(role="reviewer"))
    html = client.get("/reviews/report/?basis=calendar&year=2026").content.decode()
    assert "Decisions made in 2026, by person" in html
    assert _row_cells(html, "Mona Manager") == [["2", "1", "1"]]
    assert _row_cells(html, "Max Manager") == [["1", "0", "1"]]
    rows = list(
        csv.reader(io.StringIO(client.get("/reviews/report/data.csv?year=2026").content.decode()))
    )
    assert ["2026", "year", "decisions_approved", "Mona Manager", "1", "2"] in rows
    assert ["2026", "year", "decisions_declined", "Max Manager", "1", "2"] in rows
    # The year's decisions, nothing hidden for staff: one approval, two declines.
    assert ["2026", "Q1", "decisions_made", "", "3", "2"] in rows
    assert ["2026", "Q1", "decisions_declined", "", "2", "2"] in rows
    # And in public, the decisions made: the declines are fewer than 5, so the total is
    # withheld with them (the total less the approvals would give them back).
    page = client.get("/report/?basis=calendar&year=2026").content.decode()
    assert "Decisions made in 2026" in page
    assert _row_cells(page, "Declined in the period") == [["fewer than 5", "fewer than 5"]]
    assert _row_cells(page, "Decisions made") == [["withheld", "withheld"]]


def test_the_staff_page_defines_every_measure_of_its_file(client, monkeypatch, settings):
    script(monkeypatch, settings)
    client.force_login(factories.staff_user(role="reviewer"))
    html = client.get("/reviews/report/?year=2025").content.decode()
    rows = csv.DictReader(
        io.StringIO(client.get("/reviews/report/data.csv?year=2025").content.decode())
    )
    own = {row["measure"] for row in rows if row["subject"] or row["measure"].endswith("_now")}
    assert own and all(f"<dt><code>{measure}</code>" in html for measure in own)
    dictionary = client.get("/report/dictionary/").content.decode()
    assert "Version 2" in dictionary and "decisions_made" in dictionary
