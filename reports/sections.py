"""The report's sections: for each, its title, the sentence saying what it shows, its table
and the series its chart draws, all from the same public rows (small counts already hidden),
so the picture, the table and the files cannot disagree."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from . import sentences
from .figures import YEAR
from .measures import BY_KEY, row_label
from .periods import Period

QUARTER_MEASURES = {
    "proposals": [
        "proposals_received",
        "proposals_approved",
        "proposals_declined",
        "proposals_withdrawn",
        "proposals_open",
    ],
    "replies": [
        "first_reply_days_median",
        "first_reply_days_p90",
        "decision_days_median",
        "decision_days_p90",
        "promised_reply_business_days",
        "answered_by_promised_date_percent",
    ],
    "decisions": ["decisions_made", "decisions_approved", "decisions_declined"],
    "groups": ["groups_active", "groups_lapsed", "groups_archived"],
    "upkeep": ["check_ins_opened", "check_ins_answered", "links_found_broken", "links_mended"],
}
# What each chart draws (the table has every measure of its section).
CHARTED = {
    "proposals": QUARTER_MEASURES["proposals"][1:],
    "replies": QUARTER_MEASURES["replies"][:4],
    "decisions": QUARTER_MEASURES["decisions"][1:],
    "groups": QUARTER_MEASURES["groups"],
    "upkeep": QUARTER_MEASURES["upkeep"],
    "years": ["proposals_received", "proposals_approved"],
}
NAMES = ["proposals", "decisions", "replies", "groups", "upkeep", "years"]


@dataclass
class Section:
    name: str
    title: str
    summary: str
    columns: list[str]  # the table's column headings (after the measure's)
    table: list[tuple[str, list]]  # (measure label, values)
    series: list[tuple[str, list]]  # what the chart draws
    reference: tuple[str, float] | None = None  # a line across the chart: (words, value)
    empty: str = ""  # instead of the chart when it would draw nothing: "Nothing to show for …"


def _values(rows: list[dict]) -> dict:
    return {(r["quarter"], r["measure"]): r["value"] for r in rows}


def _empty(series: list[tuple[str, list]]) -> bool:
    """Whether a chart would draw no bar (every figure 0 or none; a hidden one is drawn)."""
    return all(v in (0, None) for _name, values in series for v in values)


def build(
    name: str,
    *,
    period: Period,
    rows: list[dict],
    years: list[tuple[Period, list]],
    now=None,
    promised_days: int | None = None,
) -> Section:
    """Section `name` of `period`'s report. `rows` are its public rows; `years` the public
    rows of the years shown over time, oldest first."""
    if name == "years":
        return _years(years)
    values = _values(rows)
    quarters = sorted({q for q, _m in values if q != YEAR})
    columns = [*quarters, _("Year")]
    keys = [*quarters, YEAR]
    table = [(row_label(m), [values.get((q, m)) for q in keys]) for m in QUARTER_MEASURES[name]]
    series = [(str(BY_KEY[m].label), [values.get((q, m)) for q in quarters]) for m in CHARTED[name]]
    year = {m: values.get((YEAR, m)) for m in BY_KEY}
    title = getattr(sentences, f"{name}_title")(period.label)
    if name == "groups":
        moment = now or timezone.now()
        today = None if period.is_closed(moment) else timezone.localdate(moment)
        summary = sentences.groups_summary(period.label, year, today)
    else:
        summary = getattr(sentences, f"{name}_summary")(period.label, year)
    # 0 days to reply is a figure (drawn with the promised line); 0 proposals is nothing.
    nothing = all(v is None for _n, values in series for v in values)
    empty = (
        sentences.nothing_to_show(period.label)
        if (nothing if name == "replies" else _empty(series))
        else ""
    )
    promised = year.get("promised_reply_business_days")
    reference = None
    if name == "replies" and isinstance(promised, (int, float)):
        # The chart's axis is calendar days: the line is at the promise's calendar length.
        days = promised_days if promised_days is not None else promised
        reference = (sentences.promised_reply_line(promised, promised_days), days)
    return Section(name, title, summary, columns, table, series, reference, empty)


def _years(years: list[tuple[Period, list]]) -> Section:
    labels = [period.label for period, _rows in years]
    by_year = [_values(rows) for _period, rows in years]
    measures = [*CHARTED["years"], "first_reply_days_median"]
    table = [(row_label(m), [values.get((YEAR, m)) for values in by_year]) for m in measures]
    series = [(label, values) for label, values in table[:2]]
    first, last = labels[0], labels[-1]
    received = [v.get((YEAR, "proposals_received")) for v in by_year]
    title = sentences.years_title(first, last)
    summary = sentences.years_summary(first, last, received)
    return Section("years", title, summary, labels, table, series)
