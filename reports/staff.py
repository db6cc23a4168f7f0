"""The staff view's figures (/reviews/report/): the public figures without hiding small
counts, and what the public does not get: each reviewer's load and turnaround, the time
proposals spend in each state, proposals overdue now and check-ins outstanding."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from intake.models import Proposal, ProposalTransition, State
from meetups.models import Lifecycle, Meetup
from reviews.models import Review

from .figures import REPLIES, _days, median, percentile_90
from .periods import Period

SUBMISSIONS = ("submit", "resubmit")
LISTED_AT_MOST = 200  # rows of the "overdue now" and "check-ins outstanding" lists


@dataclass
class ReviewerLoad:
    name: str
    reviews: int
    turnaround_median: float | None
    turnaround_p90: int | None


def reviewer_loads(period: Period, *, now=None) -> list[ReviewerLoad]:
    """Reviews given in the period by each reviewer, and the days from the submission they
    answered (the latest before the review) to the review."""
    as_of = min(now or timezone.now(), period.end)
    reviews = list(
        Review.objects.filter(created_at__gte=period.start, created_at__lt=as_of)
        .select_related("reviewer")
        .order_by("created_at")
    )
    submissions = defaultdict(list)
    for pk, at in (
        ProposalTransition.objects.filter(
            proposal_id__in={r.proposal_id for r in reviews}, transition__in=SUBMISSIONS
        )
        .order_by("created_at")
        .values_list("proposal_id", "created_at")
    ):
        submissions[pk].append(at)
    days, counts, names = defaultdict(list), defaultdict(int), {}
    for review in reviews:
        user = review.reviewer
        names[user.pk] = user.get_full_name() or user.email or user.get_username()
        counts[user.pk] += 1
        before = [at for at in submissions[review.proposal_id] if at <= review.created_at]
        if before:
            days[user.pk].append(_days(before[-1], review.created_at))
    loads = [
        ReviewerLoad(names[pk], counts[pk], median(days[pk]), percentile_90(days[pk]))
        for pk in counts
    ]
    return sorted(loads, key=lambda load: (-load.reviews, load.name))


@dataclass
class Decider:
    name: str
    approved: int
    declined: int

    @property
    def decisions(self) -> int:
        return self.approved + self.declined


def decisions_by_person(period: Period, *, now=None) -> list[Decider]:
    """The approvals and declines each person made in the period, the most first. A
    decision with no account behind it is named by the history's own label."""
    as_of = min(now or timezone.now(), period.end)
    decisions = (
        ProposalTransition.objects.filter(
            transition__in=("approve", "decline"),
            created_at__gte=period.start,
            created_at__lt=as_of,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    counts = defaultdict(lambda: {"approve": 0, "decline": 0})
    names = {}
    for decision in decisions:
        user = decision.actor
        key = ("user", user.pk) if user else ("label", decision.actor_label)
        if user:
            names[key] = user.get_full_name() or user.email or user.get_username()
        else:
            names[key] = decision.actor_label
        counts[key][decision.transition] += 1
    deciders = [Decider(names[k], c["approve"], c["decline"]) for k, c in counts.items()]
    return sorted(deciders, key=lambda d: (-d.decisions, d.name))


@dataclass
class StateTime:
    state: str
    label: str
    stays: int
    median: float | None
    p90: int | None


def time_in_states(period: Period, *, now=None) -> list[StateTime]:
    """For each state, the stays that ended in the period: how many, and their length in
    days (median and 90th percentile)."""
    as_of = min(now or timezone.now(), period.end)
    ended = ProposalTransition.objects.filter(created_at__gte=period.start, created_at__lt=as_of)
    rows = (
        ProposalTransition.objects.filter(
            proposal_id__in=ended.values("proposal_id"), created_at__lt=as_of
        )
        .order_by("proposal_id", "created_at", "id")
        .values_list("proposal_id", "from_state", "created_at")
    )
    stays = defaultdict(list)
    previous = {}
    for pk, from_state, at in rows:
        entered = previous.get(pk)
        if entered is not None and at >= period.start and from_state != State.DRAFT:
            stays[from_state].append(_days(entered, at))
        previous[pk] = at
    return [
        StateTime(
            state,
            State(state).label,
            len(stays[state]),
            median(stays[state]),
            percentile_90(stays[state]),
        )
        for state in (State.SUBMITTED, State.REVIEWED, State.CHANGES_REQUESTED)
    ]


@dataclass
class Overdue:
    """Proposals under review past their promised reply date, today: those still waiting
    for a first reply (the public "answered by the promised date" counts these as late)
    and those answered once that wait for a decision."""

    reply_count: int
    reply: list[Proposal]
    decision_count: int
    decision: list[Proposal]


def overdue_now(*, now=None) -> Overdue:
    today = timezone.localdate(now or timezone.now())
    answered = ProposalTransition.objects.filter(
        proposal=OuterRef("pk"), transition__in=REPLIES, from_state__in=State.UNDER_REVIEW
    )
    overdue = Proposal.objects.filter(state__in=State.UNDER_REVIEW, reply_due__lt=today).annotate(
        answered=Exists(answered)
    )
    reply = overdue.filter(answered=False).order_by("reply_due", "pk")
    decision = overdue.filter(answered=True).order_by("reply_due", "pk")
    return Overdue(
        reply.count(),
        list(reply[:LISTED_AT_MOST]),
        decision.count(),
        list(decision[:LISTED_AT_MOST]),
    )


def check_ins_outstanding() -> tuple[int, list[Meetup]]:
    waiting = Meetup.objects.filter(lifecycle__in=[Lifecycle.CHECK_IN_DUE, Lifecycle.LAPSED])
    return waiting.count(), list(waiting.order_by("check_in_due_on", "pk")[:LISTED_AT_MOST])
