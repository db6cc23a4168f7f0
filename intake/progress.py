"""What the organizers' status page shows of a proposal's progress: the step tracker and
the history, with staff named only as "Program staff"."""

from django.utils import dateformat, timezone

from .models import State
from .services import PROPOSAL_REVIEW
from .workflow import Transition

# The four steps; each is reached by these transitions (read from the proposal's history,
# so a step is "done" only when it happened).
DRAFT, SUBMITTED, REVIEWED, DECISION = range(4)
REACHED_BY = {
    SUBMITTED: (Transition.SUBMIT,),
    REVIEWED: (Transition.COMPLETE_REVIEW,),
    DECISION: (Transition.APPROVE, Transition.DECLINE, Transition.WITHDRAW),
}
# The step a proposal in each open state is at now.
CURRENT_STEP = {
    State.DRAFT: DRAFT,
    State.SUBMITTED: SUBMITTED,
    State.CHANGES_REQUESTED: SUBMITTED,
    State.REVIEWED: REVIEWED,
}
# Where an ended proposal stopped, in the words of "withdrawn ..." or "declined ...".
POINT = {
    State.DRAFT: "as a draft, before it was submitted",
    State.SUBMITTED: "after it was submitted, before the review was finished",
    State.CHANGES_REQUESTED: "while staff were waiting for changes",
    State.REVIEWED: "after the review",
}


def step_tracker(proposal) -> list[dict]:
    """The steps, each done, current, to come or (on an ended proposal) not reached, in the
    order of the proposal's real path: derived from the history rather than from the
    current state alone. An open proposal's steps after "Submitted" count from its latest
    (re)submission, since resubmitted answers are reviewed again; while changes are
    requested, that step sits where it happened (before or after the review)."""
    history = list(proposal.transitions.all())
    ended = proposal.has_ended
    if not ended:
        submissions = [
            i
            for i, record in enumerate(history)
            if record.transition in (Transition.SUBMIT, Transition.RESUBMIT)
        ]
        if submissions:
            history = history[submissions[-1] :]
    happened = {record.transition for record in history}
    current = None if ended else CURRENT_STEP.get(proposal.state, DRAFT)
    steps = []
    for index, label in enumerate(("Draft", "Submitted", "Reviewed", "Decision")):
        if index == current:
            status = "current"
        elif index == DRAFT or set(REACHED_BY[index]) & happened:
            status = "done"
        else:
            status = "not reached" if ended else "to come"
        if index == DECISION and ended:
            label = proposal.get_state_display()
        steps.append({"label": label, "status": status, "is_current": index == current})
    if proposal.is_awaiting_changes:
        steps[SUBMITTED].update(status="done", is_current=False)
        after = REVIEWED if Transition.COMPLETE_REVIEW in happened else SUBMITTED
        steps.insert(
            after + 1, {"label": "Changes requested", "status": "current", "is_current": True}
        )
    for number, step in enumerate(steps, start=1):
        step["number"] = number
    return steps


def how_it_ended(proposal) -> str:
    """One sentence on how an ended proposal ended, and at which point ("" while open)."""
    if not proposal.has_ended:
        return ""
    last = proposal.transitions.filter(to_state=proposal.state).last()
    if last is None:
        return f"This proposal is {proposal.get_state_display().lower()}."
    when = dateformat.format(timezone.localtime(last.created_at), "j F Y")
    if proposal.state == State.APPROVED:
        return f"This proposal was approved on {when}."
    who = _who(last)
    by = "" if who == "Program staff" else f" by {'you' if who == 'You' else who}"
    verb = "withdrawn" if proposal.state == State.WITHDRAWN else "declined"
    point = POINT.get(last.from_state)
    return f"This proposal was {verb}{by}{f' {point},' if point else ''} on {when}."


def organizer_timeline(proposal) -> list[dict]:
    """The history as organizers see it: staff appear as "Program staff", and a stale
    proposal withdrawn by the system (the only withdrawal it makes) as "the system"."""
    return [
        {
            "when": record.created_at,
            "what": PROPOSAL_REVIEW.facts(record.transition)["past"].capitalize(),
            "who": _who(record),
            "note": record.note,
            "to_state": record.to_state,
        }
        for record in proposal.transitions.all()
    ]


def _who(record) -> str:
    if record.actor_label == "Organizer":
        return "You"
    if record.actor_label == "Automatic" and record.transition == Transition.WITHDRAW:
        return "the system"
    return "Program staff"
