"""Staff decisions on a proposal: which are open to a staff member (`staff_transitions`),
taking one through the one transition runner (`decide`, with a dry run the confirmation
step asks first, so each refusal is written once), and what each will do, in words, for
that confirmation step ("Approving lists Zine Librarians NYC in the public directory and
emails 3 organizers")."""

from accounts.roles import is_staff_member, staff_actor
from common.transitions import NoteRequired, Refused
from intake import services as intake_services
from intake.models import Proposal
from intake.workflow import Transition

from .services import is_conflicted

DECISION_NOT_OPEN = "That decision is not open to you now. The buttons below show what you can do."


class OrganizerOfIt(Refused):
    """Staff who are also organizers of the proposal cannot decide it."""


class DecisionNotOpen(Refused):
    """The decision is not among those open to this staff member now."""


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


def staff_transitions(*, proposal: Proposal, user) -> list[str]:
    """The decisions this staff member may take now: exactly what the state machine allows
    (the organizers' own transitions are never permitted to a staff Actor)."""
    if not is_staff_member(user):
        return []
    return intake_services.available_transitions(proposal=proposal, actor=staff_actor(user))


def decide(
    *,
    proposal: Proposal,
    user,
    name: str,
    note: str,
    expected_state: str,
    dry_run: bool = False,
) -> Proposal:
    """A staff decision through the one transition runner, which checks everything (the
    state the page was loaded in, source, permission, conditions, the note). Its refusals
    reach the reviewer as: ProposalChanged when someone else acted first, OrganizerOfIt for
    staff who organize the proposal, NoteRequired, and DecisionNotOpen for the rest.
    With `dry_run`, the same checks on the proposal as loaded, changing nothing: the
    confirmation step asks first and shows the same refusal."""
    actor = staff_actor(user)
    try:
        if not dry_run:
            return intake_services.run_transition(
                proposal=proposal,
                name=name,
                actor=actor,
                note=note,
                expected_state=expected_state or None,
            )
        refused = intake_services.transition_refusal(
            proposal=proposal,
            name=name,
            actor=actor,
            note=note,
            expected_state=expected_state or None,
        )
        if refused is not None:
            raise refused
        return proposal
    except intake_services.ProposalChanged:
        raise
    except Refused as exc:
        if is_conflicted(proposal=proposal, user=user):
            raise OrganizerOfIt(
                f"You are an organizer of {proposal.reference}, so you cannot decide it."
            ) from exc
        if isinstance(exc, NoteRequired):
            raise
        raise DecisionNotOpen(DECISION_NOT_OPEN) from exc
