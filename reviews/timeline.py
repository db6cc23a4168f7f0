"""What the proposal's pages show of its history: the organizers' "Messages" (shared
comments and every message written with a transition), the staff timeline in sentences
(reviews.history), and what changed since the previous submission."""

import datetime

from intake import services as intake_services
from intake.models import Proposal
from intake.workflow import Transition

from . import history
from .models import Visibility

TRANSITION_MESSAGE_KINDS = {
    Transition.REQUEST_CHANGES: "Changes requested",
    Transition.DECLINE: "Declined",
    Transition.APPROVE: "Approved",
    Transition.COMPLETE_REVIEW: "Reviewed",
    Transition.WITHDRAW: "Withdrawn",
}


def organizer_messages(*, proposal: Proposal) -> list[dict]:
    """What the organizers see in "Messages": shared comments, and every message written
    with a transition, in time order."""
    entries = [
        {
            "when": c.created_at,
            "who": "You" if c.by_organizers else "Program staff",
            "from_organizers": c.by_organizers,
            "kind": "",  # a comment has no heading; a transition's message has its own
            "body": c.body,
        }
        for c in proposal.comments.filter(visibility=Visibility.SHARED)
    ]
    # Every message written with a transition (a request for changes, a decline, an
    # approval, the organizers' reason for withdrawing) is part of the conversation.
    for record in proposal.transitions.exclude(note=""):
        by_organizers = record.actor_label == "Organizer"
        entries.append(
            {
                "when": record.created_at,
                "who": "You"
                if by_organizers
                else "the system"
                if record.actor_label == "Automatic"
                else "Program staff",
                "from_organizers": by_organizers,
                "kind": TRANSITION_MESSAGE_KINDS.get(record.transition, "Message"),
                "body": record.note,
            }
        )
    return sorted(entries, key=lambda e: e["when"])


def staff_timeline(*, proposal: Proposal) -> list[dict]:
    """The proposal's history in sentences (reviews.history)."""
    return history.timeline(proposal=proposal)


def _show(value) -> str:
    if value is None or value == "":
        return "(empty)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return (
            "\n".join(
                ", ".join(
                    str(part)
                    for part in (
                        o.get("name"),
                        o.get("email"),
                        o.get("institution"),
                        "member" if o.get("institution_is_member") else "not a member",
                    )
                )
                for o in value
            )
            or "(none)"
        )
    return str(value)


def _month(value):
    return datetime.date.fromisoformat(value).strftime("%B %Y") if value else value


def changes_for_reviewers(*, proposal: Proposal) -> list[dict]:
    """What changed since the previous submission, field by field, as text to show."""
    choices = {
        "meeting_frequency": dict(Proposal._meta.get_field("meeting_frequency").choices),
        "meeting_format": dict(Proposal._meta.get_field("meeting_format").choices),
    }
    changes = []
    for change in intake_services.changes_since_previous_submission(proposal=proposal):
        labels = choices.get(change["field"])
        before, after = change["before"], change["after"]
        if labels:
            before, after = labels.get(before, before), labels.get(after, after)
        if change["field"] == "first_meeting":
            before, after = _month(before), _month(after)
        changes.append({"label": change["label"], "before": _show(before), "after": _show(after)})
    return changes
