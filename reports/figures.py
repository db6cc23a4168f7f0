"""The public report's figures for one year, computed from the append-only histories only:
proposals' transitions (intake.ProposalTransition) and groups' events (meetups.MeetupEvent).
Nothing here reads a proposal's or a person's own fields, so deleting drafts or erasing an
ended proposal's personal data changes no figure.

A figure is counted as of the year's end (or now, for the current year): a proposal received
in December and approved in January counts as still under consideration in its year."""

import math
import statistics
from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from intake.business_days import reply_due_for
from intake.models import ProposalTransition, State
from meetups.models import EventKind, Lifecycle, Meetup, MeetupEvent

from .periods import Period

YEAR = "year"  # the quarter column of a whole year's row

# Transitions out of "submitted" that answer the organizers (a withdrawal does not).
REPLIES = {"complete_review", "request_changes", "approve", "decline"}
DECISIONS = {"approve", "decline"}
# Decisions made in the period, whenever the proposal was received.
DECISION_MEASURES = {"approve": "decisions_approved", "decline": "decisions_declined"}
OUTCOMES = {
    State.APPROVED: "proposals_approved",
    State.DECLINED: "proposals_declined",
    State.WITHDRAWN: "proposals_withdrawn",
}
EVENT_COUNTS = {
    EventKind.OPEN_CHECK_IN: "check_ins_opened",
    # "No longer meeting" answers the check-in too (the group is closed).
    **dict.fromkeys(EventKind.CHECK_IN_ANSWERS, "check_ins_answered"),
    EventKind.LINK_BROKEN: "links_found_broken",
    EventKind.LINK_MENDED: "links_mended",
}
OFF_DIRECTORY = {Lifecycle.ARCHIVED}


def median(values: list[int]) -> int | float | None:
    """Whole days as a whole number (0, not 0.0), else one decimal (a half day): one format
    for the page, the staff page and every file."""
    return _number(round(statistics.median(values), 1)) if values else None


def percentile_90(values: list[int]) -> int | None:
    """Nearest rank: the smallest value at or above 90% of them."""
    if not values:
        return None
    return sorted(values)[math.ceil(0.9 * len(values)) - 1]


def _days(start, end, tz=None) -> int:
    """Calendar days between two moments, as dates in the program's time zone (so a
    daylight-saving change never makes a day of 23 or 25 hours count differently)."""
    tz = tz or timezone.get_current_timezone()
    return (end.astimezone(tz).date() - start.astimezone(tz).date()).days


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _Rows:
    def __init__(self):
        self.rows = []

    def add(self, quarter: str, measure: str, value) -> None:
        self.rows.append({"quarter": quarter, "measure": measure, "value": _number(value)})


def unique(rows: list[dict]) -> list[dict]:
    """`rows` with one row per (quarter, measure), the first: a year stored before
    check_ins_answered was written once had it twice, with the same value."""
    seen = set()
    kept = []
    for row in rows:
        key = (row["quarter"], row["measure"])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def compute(period: Period, *, now=None) -> list[dict]:
    """[{"quarter", "measure", "value"}] for every quarter begun by `now` and the year."""
    now = now or timezone.now()
    as_of = min(now, period.end)
    quarters = [(name, start, min(end, as_of)) for name, start, end in period.quarters()]
    quarters = [q for q in quarters if q[1] < as_of]
    rows = _Rows()
    _proposal_figures(period, quarters, as_of, rows)
    _decision_figures(period, quarters, as_of, rows)
    _group_figures(period, quarters, as_of, rows)
    return rows.rows


def _proposal_figures(period, quarters, as_of, rows) -> None:
    received = dict(
        ProposalTransition.objects.filter(
            transition="submit", created_at__gte=period.start, created_at__lt=as_of
        ).values_list("proposal_id", "created_at")
    )
    later = (
        ProposalTransition.objects.filter(
            proposal_id__in=ProposalTransition.objects.filter(
                transition="submit", created_at__gte=period.start, created_at__lt=as_of
            ).values("proposal_id"),
            created_at__lt=as_of,
        )
        .exclude(transition="submit")
        .order_by("created_at", "id")
        .values_list("proposal_id", "transition", "from_state", "to_state", "created_at")
    )
    state, first_reply, decided = {}, {}, {}
    for pk, name, from_state, to_state, at in later:
        state[pk] = to_state
        if name in REPLIES and from_state in State.UNDER_REVIEW and pk not in first_reply:
            first_reply[pk] = at
        if name in DECISIONS:
            decided[pk] = at
    tz = timezone.get_current_timezone()
    today = as_of.astimezone(tz).date()
    # Each proposal's facts once: its quarter, its days to reply and to decision, and whether
    # it counts towards the share answered by the promised date (and was).
    due_by_day = {}
    facts = {}
    for pk, submitted_at in received.items():
        sent_on = submitted_at.astimezone(tz).date()
        if sent_on not in due_by_day:
            due_by_day[sent_on] = reply_due_for(submitted_at)
        due = due_by_day[sent_on]
        reply = first_reply.get(pk)
        if reply is not None:
            promise = (True, reply.astimezone(tz).date() <= due)
        elif due < today and state.get(pk, State.SUBMITTED) in State.UNDER_REVIEW:
            promise = (True, False)  # still waiting past its date: not answered in time
        else:
            promise = (False, False)
        facts[pk] = (
            period.quarter_of(submitted_at),
            OUTCOMES.get(state.get(pk), "proposals_open"),
            None if reply is None else _days(submitted_at, reply, tz),
            None if pk not in decided else _days(submitted_at, decided[pk], tz),
            promise,
        )
    for quarter, _start, _end in [*quarters, (YEAR, None, None)]:
        mine = [f for f in facts.values() if quarter == YEAR or f[0] == quarter]
        rows.add(quarter, "proposals_received", len(mine))
        outcomes = defaultdict(int)
        for fact in mine:
            outcomes[fact[1]] += 1
        for measure in (*OUTCOMES.values(), "proposals_open"):
            rows.add(quarter, measure, outcomes[measure])
        reply_days = [f[2] for f in mine if f[2] is not None]
        decision_days = [f[3] for f in mine if f[3] is not None]
        rows.add(quarter, "first_reply_days_median", median(reply_days))
        rows.add(quarter, "first_reply_days_p90", percentile_90(reply_days))
        rows.add(quarter, "decision_days_median", median(decision_days))
        rows.add(quarter, "decision_days_p90", percentile_90(decision_days))
        rows.add(quarter, "promised_reply_business_days", settings.REVIEW_DAYS)
        counted = sum(1 for f in mine if f[4][0])
        on_time = sum(1 for f in mine if f[4][1])
        share = round(100 * on_time / counted) if counted else None
        rows.add(quarter, "answered_by_promised_date_percent", share)


def _decision_figures(period, quarters, as_of, rows) -> None:
    made = defaultdict(int)
    for name, at in ProposalTransition.objects.filter(
        transition__in=DECISIONS, created_at__gte=period.start, created_at__lt=as_of
    ).values_list("transition", "created_at"):
        for quarter in (period.quarter_of(at), YEAR):
            made[(quarter, DECISION_MEASURES[name])] += 1
            made[(quarter, "decisions_made")] += 1
    for quarter, _start, _end in [*quarters, (YEAR, None, None)]:
        for measure in ("decisions_made", *DECISION_MEASURES.values()):
            rows.add(quarter, measure, made[(quarter, measure)])


def _group_figures(period, quarters, as_of, rows) -> None:
    created = dict(Meetup.objects.filter(created_at__lt=as_of).values_list("pk", "created_at"))
    changes = (
        MeetupEvent.objects.filter(created_at__lt=as_of)
        .exclude(to_state="")
        .order_by("created_at", "id")
        .values_list("meetup_id", "to_state", "created_at")
    )
    # Each group's state at each quarter's end (and the year's), walking the history once.
    ends = [(q, end) for q, _start, end in quarters] + [(YEAR, as_of)]
    state, index, changes = {}, 0, list(changes)
    counts = {}
    for quarter, end in ends:
        while index < len(changes) and changes[index][2] < end:
            pk, to_state, _at = changes[index]
            state[pk] = to_state
            index += 1
        tally = defaultdict(int)
        for pk, created_at in created.items():
            if created_at < end:
                tally[state.get(pk, Lifecycle.ACTIVE)] += 1
        counts[quarter] = tally
    events = MeetupEvent.objects.filter(
        kind__in=EVENT_COUNTS, created_at__gte=period.start, created_at__lt=as_of
    ).values_list("kind", "created_at")
    per_quarter = defaultdict(int)
    for kind, at in events:
        per_quarter[(period.quarter_of(at), EVENT_COUNTS[kind])] += 1
        per_quarter[(YEAR, EVENT_COUNTS[kind])] += 1
    for quarter, _end in ends:
        tally = counts[quarter]
        rows.add(quarter, "groups_active", tally[Lifecycle.ACTIVE] + tally[Lifecycle.CHECK_IN_DUE])
        rows.add(quarter, "groups_lapsed", tally[Lifecycle.LAPSED])
        rows.add(quarter, "groups_archived", tally[Lifecycle.ARCHIVED])
        # Two kinds of event count as check_ins_answered: one row for it, not one per kind.
        for measure in dict.fromkeys(EVENT_COUNTS.values()):
            rows.add(quarter, measure, per_quarter[(quarter, measure)])
