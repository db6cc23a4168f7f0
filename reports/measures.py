"""The measures of the public report and its open data: each one's name in the files, its
label, its unit and its definition (the data dictionary page reads them), and whether a
small count of it could point at a person (then a count under SUPPRESS_BELOW is shown as
"fewer than 5")."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Bump when a measure is added, removed or computed differently: every file says which
# schema it follows, and a closed year's stored figures keep the version they were made with.
SCHEMA_VERSION = 2
# What each version changed (the data dictionary lists it).
SCHEMA_CHANGES = {
    2: _(
        "Adds decisions_made, decisions_approved and decisions_declined (decisions made in "
        "the period, whenever the proposal was received); check_ins_answered now counts a "
        "“no longer meeting” answer too."
    ),
    1: _("The first version."),
}

SUPPRESS_BELOW = 5
SUPPRESSED = "fewer than 5"  # the value written in files, in English, as the column is data
# A figure hidden only so that no subtraction gives a small one back (it may be 0, or 5 and
# more): saying "fewer than 5" of it would be false.
WITHHELD = "withheld"


@dataclass(frozen=True)
class Measure:
    key: str
    label: Promise
    unit: Promise
    definition: Promise
    sensitive: bool = False


COUNT, DAYS, PERCENT = _("proposals"), _("days"), _("percent")
GROUPS, EVENTS = _("groups"), _("times")

MEASURES = [
    Measure(
        "proposals_received",
        _("Proposals received"),
        COUNT,
        _(
            "Proposals submitted for the first time in the period (a resubmission after "
            "changes is not counted again)."
        ),
    ),
    Measure(
        "proposals_approved",
        _("Approved"),
        COUNT,
        _("Of the proposals received in the period, those approved by the end of the year."),
    ),
    Measure(
        "proposals_declined",
        _("Declined"),
        COUNT,
        _(
            "Of the proposals received in the period, those declined by the end of the year. "
            "Fewer than 5 is shown as such."
        ),
        sensitive=True,
    ),
    Measure(
        "proposals_withdrawn",
        _("Withdrawn"),
        COUNT,
        _(
            "Of the proposals received in the period, those withdrawn by their organizers (or "
            "automatically, after no answer) by the end of the year. Fewer than 5 is shown as such."
        ),
        sensitive=True,
    ),
    Measure(
        "proposals_open",
        _("Still under consideration"),
        COUNT,
        _(
            "Of the proposals received in the period, those not yet decided at the end of the "
            "year (or today, for the current year)."
        ),
    ),
    Measure(
        "first_reply_days_median",
        _("Days to first reply, median"),
        DAYS,
        _(
            "Calendar days, in the program's time zone, from a proposal's first submission to "
            "staff's first answer (review complete, changes requested or a decision); half "
            "the proposals answered were answered within this many days."
        ),
    ),
    Measure(
        "first_reply_days_p90",
        _("Days to first reply, 90th percentile"),
        DAYS,
        _(
            "Nine in ten proposals answered were answered within this many days (nearest-rank "
            "90th percentile)."
        ),
    ),
    Measure(
        "decision_days_median",
        _("Days to decision, median"),
        DAYS,
        _("Calendar days from first submission to approval or decline, median."),
    ),
    Measure(
        "decision_days_p90",
        _("Days to decision, 90th percentile"),
        DAYS,
        _("Calendar days from first submission to approval or decline, 90th percentile."),
    ),
    Measure(
        "promised_reply_business_days",
        _("Promised reply"),
        _("business days"),
        _(
            "The reply promised on submission: this many business days (weekends, the "
            "public holidays of the program's place and the council's closure dates "
            "skipped)."
        ),
    ),
    Measure(
        "answered_by_promised_date_percent",
        _("Answered by the promised date"),
        PERCENT,
        _(
            "Of the proposals whose promised reply date has passed or that were answered, the "
            "share answered on or before that date, rounded to a whole percent. The date is "
            "counted in business days from the submission: weekends, public holidays and the "
            "council's closure dates are skipped."
        ),
    ),
    Measure(
        "decisions_made",
        _("Decisions made"),
        COUNT,
        _(
            "Proposals approved or declined in the period, whenever they were received (a "
            "proposal received in December and decided in January counts in January)."
        ),
    ),
    Measure(
        "decisions_approved",
        _("Approved in the period"),
        COUNT,
        _("Of the decisions made in the period, the approvals."),
    ),
    Measure(
        "decisions_declined",
        _("Declined in the period"),
        COUNT,
        _("Of the decisions made in the period, the declines. Fewer than 5 is shown as such."),
        sensitive=True,
    ),
    Measure(
        "groups_active",
        _("Groups active"),
        GROUPS,
        _(
            "Listed groups that were active (or whose yearly check-in was open) at the period's "
            "end. Groups imported from the program's earlier listing count from the day they "
            "were imported (the report says so under the chart of a year it touches)."
        ),
    ),
    Measure(
        "groups_lapsed",
        _("Groups not confirmed recently"),
        GROUPS,
        _(
            "Listed groups that had not answered their yearly check-in in time, at the period's end."
        ),
    ),
    Measure(
        "groups_archived",
        _("Groups archived"),
        GROUPS,
        _("Groups taken off the directory (archived or closed), at the period's end."),
    ),
    Measure(
        "check_ins_opened",
        _("Check-ins asked"),
        EVENTS,
        _("Yearly check-ins opened in the period (the organizers are emailed)."),
    ),
    Measure(
        "check_ins_answered",
        _("Check-ins answered"),
        EVENTS,
        _(
            "Check-ins answered by a group's organizers in the period, whether the group "
            "is still meeting or no longer meeting (then it is closed)."
        ),
    ),
    Measure(
        "links_found_broken",
        _("Web addresses found broken"),
        EVENTS,
        _("Groups' web addresses that the weekly check found broken in the period."),
    ),
    Measure(
        "links_mended",
        _("Web addresses working again"),
        EVENTS,
        _("Broken web addresses that worked again in the period (mended or replaced)."),
    ),
]

BY_KEY = {m.key: m for m in MEASURES}
# What a table's row says of its unit, when its figures are not counts.
ROW_UNITS = {
    "first_reply_days_median": _("calendar days"),
    "first_reply_days_p90": _("calendar days"),
    "decision_days_median": _("calendar days"),
    "decision_days_p90": _("calendar days"),
    "promised_reply_business_days": _("business days"),
    "answered_by_promised_date_percent": "%",
}


def row_label(key: str) -> str:
    """A measure's label in a table, with its unit when it is not a count: "Promised reply
    (business days)", "Answered by the promised date (%)"."""
    label = str(BY_KEY[key].label)
    if key in ROW_UNITS:
        return f"{label} ({ROW_UNITS[key]})"
    return label


# The staff's file (/reviews/report/data.csv) has the measures above, no count hidden, and
# these, each about the subject its row names.
STAFF_MEASURES = [
    Measure(
        "reviews_given",
        _("Reviews given"),
        _("reviews"),
        _("Reviews the reviewer named in subject gave in the year."),
    ),
    Measure(
        "review_turnaround_days_median",
        _("Review turnaround, median"),
        DAYS,
        _(
            "Calendar days from the submission a review answered (the latest before it) to "
            "the review, median of the reviewer's reviews."
        ),
    ),
    Measure(
        "review_turnaround_days_p90",
        _("Review turnaround, 90th percentile"),
        DAYS,
        _("The same days, nearest-rank 90th percentile."),
    ),
    Measure(
        "decisions_approved",
        _("Approvals by person"),
        COUNT,
        _("With a person in subject: the proposals that person approved in the year."),
    ),
    Measure(
        "decisions_declined",
        _("Declines by person"),
        COUNT,
        _("With a person in subject: the proposals that person declined in the year."),
    ),
    Measure(
        "stays_in_state",
        _("Stays in a state"),
        COUNT,
        _(
            "With a state in subject (submitted, reviewed, changes_requested): the stays in "
            "it that ended in the year."
        ),
    ),
    Measure(
        "days_in_state_median",
        _("Days in a state, median"),
        DAYS,
        _("Calendar days those stays lasted, median."),
    ),
    Measure(
        "days_in_state_p90",
        _("Days in a state, 90th percentile"),
        DAYS,
        _("Calendar days those stays lasted, nearest-rank 90th percentile."),
    ),
    Measure(
        "proposals_overdue_now",
        _("Proposals waiting for a first reply past the promised date now"),
        COUNT,
        _(
            "Today's figure, whatever the year chosen (its year column is today's date): "
            "proposals still waiting for a first reply past their promised reply date (the "
            "ones answered_by_promised_date_percent counts as not answered in time)."
        ),
    ),
    Measure(
        "proposals_awaiting_decision_past_due_now",
        _("Proposals waiting for a decision past the promised date now"),
        COUNT,
        _(
            "Today's figure (its year column is today's date): proposals that had a first "
            "reply but are still under review, without a decision, past their promised reply "
            "date."
        ),
    ),
    Measure(
        "check_ins_outstanding_now",
        _("Check-ins outstanding now"),
        GROUPS,
        _(
            "Today's figure (its year column is today's date): groups whose yearly check-in "
            "is open or overdue."
        ),
    ),
]
