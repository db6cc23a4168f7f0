"""The reviewers' queue: what staff see, filtered, searched and sorted (its one table of
sorts), paged by keys (reviews.paging), with its counts by state and by view (tab)."""

import dataclasses
import datetime
from dataclasses import dataclass

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

from accounts.roles import is_program_manager
from intake.models import Organizer, Proposal, State

from . import paging, queue_counts, queue_scope
from .models import Comment, Review


@dataclass(frozen=True)
class Sort:
    label: str
    # The order as keys (reviews.paging): (name, expression or None for a plain field,
    # descending), the last one the primary key, so the order is total and a row's keys say
    # exactly where it stands, for the whole queue and for its pages alike.
    keys: tuple


SORTS = {
    "oldest": Sort("Oldest submitted first", (("submitted_at", None, False), ("id", None, False))),
    "newest": Sort("Newest submitted first", (("submitted_at", None, True), ("id", None, True))),
    # Proposals whose clock runs (waiting for staff), the most overdue first; then the rest. A
    # missing reply date sorts last.
    "due": Sort(
        "Reply due soonest first",
        (
            (
                "queue_waiting",
                Case(When(state__in=State.UNDER_REVIEW, then=Value(0)), default=Value(1)),
                False,
            ),
            ("queue_due", Coalesce(F("reply_due"), Value(datetime.date.max)), False),
            ("id", None, False),
        ),
    ),
}
DEFAULT_SORT = "oldest"


def sort_keys(sort: str) -> tuple:
    return SORTS.get(sort, SORTS[DEFAULT_SORT]).keys


@dataclass
class QueueFilters:
    state: str = ""
    search: str = ""
    sort: str = DEFAULT_SORT
    waiting_for_me: bool = False
    view: str = queue_scope.ALL


def current_reviews(user=None):
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
    return proposals.annotate(reviewed_by_me=Exists(current_reviews(user)))


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
        current_reviews().order_by().values("proposal").annotate(n=Count("id")).values("n")
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


def proposals(*, user, filters: QueueFilters):
    """The proposals staff see, filtered, searched and sorted, with what each row shows
    annotated: the whole queue as one queryset (the export, the digests). The queue's pages
    read it by keys instead (queue_page)."""
    parts = queue_parts(user=user, filters=filters)
    if len(parts) > 1:
        proposals = _with_my_reviews(visible_to_staff(), user).filter(pk__in=_pks_of(parts))
    else:
        proposals = parts[0]
    return paging.in_order(_row_facts(proposals), sort_keys(filters.sort))


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
        keys=sort_keys(filters.sort),
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
