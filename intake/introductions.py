"""The overlap warning's "pass my details to staff": when a similar proposal under review is
not named (its proposers did not agree), the visitor leaves their name, address and a
message; it is stored as an IntroductionRequest and emailed to program managers through the
outbox (notifications listens to introduction_requested), so staff can put the two in touch.
The form's address carries the proposal signed, never readable."""

from django.core import signing
from django.db import transaction

from .models import IntroductionRequest, Proposal
from .overlap import INTRODUCTION_SALT, OVERLAP_STATES
from .signals import introduction_requested

# How long the form's address works (seconds): a warning is read while writing a proposal.
TOKEN_MAX_AGE = 7 * 24 * 3600


def proposal_for_token(token: str) -> Proposal | None:
    """The proposal still under review the form is about, or None."""
    if not token or len(token) > 200:
        return None
    try:
        reference = signing.loads(token, salt=INTRODUCTION_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return Proposal.objects.filter(
        reference=reference, state__in=OVERLAP_STATES, erased_at=None
    ).first()


def ask_introduction(
    *, proposal: Proposal, name: str, email: str, message: str
) -> IntroductionRequest:
    with transaction.atomic():
        request = IntroductionRequest.objects.create(
            proposal=proposal, name=name.strip(), email=email.strip().lower(), message=message
        )
        introduction_requested.send(sender=IntroductionRequest, request=request)
    return request
