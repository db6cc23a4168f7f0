"""Who receives what: addresses of a proposal's organizers, of the staff groups, and of the
staff who took part in a proposal. Every list is lower case, without blanks or repeats."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP
from intake.models import ProposalTransition
from intake.workflow import Transition
from reviews.models import Comment, Review

ORGANIZER = "organizer"
REVIEWER = "reviewer"
MANAGER = "manager"
STAFF = "staff"


def _clean_addresses(addresses) -> list[str]:
    seen, result = set(), []
    for address in addresses:
        address = (address or "").strip().lower()
        if address and address not in seen:
            seen.add(address)
            result.append(address)
    return result


def organizer_addresses(proposal) -> list[str]:
    return _clean_addresses(o.email for o in proposal.organizers.all())


def _group_addresses(group: str) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=group).order_by("pk")
    return _clean_addresses(users.values_list("email", flat=True))


def reviewer_addresses() -> list[str]:
    """Active members of the Reviewers group. Program managers who want every new proposal
    by email are added to that group too; the role alone sends them only what they decide."""
    return _group_addresses(REVIEWERS_GROUP)


def manager_addresses() -> list[str]:
    return _group_addresses(PROGRAM_MANAGERS_GROUP)


def participant_addresses(proposal) -> list[str]:
    """Active staff who took part: wrote a review, a comment, a request for changes (a
    message to the organizers, so its author wants to see the answer) or the approval
    (organizers write to staff after it too)."""
    took_part = (
        Q(
            pk__in=ProposalTransition.objects.filter(
                proposal=proposal,
                transition__in=(Transition.REQUEST_CHANGES, Transition.APPROVE),
            ).values("actor")
        )
        | Q(pk__in=Review.objects.filter(proposal=proposal).values("reviewer"))
        | Q(pk__in=Comment.objects.filter(proposal=proposal).values("author"))
    )
    # Only people who are still staff: someone whose role was removed gets nothing more.
    users = (
        get_user_model()
        .objects.filter(took_part, is_active=True)
        .filter(
            Q(groups__name__in=(REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP)) | Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )
    return _clean_addresses(users.values_list("email", flat=True))


def _addresses_for(audience: str, proposal, *, participants_only: bool = False) -> list[str]:
    if audience == ORGANIZER:
        return organizer_addresses(proposal)
    if audience == MANAGER:
        return manager_addresses()
    if participants_only:
        return participant_addresses(proposal)
    return reviewer_addresses()
