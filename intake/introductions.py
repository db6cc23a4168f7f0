"""The overlap warning's "pass my details to staff": when a similar proposal under review is
not named (its proposers did not agree), the visitor leaves their name, address and a
message; it is stored as an IntroductionRequest and emailed to program managers through the
outbox (notifications listens to introduction_requested), so staff can put the two in touch.
The form's address carries the proposals sealed (common.opaque), never readable."""

from django.db import transaction
from django.utils import timezone

from common import opaque

from .models import IntroductionRequest, Proposal
from .overlap import INTRODUCTION_SALT, OVERLAP_STATES
from .signals import introduction_requested

# How long the form's address works (seconds): a warning is read while writing a proposal.
TOKEN_MAX_AGE = 7 * 24 * 3600


def proposals_for_token(token: str) -> list[Proposal]:
    """The proposals still under review the form is about (one link may pass the details
    to the proposers of several), or [] for a forged or expired link."""
    if not token or len(token) > 600:
        return []
    references = opaque.unseal(token, purpose=INTRODUCTION_SALT, max_age=TOKEN_MAX_AGE)
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        return []
    return list(
        Proposal.objects.filter(
            reference__in=references[:20], state__in=OVERLAP_STATES, erased_at=None
        ).order_by("pk")
    )


def ask_introduction(
    *, proposal: Proposal, name: str, email: str, message: str
) -> IntroductionRequest:
    with transaction.atomic():
        request = IntroductionRequest.objects.create(
            proposal=proposal, name=name.strip(), email=email.strip().lower(), message=message
        )
        introduction_requested.send(sender=IntroductionRequest, request=request)
    return request


def newest_first():
    """Every request, newest first, with the proposal it concerns (the staff list)."""
    return IntroductionRequest.objects.select_related("proposal").order_by("-created_at", "-pk")


def mark_done(*, request: IntroductionRequest, done: bool = True) -> None:
    """A program manager passed it on (or takes the mark back after a slip)."""
    IntroductionRequest.objects.filter(pk=request.pk).update(
        done_at=timezone.now() if done else None
    )


def asked_by(*, email: str) -> list[dict]:
    """What someone asked, for their own download; which proposal it concerns stays its
    proposers' to tell."""
    return [
        {
            "asked_at": r.created_at.isoformat(),
            "name": r.name,
            "email": r.email,
            "message": r.message,
            "about": "a similar proposal under review",
            "passed_on": r.done_at is not None,
        }
        for r in IntroductionRequest.objects.filter(email__iexact=email.strip()).order_by(
            "created_at", "pk"
        )
    ]
