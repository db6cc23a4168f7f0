"""Business rules of the reviewer workspace: the queue, reviews, comments and decisions.

Views parse requests and call these keyword-only functions. Each function that writes runs
in one database transaction and returns what it created, so that notifications can be
announced from the same place (see `_after_comment`).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.roles import is_staff_member
from common import throttle
from common.actors import SYSTEM
from intake import services as intake_services
from intake.models import Proposal, State
from intake.workflow import Transition

from .models import Comment, Recommendation, Review, Visibility
from .signals import comment_posted

BODY_MAX_LENGTH = 5000


class ReviewError(Exception):
    """Something a staff member or organizer tried that cannot happen. The message is
    written for them."""


def is_conflicted(*, proposal: Proposal, user) -> bool:
    """A staff member who is also an organizer of the proposal (same email address)."""
    return proposal.has_organizer_email(getattr(user, "email", "") or "")


def _require_staff(user) -> None:
    if not is_staff_member(user):
        raise ReviewError("Only reviewers and program managers can do this.")


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ReviewError("Write a message first: it is empty.")
    if len(body) > BODY_MAX_LENGTH:
        raise ReviewError(f"Keep the message under {BODY_MAX_LENGTH} characters.")
    return body


# Reviews


def current_review_count(*, proposal: Proposal) -> int:
    if proposal.submitted_at is None:
        return 0
    return proposal.reviews.filter(updated_at__gte=proposal.submitted_at).count()


def save_review(*, proposal: Proposal, reviewer, recommendation: str, notes: str = "") -> Review:
    """Create or update this reviewer's review. When it brings a submitted proposal to
    REVIEWS_REQUIRED reviews, the proposal becomes reviewed in the same transaction."""
    _require_staff(reviewer)
    if recommendation not in Recommendation.values:
        raise ReviewError("Choose a recommendation: approve, request changes or decline.")
    notes = (notes or "").strip()
    if len(notes) > BODY_MAX_LENGTH:
        raise ReviewError(f"Keep your notes under {BODY_MAX_LENGTH} characters.")
    with transaction.atomic():
        # The row lock serialises reviews of one proposal, so the count below is exact.
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if is_conflicted(proposal=locked, user=reviewer):
            raise ReviewError(
                f"You are an organizer of {locked.reference}, so you cannot review it. "
                "Another reviewer will."
            )
        if locked.state not in State.UNDER_REVIEW:
            raise ReviewError(
                f"{locked.reference} is {locked.get_state_display().lower()}: it can be "
                "reviewed only while it is submitted or reviewed."
            )
        now = timezone.now()
        review, created = Review.objects.get_or_create(
            proposal=locked,
            reviewer=reviewer,
            defaults={"recommendation": recommendation, "notes": notes, "updated_at": now},
        )
        if not created:
            review.recommendation = recommendation
            review.notes = notes
            review.updated_at = now
            review.save(update_fields=["recommendation", "notes", "updated_at"])
        if (
            locked.state == State.SUBMITTED
            and current_review_count(proposal=locked) >= settings.REVIEWS_REQUIRED
        ):
            intake_services.run_transition(
                proposal=locked,
                name=Transition.COMPLETE_REVIEW,
                actor=SYSTEM,
                expected_state=State.SUBMITTED,
            )
    return review


# Comments


def add_comment(*, proposal: Proposal, author, body: str, visibility: str) -> Comment:
    """A staff comment, internal or shared with the organizers (chosen explicitly)."""
    _require_staff(author)
    if visibility not in Visibility.values:
        raise ReviewError("Choose who can read this comment: staff only, or the organizers too.")
    body = _clean_body(body)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state == State.DRAFT:
            raise ReviewError(f"{locked.reference} is a draft: staff cannot comment on it yet.")
        if locked.erased_at is not None:
            raise ReviewError(
                f"The personal data of {locked.reference} was erased: there is nobody left to "
                "comment to. Nothing was posted."
            )
        if is_conflicted(proposal=locked, user=author):
            raise ReviewError(
                f"You are an organizer of {locked.reference}, so you cannot comment on it "
                "as staff. Use your private link to write to the program staff."
            )
        comment = Comment.objects.create(
            proposal=locked, author=author, visibility=visibility, body=body
        )
        _after_comment(comment=comment)
    return comment


# Organizers' messages to the staff, per proposal: enough for a conversation, not a flood
# of staff emails from whoever holds the link.
REPLIES_PER_HOUR = 10
REPLY_WINDOW = 60 * 60


class TooManyReplies(ReviewError):
    """The proposal's page has sent REPLIES_PER_HOUR messages this hour; `retry_after` is
    the seconds until it may send again."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def add_organizer_reply(*, proposal: Proposal, body: str) -> Comment:
    """The organizers' reply from their private status page: a shared comment. Raises
    TooManyReplies, saving nothing, past REPLIES_PER_HOUR for the proposal."""
    body = _clean_body(body)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state not in State.IN_CONVERSATION:
            raise ReviewError(
                f"{locked.reference} is {locked.get_state_display().lower()}, so messages "
                "cannot be sent from this page. Write to the program staff by email instead."
            )
        if not throttle.take(
            "organizer-reply", str(locked.pk), limit=REPLIES_PER_HOUR, window=REPLY_WINDOW
        ):
            wait = throttle.seconds_left(REPLY_WINDOW)
            raise TooManyReplies(
                gettext(
                    "This proposal's page has sent %(limit)s messages to the program staff "
                    "in an hour, as many as it may. Please send this one in %(minutes)s "
                    "minutes."
                )
                % {"limit": REPLIES_PER_HOUR, "minutes": -(-wait // 60)},
                retry_after=wait,
            )
        comment = Comment.objects.create(
            proposal=locked, by_organizers=True, visibility=Visibility.SHARED, body=body
        )
        _after_comment(comment=comment)
    return comment


def _after_comment(*, comment: Comment) -> None:
    """Side effects of a new comment, inside its transaction: announced, so notifications
    records its emails (shared staff comments to the organizers, organizer replies to the
    staff) in the same transaction."""
    comment_posted.send(sender=Comment, comment=comment)


# Decisions
