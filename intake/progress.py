"""What the organizers' status page shows of a proposal's progress: the step tracker and
the history, with staff named only as "Program staff"."""

from .models import State, transition_facts
from .workflow import Transition

STEPS = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("reviewed", "Reviewed"),
    ("decision", "Decision"),
]
DECISION_STEP = 3


def _step_index(state: str) -> int:
    if state in State.ENDED:
        return DECISION_STEP
    if state == State.REVIEWED:
        return 2
    if state in (State.SUBMITTED, State.CHANGES_REQUESTED):
        return 1
    return 0


def step_tracker(proposal) -> list[dict]:
    """The four steps with their status as words (done, current, to come)."""
    current = _step_index(proposal.state)
    steps = []
    for index, (key, label) in enumerate(STEPS):
        if key == "decision" and current == DECISION_STEP:
            label = proposal.get_state_display()
        if key == "submitted" and proposal.state == State.CHANGES_REQUESTED:
            label = "Changes requested"
        status = "done" if index < current else "current" if index == current else "to come"
        if index == current and proposal.has_ended:
            status = "done"
        steps.append({"label": label, "status": status, "number": index + 1})
    return steps


def organizer_timeline(proposal) -> list[dict]:
    """The history as organizers see it: staff appear as "Program staff", and a stale
    proposal withdrawn by the system (the only withdrawal it makes) as "the system"."""
    return [
        {
            "when": record.created_at,
            "what": transition_facts(record.transition)["past"].capitalize(),
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
