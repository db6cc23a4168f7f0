"""Business rules for proposals. Views parse requests and call these functions.

`perform_transition` is the only code that changes a proposal's state.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from meetups.stewardship import send_group_links

from .actors import Actor
from .models import (
    CONDITION_MESSAGES,
    TRANSITION_NAMES,
    AccessLink,
    Organizer,
    Proposal,
    ProposalTransition,
    ReferenceCounter,
    State,
    hash_token,
)


class TransitionError(Exception):
    """A transition that cannot happen. The message is written for the person who tried."""


class TransitionForbidden(TransitionError):
    pass


class TransitionNotAvailable(TransitionError):
    pass


class ProposalChanged(TransitionError):
    """Someone else changed the proposal since the page was loaded."""

    def __init__(self, proposal: Proposal, expected_state: str):
        self.proposal = proposal
        self.expected_state = expected_state
        super().__init__(
            f"{proposal.reference} changed while you were looking at it: it is now "
            f"{proposal.get_state_display().lower()}. Nothing was done; check the timeline "
            "and try again if it still makes sense."
        )


class NotEditable(Exception):
    pass


def transition_meta(name: str) -> dict:
    """The custom labels declared on a transition (label, past tense, note_required)."""
    method = getattr(Proposal, name)
    for t in method._django_fsm.transitions.values():
        return t.custom
    return {}


def _unmet_conditions(proposal: Proposal, name: str) -> list[str]:
    method = getattr(proposal, name)
    meta = method._django_fsm
    current = proposal.state
    t = meta.get_transition(current)
    if t is None:
        return []
    return [
        CONDITION_MESSAGES.get(cond, cond.__name__.replace("_", " ")).format(
            min_organizers=settings.MIN_ORGANIZERS
        )
        for cond in t.conditions
        if not cond(proposal)
    ]


def _permitted(proposal: Proposal, name: str, actor: Actor) -> bool:
    """The transition's declared permission only (not its source or conditions)."""
    meta = getattr(proposal, name)._django_fsm
    return meta.has_transition_perm(proposal, proposal.state, actor)


def available_transitions(*, proposal: Proposal, actor: Actor) -> list[str]:
    """Names of the transitions this actor may take now (source, conditions and
    permission all met), in declaration order."""
    return [
        name for name in TRANSITION_NAMES if has_transition_perm(getattr(proposal, name), actor)
    ]


def perform_transition(
    *,
    proposal: Proposal,
    name: str,
    actor: Actor,
    note: str = "",
    expected_state: str | None = None,
) -> Proposal:
    """Run transition `name` on `proposal` for `actor`, in one database transaction:
    lock what the conditions read and the row, check source, permission and conditions,
    transition, save, append the audit record and the side effects (listed group,
    notifications). Raises TransitionError and changes nothing when the transition cannot
    happen. Returns the saved proposal."""
    if name not in TRANSITION_NAMES:
        raise TransitionNotAvailable(f"There is no action called {name!r}.")
    note = (note or "").strip()
    meta = transition_meta(name)
    with transaction.atomic():
        _lock_what_conditions_read(name)
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if expected_state is not None and locked.state != expected_state:
            raise ProposalChanged(locked, expected_state)
        method = getattr(locked, name)
        if not can_proceed(method, check_conditions=False):
            raise TransitionNotAvailable(
                f"{locked.reference} is {locked.get_state_display().lower()}, so it cannot be "
                f"{meta['past']}."
            )
        if not _permitted(locked, name, actor):
            raise TransitionForbidden(f"You may not {meta['label'].lower()} {locked.reference}.")
        unmet = _unmet_conditions(locked, name)
        if unmet:
            raise TransitionNotAvailable(
                f"{locked.reference} cannot be {meta['past']} yet: " + "; ".join(unmet) + "."
            )
        if meta.get("note_required") and not note:
            raise TransitionError("Write a message to the organizers: it is required for this.")

        from_state = locked.state
        method()
        locked.save()
        record = ProposalTransition.objects.create(
            proposal=locked,
            transition=name,
            from_state=from_state,
            to_state=locked.state,
            actor=actor.user if actor.user is not None else None,
            actor_label=actor.label,
            note=note,
            snapshot=locked.snapshot() if name in ("submit", "resubmit") else None,
        )
        _after_transition(proposal=locked, record=record)
    return locked


def _lock_what_conditions_read(name: str) -> None:
    """Locks taken first in a transition's transaction, before its conditions are checked.
    Approving checks that no listed group has the name: without the directory's lock, two
    approvals of one name at once would each find it free and both be listed. With it, the
    second waits for the first, then is refused with the condition's message."""
    if name == "approve":
        from meetups.services import lock_directory

        lock_directory()


def _after_transition(*, proposal: Proposal, record: ProposalTransition) -> None:
    """Side effects that belong to the same database transaction as the state change."""
    if record.transition == "approve":
        from meetups.services import list_approved_proposal

        list_approved_proposal(proposal=proposal)
    from notifications.services import record_transition

    record_transition(proposal=proposal, record=record)


# Creating and editing proposals


def next_reference(year: int | None = None) -> str:
    """The next MTG-<year>-<4 digits> reference. Must run inside a transaction: the
    counter row stays locked until commit, so concurrent submissions get distinct numbers."""
    year = year or timezone.localdate().year
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
    except IntegrityError:
        pass  # another request created the row first
    ReferenceCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = ReferenceCounter.objects.get(year=year).last_number
    return f"MTG-{year}-{number:04d}"


def issue_access_link(*, proposal: Proposal) -> str:
    """A new private link token for the proposal. Only its hash is stored."""
    token = secrets.token_urlsafe(32)
    AccessLink.objects.create(proposal=proposal, token_hash=hash_token(token))
    return token


def proposal_for_token(token: str) -> Proposal | None:
    if not token or len(token) > 100:
        return None
    link = (
        AccessLink.objects.select_related("proposal").filter(token_hash=hash_token(token)).first()
    )
    if link is None:
        return None
    AccessLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link.proposal


@dataclass
class OrganizerData:
    name: str
    email: str
    institution: str
    institution_is_member: bool = False
    listed_publicly: bool = True


def _write_content(proposal: Proposal, content: dict, organizers: list[OrganizerData]) -> None:
    for field in Proposal.CONTENT_FIELDS:
        if field in content:
            setattr(proposal, field, content[field])
    proposal.save()
    proposal.organizers.all().delete()
    Organizer.objects.bulk_create(
        Organizer(
            proposal=proposal,
            position=position,
            name=o.name,
            email=o.email.strip().lower(),
            institution=o.institution,
            institution_is_member=o.institution_is_member,
            listed_publicly=o.listed_publicly,
        )
        for position, o in enumerate(organizers)
    )


def create_draft(*, content: dict, organizers: list[OrganizerData]) -> tuple[Proposal, str]:
    """Save a new draft proposal; returns it with the private link token."""
    with transaction.atomic():
        proposal = Proposal(reference=next_reference())
        _write_content(proposal, content, organizers)
        token = issue_access_link(proposal=proposal)
    return proposal, token


def update_draft(*, proposal: Proposal, content: dict, organizers: list[OrganizerData]) -> Proposal:
    """Organizers edit their answers while the proposal is a draft or changes are requested."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not locked.is_editable_by_organizer:
            raise NotEditable(
                f"{locked.reference} is {locked.get_state_display().lower()}: it can no longer "
                "be changed."
            )
        _write_content(locked, content, organizers)
    return locked


def submit_for_review(*, proposal: Proposal) -> Proposal:
    """The organizer's "Submit" on the check-your-answers page: submit a draft, or resubmit
    after changes were requested."""
    name = "resubmit" if proposal.state == State.CHANGES_REQUESTED else "submit"
    return perform_transition(
        proposal=proposal, name=name, actor=Actor.organizer_link(), expected_state=proposal.state
    )


def proposals_for_email(email: str) -> list[Proposal]:
    return list(Proposal.objects.with_organizer_email(email).order_by("-created_at"))


def changes_since_previous_submission(*, proposal: Proposal) -> list[dict]:
    """Field-by-field differences between the last two submissions, for reviewers."""
    snapshots = list(
        proposal.transitions.filter(transition__in=("submit", "resubmit"))
        .exclude(snapshot=None)
        .order_by("-created_at", "-id")
        .values_list("snapshot", flat=True)[:2]
    )
    if len(snapshots) < 2:
        return []
    current, previous = snapshots
    labels = {f.name: f.verbose_name for f in Proposal._meta.fields}
    changes = []
    for field in (*Proposal.CONTENT_FIELDS, "organizers"):
        before, after = previous.get(field), current.get(field)
        if before != after:
            changes.append(
                {
                    "field": field,
                    "label": str(labels.get(field, "Organizers")).capitalize(),
                    "before": before,
                    "after": after,
                }
            )
    return changes


def email_access_links(*, email: str) -> int:
    """Email a fresh private link for every proposal that names this address, and for every
    listed group whose page it keeps. Answers the same way whether or not the address is
    known; returns how many proposals and groups matched.
    The email goes through the outbox; its links are made when it is sent."""
    from notifications.services import record_access_links

    proposals = proposals_for_email(email)
    with transaction.atomic():
        if proposals:
            record_access_links(email=email, proposals=proposals)
        # The groups this address keeps get their private links too, in their own email.
        groups = send_group_links(email=email)
    return len(proposals) + groups
