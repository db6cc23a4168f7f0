"""A proposal's history as staff read it: one sentence per transition ("Changes requested
by Ann Lee"), not the state machine's own words ("Submitted to Reviewed by Automatic")."""

from django.conf import settings

from intake.models import Proposal, ProposalTransition
from intake.services import PROPOSAL_REVIEW
from intake.workflow import Transition

AUTOMATIC = "Automatic"  # common.actors.SYSTEM's label


def _sentence(record: ProposalTransition) -> str:
    who = record.actor_label or "someone"
    automatic = record.actor_id is None and who == AUTOMATIC
    name = record.transition
    if name == Transition.SUBMIT:
        return "Submitted by the organizers"
    if name == Transition.RESUBMIT:
        return "Resubmitted by the organizers, with changes"
    if name == Transition.COMPLETE_REVIEW:
        if automatic:
            # It happens the moment the reviews needed are in, so both numbers are the same.
            needed = settings.REVIEWS_REQUIRED
            return f"Reviewed automatically after {needed} of {needed} reviews"
        return f"Marked as reviewed by {who}"
    if name == Transition.REQUEST_CHANGES:
        return f"Changes requested by {who}"
    if name == Transition.APPROVE:
        return f"Approved by {who} and listed in the public directory"
    if name == Transition.DECLINE:
        return f"Declined by {who}"
    if name == Transition.WITHDRAW:
        if automatic:
            return "Withdrawn automatically"  # its note says why
        return "Withdrawn by the organizers"
    # A transition without a sentence of its own: its declared past tense ("Paused by ...").
    past = PROPOSAL_REVIEW.facts(name).get("past", name.replace("_", " "))
    return f"{past.capitalize()} by {who}"


def timeline(*, proposal: Proposal) -> list[dict]:
    """Every step, oldest first: when, the sentence, and the message written with it."""
    entries = [{"when": proposal.created_at, "sentence": "Started by the organizers", "note": ""}]
    for record in ProposalTransition.objects.filter(proposal=proposal).order_by("created_at", "pk"):
        entries.append(
            {"when": record.created_at, "sentence": _sentence(record), "note": record.note}
        )
    return entries
