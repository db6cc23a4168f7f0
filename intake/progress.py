"""What the organizers' status page shows of a proposal's progress: the step tracker and
the history, with staff named only as "Program staff"."""

from .models import State, transition_facts

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
    """The history as organizers see it: staff appear as "Program staff"."""
    return [
        {
            "when": record.created_at,
            "what": transition_facts(record.transition)["past"].capitalize(),
            "who": "You" if record.actor_label == "Organizer" else "Program staff",
            "note": record.note,
            "to_state": record.to_state,
        }
        for record in proposal.transitions.all()
    ]
