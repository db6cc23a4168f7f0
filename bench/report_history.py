"""Ten years of history for the report scenario (bench.scenarios.report), bulk-inserted into
the benchmark's own database: proposals with their transitions (submitted, answered,
decided, spread evenly over the years) and listed groups with their yearly check-ins,
lapses and link checks. Bench database only: rows are written with their states and
dates set directly, which the services never allow elsewhere."""

import datetime

from django.db import transaction
from django.utils import timezone

from bench.fixtures import grow_listed_groups
from intake.models import Organizer, Proposal, ProposalTransition, State
from meetups.models import Meetup, MeetupEvent

PREFIX = "MTG-1997-"
BATCH = 5000
DAY = datetime.timedelta(days=1)

# What happens to each proposal after it is sent, by its index modulo 10.
PATHS = {
    **dict.fromkeys((0, 1, 2, 3, 8, 9), ["complete_review", "approve"]),
    4: ["complete_review", "decline"],
    5: ["decline"],
    6: ["withdraw"],
    7: ["request_changes", "resubmit", "complete_review", "approve"],
}
TARGETS = {
    "complete_review": (State.SUBMITTED, State.REVIEWED),
    "approve": (State.REVIEWED, State.APPROVED),
    "decline": (None, State.DECLINED),
    "withdraw": (State.SUBMITTED, State.WITHDRAWN),
    "request_changes": (State.SUBMITTED, State.CHANGES_REQUESTED),
    "resubmit": (State.CHANGES_REQUESTED, State.SUBMITTED),
}


def proposal_history_count() -> int:
    return Proposal.objects.filter(reference__startswith=PREFIX).count()


def _script(index: int, submitted: datetime.datetime, now) -> tuple[str, list[tuple]]:
    """The final state and the transitions (name, from, to, when) of proposal `index`."""
    steps = [("submit", State.DRAFT, State.SUBMITTED, submitted)]
    state, when = State.SUBMITTED, submitted
    for n, name in enumerate(PATHS[index % 10]):
        when = when + (1 + (index * (n + 3)) % 29) * DAY
        if when >= now:
            break
        source, target = TARGETS[name]
        steps.append((name, source or state, target, when))
        state = target
    return state, steps


def grow_proposal_history(size: int, *, years: int = 10) -> int:
    now = timezone.now()
    span = years * 365 * DAY
    for first in range(proposal_history_count(), size, BATCH):
        indexes = range(first, min(first + BATCH, size))
        scripts = {i: _script(i, now - span + span * (i + 0.5) / size, now) for i in indexes}
        with transaction.atomic():
            proposals = Proposal.objects.bulk_create(
                Proposal(
                    reference=f"{PREFIX}{i:06d}",
                    state=scripts[i][0],  # set at construction: fixtures only
                    name=f"History Proposal {i}",
                    description="A proposal of the benchmark's ten years of history.",
                    audience="Anyone.",
                    open_to_all=True,
                    differs_from_existing="Made up.",
                    activities="Talks.",
                    meeting_frequency="monthly",
                    meeting_format="hybrid",
                    agrees_to_guidelines=True,
                    agrees_to_code_of_conduct=True,
                    created_at=scripts[i][1][0][3],
                    submitted_at=scripts[i][1][0][3],
                )
                for i in indexes
            )
            Organizer.objects.bulk_create(
                Organizer(
                    proposal=proposal,
                    name=f"History Organizer {proposal.pk}",
                    email=f"history{proposal.pk}@bench.example.org",
                    institution="New York Public Library",
                )
                for proposal in proposals
            )
            ProposalTransition.objects.bulk_create(
                ProposalTransition(
                    proposal=proposal,
                    transition=name,
                    from_state=source,
                    to_state=target,
                    actor_label="Bench",
                    created_at=when,
                )
                for proposal, i in zip(proposals, indexes, strict=True)
                for name, source, target, when in scripts[i][1]
            )
    return proposal_history_count()


def grow_group_history(size: int, *, years: int = 10) -> int:
    """`size` listed groups, each listed `years` ago, with a check-in asked and answered
    every year (one in seven lapsing first), and one in five links broken and mended."""
    grow_listed_groups(size)
    now = timezone.now()
    groups = list(Meetup.objects.filter(slug__startswith="bench-group-").order_by("pk")[:size])
    if MeetupEvent.objects.filter(meetup__in=groups, actor_label="Bench history").exists():
        return len(groups)
    events = []
    for index, group in enumerate(groups):
        listed = now - years * 365 * DAY + index * DAY
        Meetup.objects.filter(pk=group.pk).update(created_at=listed)
        for year in range(1, years + 1):
            due = listed + year * 365 * DAY
            steps = [("open_check_in", "active", "check_in_due", due - 30 * DAY)]
            if index % 7 == 0:
                steps.append(("lapse", "check_in_due", "lapsed", due + 60 * DAY))
            steps.append(("check_in", steps[-1][2], "active", due + (61 + index % 20) * DAY))
            if index % 5 == 0:
                steps += [
                    ("link_broken", "", "", due - 100 * DAY),
                    ("link_mended", "", "", due - 86 * DAY),
                ]
            events += [
                MeetupEvent(
                    meetup=group,
                    kind=kind,
                    from_state=source,
                    to_state=target,
                    actor_label="Bench history",
                    created_at=when,
                )
                for kind, source, target, when in steps
                if when < now
            ]
    for first in range(0, len(events), BATCH):
        MeetupEvent.objects.bulk_create(events[first : first + BATCH])
    return len(groups)
