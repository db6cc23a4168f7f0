"""The report's sections: for each, its title, the sentence saying what it shows, its table
and the series its chart draws, all from the same public rows (small counts already hidden),
so the picture, the table and the files cannot disagree."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .figures import YEAR
from .measures import BY_KEY, SUPPRESSED, WITHHELD
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
    "groups": ["groups_active", "groups_lapsed", "groups_archived"],
    "upkeep": ["check_ins_opened", "check_ins_answered", "links_found_broken", "links_mended"],
}
# What each chart draws (the table has every measure of its section).
CHARTED = {
    "proposals": QUARTER_MEASURES["proposals"][1:],
    "replies": QUARTER_MEASURES["replies"][:4],
    "groups": QUARTER_MEASURES["groups"],
    "upkeep": QUARTER_MEASURES["upkeep"],
    "years": ["proposals_received", "proposals_approved"],
}
NAMES = ["proposals", "replies", "groups", "upkeep", "years"]


def shown(value) -> str:
    """A figure as the page writes it."""
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return _("fewer than 5")
    if value == WITHHELD:
        return _("withheld")
    return number_format(value)


@dataclass
class Section:
    name: str
    title: str
    summary: str
    columns: list[str]  # the table's column headings (after the measure's)
    table: list[tuple[str, list]]  # (measure label, values)
    series: list[tuple[str, list]]  # what the chart draws


def _values(rows: list[dict]) -> dict:
    return {(r["quarter"], r["measure"]): r["value"] for r in rows}


def build(
    name: str, *, period: Period, rows: list[dict], years: list[tuple[Period, list]]
) -> Section:
    """Section `name` of `period`'s report. `rows` are its public rows; `years` the public
    rows of the years shown over time, oldest first."""
    if name == "years":
        return _years(years)
    values = _values(rows)
    quarters = sorted({q for q, _m in values if q != YEAR})
    columns = [*quarters, _("Year")]
    keys = [*quarters, YEAR]
    table = [
        (str(BY_KEY[m].label), [values.get((q, m)) for q in keys]) for m in QUARTER_MEASURES[name]
    ]
    series = [(str(BY_KEY[m].label), [values.get((q, m)) for q in quarters]) for m in CHARTED[name]]
    year = {m: values.get((YEAR, m)) for m in BY_KEY}
    label = period.label
    if name == "proposals":
        title = _("Proposals received in %(year)s, by outcome") % {"year": label}
        received = year["proposals_received"] or 0
        summary = ngettext(
            "In %(year)s the program received %(received)s proposal: %(approved)s approved, "
            "%(declined)s declined, %(withdrawn)s withdrawn and %(open)s still under "
            "consideration.",
            "In %(year)s the program received %(received)s proposals: %(approved)s approved, "
            "%(declined)s declined, %(withdrawn)s withdrawn and %(open)s still under "
            "consideration.",
            received,
        ) % {
            "year": label,
            "received": shown(received),
            "approved": shown(year["proposals_approved"]),
            "declined": shown(year["proposals_declined"]),
            "withdrawn": shown(year["proposals_withdrawn"]),
            "open": shown(year["proposals_open"]),
        }
    elif name == "replies":
        title = _("Days from submission to first reply and to decision, %(year)s") % {"year": label}
        summary = _(
            "Half the proposals received in %(year)s had a first reply within %(median)s days "
            "(nine in ten within %(p90)s); the reply is promised within %(promised)s business "
            "days, and %(share)s%% were answered by that date."
        ) % {
            "year": label,
            "median": shown(year["first_reply_days_median"]),
            "p90": shown(year["first_reply_days_p90"]),
            "promised": shown(year["promised_reply_business_days"]),
            "share": shown(year["answered_by_promised_date_percent"]),
        }
    elif name == "groups":
        title = _("Listed groups at the end of each quarter, %(year)s") % {"year": label}
        summary = _(
            "At the end of %(year)s (or today, for the current year) %(active)s groups were "
            "active, %(lapsed)s not confirmed recently and %(archived)s archived."
        ) % {
            "year": label,
            "active": shown(year["groups_active"]),
            "lapsed": shown(year["groups_lapsed"]),
            "archived": shown(year["groups_archived"]),
        }
    else:
        title = _("Check-ins and web addresses, %(year)s") % {"year": label}
        summary = _(
            "In %(year)s groups were asked to check in %(opened)s times and answered "
            "%(answered)s times; the weekly check found %(broken)s web addresses broken and "
            "%(mended)s working again."
        ) % {
            "year": label,
            "opened": shown(year["check_ins_opened"]),
            "answered": shown(year["check_ins_answered"]),
            "broken": shown(year["links_found_broken"]),
            "mended": shown(year["links_mended"]),
        }
    return Section(name, title, summary, columns, table, series)


def _years(years: list[tuple[Period, list]]) -> Section:
    labels = [period.label for period, _rows in years]
    by_year = [_values(rows) for _period, rows in years]
    measures = [*CHARTED["years"], "first_reply_days_median"]
    table = [
        (str(BY_KEY[m].label), [values.get((YEAR, m)) for values in by_year]) for m in measures
    ]
    series = [(label, values) for label, values in table[:2]]
    first, last = labels[0], labels[-1]
    if first == last:
        title = _("Proposals received and approved in %(year)s") % {"year": last}
    else:
        title = _("Proposals received and approved each year, %(first)s to %(last)s") % {
            "first": first,
            "last": last,
        }
    received = [v.get((YEAR, "proposals_received")) or 0 for v in by_year]
    summary = _(
        "From %(first)s to %(last)s the program received %(total)s proposals in all, "
        "%(latest)s of them in %(last)s."
    ) % {
        "first": first,
        "last": last,
        "total": number_format(sum(received)),
        "latest": number_format(received[-1]),
    }
    return Section("years", title, summary, labels, table, series)
