"""Business rules of the reviewer workspace: the queue, reviews, comments and decisions.

Views parse requests and call these keyword-only functions. Each function that writes runs
in one database transaction and returns what it created, so that notifications can be
announced from the same place (see `_after_comment`).
"""

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from accounts.roles import is_program_manager, is_staff_member
from common import throttle
from common.actors import SYSTEM
from intake import services as intake_services
from intake.models import Organizer, Proposal, State
from intake.workflow import Transition

from . import paging, queue_counts, queue_scope
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


# The queue

SORTS = {
    "oldest": (F("submitted_at").asc(nulls_last=True), "id"),
    "newest": (F("submitted_at").desc(nulls_last=True), "-id"),
    # Proposals whose clock runs (waiting for staff), the most overdue first; then the rest.
    "due": (
        Case(When(state__in=State.UNDER_REVIEW, then=Value(0)), default=Value(1)).asc(),
        F("reply_due").asc(nulls_last=True),
        "id",
    ),
}


@dataclass
class QueueFilters:
    state: str = ""
    search: str = ""
    sort: str = "oldest"
    waiting_for_me: bool = False
    view: str = queue_scope.ALL


def _current_reviews(user=None):
    """Reviews given (or last edited) since the proposal's latest submission, so a
    resubmitted proposal needs fresh reviews."""
    reviews = Review.objects.filter(
        proposal=OuterRef("pk"), updated_at__gte=OuterRef("submitted_at")
    )
    if user is not None:
        reviews = reviews.filter(reviewer=user)
    return reviews


def visible_to_staff():
    """Proposals that have been submitted at least once: a draft, or a draft withdrawn
    before anyone saw it, stays private to its organizers."""
    return Proposal.objects.filter(state__in=State.STAFF_VISIBLE, submitted_at__isnull=False)


def _with_my_reviews(proposals, user):
    """`proposals` annotated with `reviewed_by_me`: whether `user` has a current review."""
    return proposals.annotate(reviewed_by_me=Exists(_current_reviews(user)))


def _narrowed(*, user, filters: QueueFilters):
    """Visible proposals cut to the filters' view, status and "mine", before any search;
    nothing a row shows is computed here (see _row_facts)."""
    proposals = _with_my_reviews(visible_to_staff(), user)
    proposals = queue_scope.narrow(proposals, view=filters.view, user=user)
    if filters.state in State.STAFF_VISIBLE:
        proposals = proposals.filter(state=filters.state)
    if filters.waiting_for_me:
        proposals = proposals.filter(state__in=State.UNDER_REVIEW, reviewed_by_me=False)
        email = (getattr(user, "email", "") or "").strip()
        if email:
            proposals = proposals.exclude(
                Exists(Organizer.objects.filter(proposal=OuterRef("pk"), email__iexact=email))
            )
    return proposals


def _row_facts(proposals):
    """What each row of the queue shows besides `reviewed_by_me` (annotated by the caller):
    its current reviews and comments, and its organizers (one more query for a page of any
    length)."""
    review_counts = (
        _current_reviews().order_by().values("proposal").annotate(n=Count("id")).values("n")
    )
    comment_counts = (
        Comment.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("id"))
        .values("n")
    )
    return proposals.annotate(
        review_count=Coalesce(Subquery(review_counts, output_field=IntegerField()), Value(0)),
        comment_count=Coalesce(Subquery(comment_counts, output_field=IntegerField()), Value(0)),
    ).prefetch_related("organizers")


def _pks_of(parts: list):
    """The primary keys of the union of `parts` (queue_parts), as one queryset."""
    pks = [part.order_by().values("pk") for part in parts]
    return pks[0].union(*pks[1:]) if len(pks) > 1 else pks[0]


def queue_parts(*, user, filters: QueueFilters) -> list:
    """The queue under `filters` as querysets whose union it is, lean (nothing a row shows
    is computed), for a page's keys and the count: one queryset, or for a search two, the
    proposals whose reference or name holds it and those with an organizer whose name or
    email does. Each part is answered from its own indexes (the trigram indexes of intake
    migration 0007): as one `pk IN (union)` over every proposal, or an OR across the join,
    the planner could not tell how few rows matched and read the whole table at 100,000
    proposals."""
    proposals = _narrowed(user=user, filters=filters)
    search = filters.search.strip()
    if not search:
        return [proposals]
    by_organizer = (
        Organizer.objects.filter(Q(name__icontains=search) | Q(email__icontains=search))
        .order_by()
        .values("proposal_id")
    )
    return [
        proposals.filter(Q(reference__icontains=search) | Q(name__icontains=search)),
        proposals.filter(pk__in=by_organizer),
    ]


def queue(*, user, filters: QueueFilters):
    """The proposals staff see, filtered, searched and sorted, with what each row shows
    annotated: the whole queue as one queryset (the export, the digests). The queue's pages
    read it by keys instead (queue_page)."""
    parts = queue_parts(user=user, filters=filters)
    if len(parts) > 1:
        proposals = _with_my_reviews(visible_to_staff(), user).filter(pk__in=_pks_of(parts))
    else:
        proposals = parts[0]
    return _row_facts(proposals).order_by(*SORTS.get(filters.sort, SORTS["oldest"]))


def queue_rows(*, user, pks):
    """The rows of one page of the queue (`pks`: found by queue_parts), with what they show."""
    return _row_facts(_with_my_reviews(visible_to_staff().filter(pk__in=pks), user))


@dataclass
class QueuePage:
    """One page of the queue and the counts shown around it."""

    page: paging.KeysetPage
    by_state: dict  # visible proposals per state
    by_view: dict  # proposals per view (queue_scope.VIEWS) for this person, under the filters
    private_drafts: int


def narrows(filters: QueueFilters) -> bool:
    """Whether a search, a status or "mine" narrows the queue, so the tabs count matches."""
    return bool(filters.search.strip() or filters.state or filters.waiting_for_me)


def matches_by_view(*, user, filters: QueueFilters) -> dict:
    """How many proposals the search, status and "mine" of `filters` find under each view
    (tab), whichever view is open: a search looks everywhere the reader may look."""
    parts = queue_parts(user=user, filters=dataclasses.replace(filters, view=queue_scope.ALL))
    found = _with_my_reviews(visible_to_staff(), user).filter(pk__in=_pks_of(parts))
    return queue_scope.count_each(found, user=user)


def queue_page(
    *, user, filters: QueueFilters, size: int, after=None, before=None, last=False
) -> QueuePage:
    """The page of the queue under `filters` after or before a row's id (`after`, `before`:
    the paging links), or its last page, found by keys (reviews.paging), with the counts by
    state and by view, each kept or counted without a pass over every proposal. Under a
    search, status or "mine" the views' counts are of the matches (one query)."""
    parts = queue_parts(user=user, filters=filters)
    by_state, private_drafts = state_counts()
    if narrows(filters):
        by_view = matches_by_view(user=user, filters=filters)
    else:
        by_view = view_counts(user=user, by_state=by_state)
    count = by_view.get(filters.view, by_view[queue_scope.ALL])
    page = paging.keyset_page(
        parts,
        rows=lambda pks: queue_rows(user=user, pks=pks),
        sort=filters.sort,
        size=size,
        count=count,
        after=after,
        before=before,
        last=last,
    )
    return QueuePage(page=page, by_state=by_state, by_view=by_view, private_drafts=private_drafts)


def view_counts(*, user, by_state: dict) -> dict:
    """How many proposals each of the queue's views (reviews.queue_scope) holds for `user`,
    from the counts by state (state_counts) and the few proposals this person organizes or
    has reviewed, found from their side: no pass over every proposal."""
    action_state = queue_scope.action_state(user)
    waiting = visible_to_staff().filter(state=action_state)
    found = []
    email = (getattr(user, "email", "") or "").strip()
    if email:
        found.append(
            Organizer.objects.filter(proposal__in=waiting, email__iexact=email)
            .order_by()
            .values_list("proposal_id", flat=True)
        )
    if not is_program_manager(user):
        found.append(
            Review.objects.filter(
                reviewer=user, proposal__in=waiting, updated_at__gte=F("proposal__submitted_at")
            )
            .order_by()
            .values_list("proposal_id", flat=True)
        )
    # One query (UNION drops the proposals found both ways).
    acted = len(found[0].union(*found[1:])) if found else 0
    return queue_scope.counts(by_state, acted_on=acted, user=user)


def _count_states() -> tuple[dict, int]:
    counts = dict.fromkeys(State.STAFF_VISIBLE, 0)
    for row in visible_to_staff().order_by().values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    private = Proposal.objects.filter(submitted_at__isnull=True).count()
    return counts, private


def state_counts() -> tuple[dict, int]:
    """How many proposals staff can see in each state, and how many are private drafts
    (counted, never shown): counted once per version of the proposals (queue_counts)."""
    counts, private = queue_counts.kept(_count_states)
    return dict(counts), private


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
