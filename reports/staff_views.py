"""The staff report (/reviews/report/): reviewers and program managers only; and its CSV
for the council's yearly report."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import staff_required
from reviews.export import neutralise

from . import opendata, report, services, staff
from .figures import YEAR
from .forms import YearForm
from .measures import SCHEMA_VERSION, STAFF_MEASURES, row_label
from .sections import QUARTER_MEASURES

TABLES = [
    ("proposals", _("Proposals received, by outcome")),
    ("decisions", _("Decisions made in the period, by outcome")),
    ("replies", _("Days to reply and to decision")),
    ("groups", _("Listed groups at the end of each quarter")),
    ("upkeep", _("Check-ins and web addresses")),
]


def _period(request):
    form = YearForm(request.GET, years=report.years_by_basis())
    return form, form.period()


@staff_required
def staff_report(request):
    form, period = _period(request)
    now = timezone.now()
    rows = services.year_rows(period=period, now=now)
    values = {(r["quarter"], r["measure"]): r["value"] for r in rows}
    quarters = sorted({q for q, _m in values if q != YEAR})
    overdue = staff.overdue_now(now=now)
    waiting_count, waiting = staff.check_ins_outstanding()
    context = {
        "form": form,
        "period": period,
        "columns": quarters,
        "tables": [
            (
                caption,
                [
                    (row_label(m), [values.get((q, m)) for q in [*quarters, YEAR]])
                    for m in QUARTER_MEASURES[name]
                ],
            )
            for name, caption in TABLES
        ],
        "loads": staff.reviewer_loads(period, now=now),
        "deciders": staff.decisions_by_person(period, now=now),
        "states": staff.time_in_states(period, now=now),
        "overdue": overdue,
        "today": timezone.localdate(now),
        "waiting_count": waiting_count,
        "waiting": waiting,
        "query": f"basis={period.basis}&year={period.year}",
        "staff_measures": STAFF_MEASURES,
    }
    return render(request, "reports/staff_report.html", context)


@staff_required
def staff_csv(request):
    """The year's figures (no count hidden: staff only) and the reviewers' and states'
    figures, as tidy rows: year, quarter, measure, subject, value."""
    _form, period = _period(request)
    now = timezone.now()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["year", "quarter", "measure", "subject", "value", "schema_version"])

    def row(quarter, measure, subject, value, label=period.label):
        cells = [label, quarter, measure, subject, "" if value is None else value]
        writer.writerow([neutralise(c) for c in cells] + [SCHEMA_VERSION])

    for item in services.year_rows(period=period, now=now):
        row(item["quarter"], item["measure"], "", item["value"])
    for load in staff.reviewer_loads(period, now=now):
        row(YEAR, "reviews_given", load.name, load.reviews)
        row(YEAR, "review_turnaround_days_median", load.name, load.turnaround_median)
        row(YEAR, "review_turnaround_days_p90", load.name, load.turnaround_p90)
    for person in staff.decisions_by_person(period, now=now):
        row(YEAR, "decisions_approved", person.name, person.approved)
        row(YEAR, "decisions_declined", person.name, person.declined)
    for stay in staff.time_in_states(period, now=now):
        row(YEAR, "days_in_state_median", stay.state, stay.median)
        row(YEAR, "days_in_state_p90", stay.state, stay.p90)
        row(YEAR, "stays_in_state", stay.state, stay.stays)
    # Today's snapshot, whatever the year chosen: labelled with today's date.
    today = timezone.localdate(now).isoformat()
    overdue = staff.overdue_now(now=now)
    row("", "proposals_overdue_now", "", overdue.reply_count, label=today)
    row("", "proposals_awaiting_decision_past_due_now", "", overdue.decision_count, label=today)
    row("", "check_ins_outstanding_now", "", staff.check_ins_outstanding()[0], label=today)
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = opendata.file_name(basis=period.basis, label=period.label, extension="csv", staff=True)
    return opendata.attachment(response, name)
