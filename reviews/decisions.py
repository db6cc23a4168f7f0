"""What each staff decision will do, in words, for the confirmation step before it is taken
("Approving lists Zine Librarians NYC in the public directory and emails 3 organizers")."""

from intake.models import Proposal
from intake.workflow import Transition

DECISION_NOT_OPEN = "That decision is not open to you now. The buttons below show what you can do."

SENT = "The organizers read it in the email and on their proposal page."


def _organizers(count: int) -> str:
    return "the organizer" if count == 1 else f"{count} organizers"


def confirmation(*, proposal: Proposal, name: str) -> dict:
    """The confirmation page's question, what will happen, and its button's words."""
    who = _organizers(len(proposal.organizers.all()))
    group = proposal.name
    if name == Transition.APPROVE:
        return {
            "question": f"Approve {group}?",
            "effect": f"Approving lists {group} in the public directory at once and emails "
            f"{who}, with your message if you write one. The reviewers are told too.",
            "button": "Approve and publish",
            "hint": f"Optional. {SENT}",
            "warning": ""
            if proposal.summary.strip()
            else f"{group} has no public description: the directory will show only its "
            "name. The approval email asks its organizers to write one on their group's "
            "private page; you may ask in your message too.",
        }
    if name == Transition.DECLINE:
        return {
            "question": f"Decline {group}?",
            "effect": f"Declining emails {who} your reason, below. The proposal ends: "
            "it cannot be reopened.",
            "button": "Decline proposal",
            "hint": f"Required: say why. {SENT}",
        }
    if name == Transition.REQUEST_CHANGES:
        return {
            "question": f"Request changes to {group}?",
            "effect": f"Requesting changes emails {who} your message, below, and pauses "
            "the reply clock until they resubmit.",
            "button": "Request changes",
            "hint": f"Required: say what needs to change. {SENT}",
        }
    if name == Transition.COMPLETE_REVIEW:
        return {
            "question": f"Mark {group} as reviewed?",
            "effect": f"Marking it as reviewed, without waiting for more reviews, emails {who} "
            "and the program managers.",
            "button": "Mark as reviewed",
            "hint": f"Optional. {SENT}",
        }
    return {
        "question": f"{name.replace('_', ' ').capitalize()}?",
        "effect": "",
        "button": "Yes",
        "hint": SENT,
    }
