"""Which slice of the queue a staff member looks at: what needs their action (the default),
the open proposals, the ended ones, or all. Kept apart from reviews.queue, which
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


def action_state(user) -> str:
    """The state of the proposals that need this person's action (see _conditions)."""
    return State.REVIEWED if is_program_manager(user) else State.SUBMITTED


def counts(by_state: dict, *, acted_on: int, user) -> dict:
    """How many proposals each view holds, from the counts of visible proposals by state and
    `acted_on`: how many of those in action_state(user) this person organizes or (a
    reviewer) has reviewed since their latest submission; the same as narrowing by
    _conditions, counted without a pass over every proposal."""
    return {
        ACTION: by_state.get(action_state(user), 0) - acted_on,
        OPEN: sum(n for state, n in by_state.items() if state in State.OPEN),
        ENDED: sum(n for state, n in by_state.items() if state in State.ENDED),
        ALL: sum(by_state.values()),
    }


def count_each(proposals: QuerySet, *, user) -> dict:
    """How many of `proposals` (annotated with `reviewed_by_me`) each view holds, in one
    query: what a search or a status finds under every tab, not only the open one."""
    proposals = proposals.annotate(organized=_organized_by(user))
    conditions = _conditions(user, "reviewed_by_me")
    return proposals.aggregate(
        **{view: Count("pk", filter=condition) for view, condition in conditions.items()}
    )
