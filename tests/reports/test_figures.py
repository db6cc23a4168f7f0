"""Every figure of the report equals the one computed by hand from a scripted history."""

import pytest

from meetups import check_ins
from reports import report, services
from reports.measures import SUPPRESSED, WITHHELD
from reports.periods import CALENDAR, PROGRAM, Period

from .history import EXPECTED_2025, HIDDEN_2025, QUARTERS, script

pytestmark = pytest.mark.django_db


def _table(rows):
    return {(r["quarter"], r["measure"]): r["value"] for r in rows}


def test_every_figure_of_a_scripted_year_equals_the_hand_computed_one(monkeypatch, settings):
    clock, _made = script(monkeypatch, settings)
    figures = _table(services.year_rows(period=Period(CALENDAR, 2025), now=clock()))
    expected = {
        (quarter, measure): value
        for measure, values in EXPECTED_2025.items()
        for quarter, value in zip(QUARTERS, values, strict=True)
    }
    assert figures == expected


def test_the_public_rows_hide_small_counts_and_their_complements(monkeypatch, settings):
    clock, _made = script(monkeypatch, settings)
    rows = report.public_rows(Period(CALENDAR, 2025), clock())
    hidden = {(r["quarter"], r["measure"]) for r in rows if r["value"] in (SUPPRESSED, WITHHELD)}
    assert hidden == set(HIDDEN_2025)
    # "fewer than 5" only for the small counts themselves: what is hidden with them is withheld.
    values = {(r["quarter"], r["measure"]): r["value"] for r in rows}
    assert {cell: values[cell] for cell in hidden} == HIDDEN_2025
    assert values[("Q1", "proposals_withdrawn")] == values[("Q2", "proposals_received")] == WITHHELD
    assert values[("year", "proposals_declined")] == SUPPRESSED
    shown = _table(rows)
    assert shown[("Q1", "proposals_received")] == 3 and shown[("Q3", "proposals_open")] == 1


def test_the_program_year_cuts_the_same_history_from_its_own_first_day(monkeypatch, settings):
    settings.REPORT_YEAR_START = "07-01"
    clock, _made = script(monkeypatch, settings)
    before = _table(services.year_rows(period=Period(PROGRAM, 2024), now=clock()))
    during = _table(services.year_rows(period=Period(PROGRAM, 2025), now=clock()))
    # 2024-25: Q3 is January to March 2025 (P1, P2, P3), Q4 April to June (P4).
    assert [before[(q, "proposals_received")] for q in QUARTERS] == [0, 0, 3, 1, 4]
    # 2025-26, under way on 2026-02-01: Q1 July-September (P6), Q2 October-December (P5),
    # Q3 begun; P5 was approved in January, within this year.
    assert [during[(q, "proposals_received")] for q in ("Q1", "Q2", "Q3", "year")] == [1, 1, 0, 2]
    assert during[("year", "proposals_approved")] == 1
    assert ("Q4", "proposals_received") not in during  # not begun
    assert Period(PROGRAM, 2025).label == "2025-26"


def test_a_proposal_answered_after_the_year_closed_counts_as_open_in_its_year(
    monkeypatch, settings
):
    clock, made = script(monkeypatch, settings)
    made["p5"].refresh_from_db()
    assert made["p5"].state == "approved"  # in January 2026
    figures = _table(services.year_rows(period=Period(CALENDAR, 2025), now=clock()))
    assert figures[("Q4", "proposals_open")] == 1
    current = _table(services.year_rows(period=Period(CALENDAR, 2026), now=clock()))
    assert current[("year", "proposals_received")] == 0  # P5 was received in 2025


def test_a_no_longer_meeting_answer_counts_as_an_answered_check_in(monkeypatch, settings):
    from meetups.models import GroupContact
    from tests import factories

    from .clock import install, local

    settings.TIME_ZONE = "America/New_York"
    clock = install(monkeypatch, local(2025, 1, 10))
    still = factories.meetup(name="Still Meeting", created_at=local(2025, 1, 10))
    stopped = factories.meetup(name="Stopped Meeting", created_at=local(2025, 1, 10))
    clock.set(local(2025, 5, 6))
    answers = {"meetings_held": 3, "last_meeting_on": None, "organizers_right": True}
    for group, still_meeting in ((still, True), (stopped, False)):
        check_ins.check_in(
            meetup=group,
            contact=GroupContact.objects.create(meetup=group, name="Kim", email="kim@example.org"),
            answers=check_ins.CheckInAnswers(still_meeting=still_meeting, **answers),
        )
    stopped.refresh_from_db()
    assert stopped.lifecycle == "archived"
    clock.set(local(2025, 7, 1))
    figures = _table(services.year_rows(period=Period(CALENDAR, 2025), now=clock()))
    assert figures[("Q2", "check_ins_answered")] == 2
    assert figures[("year", "check_ins_answered")] == 2


def test_decisions_count_in_the_year_they_are_made(monkeypatch, settings):
    clock, _made = script(monkeypatch, settings)
    current = _table(services.year_rows(period=Period(CALENDAR, 2026), now=clock()))
    # P5, received in December 2025, approved in January 2026.
    assert current[("Q1", "proposals_received")] == 0
    assert current[("Q1", "decisions_made")] == current[("Q1", "decisions_approved")] == 1
    assert current[("year", "decisions_declined")] == 0
