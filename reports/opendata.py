"""The report's figures as public rows (small counts hidden) and as open data files: tidy
rows of year, quarter, measure and value, with the schema's version in each file. A closed
year's rows come from its stored copy, so its file is the same bytes for good."""

import csv
import io
import json

from django.utils.translation import gettext_lazy as _

from .figures import YEAR
from .measures import SCHEMA_VERSION, SUPPRESSED, WITHHELD
from .periods import Period
from .suppression import hidden_labels

COLUMNS = ["year", "quarter", "measure", "value", "schema_version"]

# What each column of the files holds (the data dictionary lists them): the public files have
# the first five; the staff's file has "subject" too.
COLUMN_DEFINITIONS = [
    (
        "year",
        _(
            "The year the row counts: 2026 for a calendar year, 2025-26 for a program year. "
            "In the staff's file, a figure of today (a name ending in _now) has instead the "
            "day the file was made, e.g. %(today)s."
        ),
    ),
    (
        "quarter",
        _(
            "Q1 to Q4, three months each from the year's first day, or year for the whole "
            "year. Only the quarters begun are written. Empty for a figure of today."
        ),
    ),
    ("measure", _("The measure's name, one of those defined below.")),
    (
        "value",
        _(
            "The figure: a whole number, or a number of days with at most one decimal (a "
            "median). Empty when there is nothing to count (no proposal answered, say); "
            "“fewer than 5” or “withheld” when it is hidden."
        ),
    ),
    (
        "schema_version",
        _("The version of these definitions the row follows (the same in every row)."),
    ),
    (
        "subject",
        _(
            "The staff's file only: whom or what the row is about, a reviewer's name or a "
            "proposal state; empty for the program's figures."
        ),
    ),
]


def column_definitions(today) -> list[tuple[str, str]]:
    """COLUMN_DEFINITIONS with `today` (a date) as the example of a figure of today's day."""
    return [
        (name, str(text).replace("%(today)s", today.isoformat()))
        for name, text in COLUMN_DEFINITIONS
    ]


JSON_KEY_DEFINITIONS = [
    ("schema_version", _("The version of these definitions the file follows.")),
    ("basis", _("calendar or program: the kind of year the file counts.")),
    ("year_quarter", _("What the quarter of a whole year's row says (year).")),
    ("suppressed", _("What a hidden count from 1 to 4 says (fewer than 5).")),
    ("withheld", _("What a figure hidden so that no subtraction gives a small one back says.")),
    ("rows", _("The rows, each with the keys year, quarter, measure and value of the CSV.")),
]


def file_name(*, basis: str, label: str | None, extension: str, staff: bool = False) -> str:
    """The name a file is downloaded under: meetup-program-2026-calendar.csv, -2025-26-program
    for a program year, -every-year- for all the years, and -staff for the staff's file."""
    parts = ["meetup-program", label or "every-year", basis] + (["staff"] if staff else [])
    return "-".join(parts) + "." + extension


def attachment(response, name: str):
    """`response`, saved under `name` when downloaded."""
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public_rows(period: Period, rows: list[dict]) -> list[dict]:
    """One year's rows as the public sees them: a hidden small count says "fewer than 5",
    any other hidden figure "withheld" (reports.suppression)."""
    hidden = hidden_labels(rows)
    return [
        {
            "year": period.label,
            "quarter": row["quarter"],
            "measure": row["measure"],
            "value": hidden.get((row["quarter"], row["measure"]), row["value"]),
        }
        for row in rows
    ]


def _cell(value) -> str:
    return "" if value is None else str(value)


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [row["year"], row["quarter"], row["measure"], _cell(row["value"]), SCHEMA_VERSION]
        )
    return out.getvalue().encode("utf-8")


def json_bytes(rows: list[dict], *, basis: str) -> bytes:
    document = {
        "schema_version": SCHEMA_VERSION,
        "basis": basis,
        "year_quarter": YEAR,  # the quarter column of a whole year's row
        "suppressed": SUPPRESSED,
        "withheld": WITHHELD,
        "rows": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
