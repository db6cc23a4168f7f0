"""Which slice of the queue a staff member looks at: what needs their action (the default),
the open proposals, the ended ones, or all. Kept apart from reviews.services.queue, which
pages and sorts, so the queue opens on work to do without changing how it is read."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.roles import is_program_manager
from intake.models import Organizer, State

ACTION, OPEN, ENDED, ALL = "action", "open", "ended", "all"

# (value, label) in the order the tabs show them.
VIEWS = (
    (ACTION, "Needs my action"),
    (OPEN, "Open"),
    (ENDED, "Ended"),
    (ALL, "All"),
)


def action_words(user) -> str:
    """What "needs my action" means for this person, for the page to say."""
    if is_program_manager(user):
        return "Reviewed proposals waiting for your decision."
    return "Submitted proposals waiting for your review."


def _organized_by(user):
    email = (getattr(user, "email", "") or "").strip()
    return Exists(Organizer.objects.filter(proposal=OuterRef("pk"), email__iexact=email))


def _conditions(user, reviewed_by_me: str) -> dict:
    """Each view as a Q over a queryset annotated with `reviewed_by_me` and `organized`.
    A manager acts on reviewed proposals (the decision); a reviewer on submitted ones they
    have not reviewed since the latest submission. Nobody acts on their own proposal."""
    if is_program_manager(user):
        action = Q(state=State.REVIEWED, organized=False)
    else:
        action = Q(state=State.SUBMITTED, organized=False, **{reviewed_by_me: False})
    return {
        ACTION: action,
        OPEN: Q(state__in=State.OPEN),
        ENDED: Q(state__in=State.ENDED),
        ALL: Q(),
    }


def narrow(proposals: QuerySet, *, view: str, user) -> QuerySet:
    """`proposals` (annotated with `reviewed_by_me`) cut to `view`; an unknown view is all."""
    if view not in dict(VIEWS) or view == ALL:
        return proposals
    proposals = proposals.annotate(organized=_organized_by(user))
    return proposals.filter(_conditions(user, "reviewed_by_me")[view])


def counts(proposals: QuerySet, *, user, reviewed_by_me) -> dict:
    """How many of `proposals` each view holds, in one query. `reviewed_by_me` is an Exists
    of this user's current reviews (reviews.services owns what "current" means)."""
    annotated = proposals.order_by().annotate(
        organized=_organized_by(user), mine_done=reviewed_by_me
    )
    return annotated.aggregate(
        **{
            view: Count("id", filter=condition)
            for view, condition in _conditions(user, "mine_done").items()
        }
    )
