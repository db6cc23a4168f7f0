"""The report's sentences say a single thing once: "1 time", not "1 times", and a single
year once, not "from 2026 to 2026"."""

from reports import sections
from reports.figures import YEAR
from reports.measures import BY_KEY, SUPPRESSED
from reports.periods import CALENDAR, Period


def _rows(values: dict, quarters=("Q1",)) -> list[dict]:
    rows = []
    for quarter in (*quarters, YEAR):
        for measure in BY_KEY:
            rows.append({"quarter": quarter, "measure": measure, "value": values.get(measure, 0)})
    return rows


def _summary(name, values, years=None):
    period = Period(CALENDAR, 2026)
    rows = _rows(values)
    years = years or [(period, rows)]
    return sections.build(name, period=period, rows=rows, years=years).summary


def test_a_single_count_is_said_in_the_singular():
    upkeep = _summary(
        "upkeep",
        {
            "check_ins_opened": 1,
            "check_ins_answered": 1,
            "links_found_broken": 1,
            "links_mended": 1,
        },
    )
    assert "times" not in upkeep and "addresses" not in upkeep
    assert "asked to check in 1 time and answered 1 time" in upkeep
    assert "found 1 web address broken and 1 working again" in upkeep
    groups = _summary("groups", {"groups_active": 1, "groups_lapsed": 1, "groups_archived": 1})
    assert "1 group was active" in groups
    replies = _summary(
        "replies",
        {
            "proposals_received": 1,
            "first_reply_days_median": 1,
            "first_reply_days_p90": 1,
            "promised_reply_business_days": 1,
            "answered_by_promised_date_percent": 100,
        },
    )
    assert "within 1 day " in replies and "within 1 business day," in replies
    assert "days" not in replies


def test_many_and_hidden_counts_are_said_in_the_plural():
    upkeep = _summary("upkeep", {"check_ins_opened": 2, "check_ins_answered": SUPPRESSED})
    assert "asked to check in 2 times and answered fewer than 5 times" in upkeep
    replies = _summary("replies", {"proposals_received": 2, "first_reply_days_median": 2.5})
    assert "within 2.5 days" in replies


def test_a_single_year_is_named_once():
    single = sections.build(
        "years",
        period=Period(CALENDAR, 2026),
        rows=[],
        years=[(Period(CALENDAR, 2026), _rows({"proposals_received": 1}))],
    )
    assert "2026 to 2026" not in single.summary + single.title
    assert single.summary == "In 2026 the program received 1 proposal."
    two = sections.build(
        "years",
        period=Period(CALENDAR, 2026),
        rows=[],
        years=[
            (Period(CALENDAR, 2025), _rows({"proposals_received": 3})),
            (Period(CALENDAR, 2026), _rows({"proposals_received": 1})),
        ],
    )
    assert (
        two.summary
        == "From 2025 to 2026 the program received 4 proposals in all, 1 of them in 2026."
    )
