"""Business rules for proposals. Views parse requests and call these functions.

`PROPOSAL_REVIEW` describes the proposal's state machine to the one transition runner
(common.transitions); `run_transition` is the only code that changes a proposal's state.
"""

import dataclasses
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common import transitions
from common.actors import Actor
from common.transitions import Refused
from meetups.services import list_approved_proposal, lock_directory
from meetups.stewardship import send_group_links

from . import overlap, questions
from .models import (
    AccessLink,
    Organizer,
    Proposal,
    ProposalTransition,
    ReferenceCounter,
    State,
    hash_token,
)
from .signals import access_links_requested, draft_started, proposal_transitioned
from .workflow import CONDITION_MESSAGES, Transition


class ProposalChanged(Refused):
    """Someone else changed the proposal since the page was loaded (the page shows the
    proposal as it is now)."""

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


# The snapshot's key for the similar groups and proposals the organizers were shown.
OVERLAPS_SHOWN = "overlaps_shown"


def overlaps_shown_now(proposal: Proposal) -> list[dict]:
    """The similar groups and proposals check your answers lists for `proposal` now."""
    found = overlap.find_overlaps(
        name=proposal.name, description=proposal.description, exclude_reference=proposal.reference
    )
    return [dataclasses.asdict(match) for match in found]


def overlaps_shown_at_submission(*, proposal: Proposal) -> list[overlap.Match] | None:
    """What the organizers were shown as they last submitted, or None when that submission
    was made before it was kept."""
    snapshot = (
        proposal.transitions.filter(transition__in=(Transition.SUBMIT, Transition.RESUBMIT))
        .order_by("-created_at", "-id")
        .values_list("snapshot", flat=True)
        .first()
    )
    if not snapshot or OVERLAPS_SHOWN not in snapshot:
        return None
    return [overlap.Match(**match) for match in snapshot[OVERLAPS_SHOWN]]


def _lock_what_conditions_read(name: str) -> None:
    """Locks taken first in a transition's transaction, before its conditions are checked.
    Approving checks that no listed group has the name: without the directory's lock, two
    approvals of one name at once would each find it free and both be listed. With it, the
    second waits for the first, then is refused with the condition's message."""
    if name == Transition.APPROVE:
        lock_directory()


def _keep_overlaps_shown(step: transitions.Step) -> None:
    # What check your answers listed as the organizers submitted, kept for reviewers;
    # found before the save, which makes the index be rebuilt with this proposal in it.
    if step.facts.get("snapshot"):
        step.options["shown"] = overlaps_shown_now(step.obj)


def _record(step: transitions.Step) -> ProposalTransition:
    shown, actor = step.options.get("shown"), step.actor
    return ProposalTransition.objects.create(
        proposal=step.obj,
        transition=step.name,
        from_state=step.from_state,
        to_state=step.obj.state,
        actor=actor.user if actor.user is not None else None,
        actor_label=actor.label,
        note=step.note,
        snapshot={**step.obj.snapshot(), OVERLAPS_SHOWN: shown} if shown is not None else None,
    )


def _after_transition(step: transitions.Step, record: ProposalTransition) -> None:
    """Side effects that belong to the same database transaction as the state change: the
    listed group here, the rest (the emails) by whoever listens to proposal_transitioned."""
    if record.transition == Transition.APPROVE:
        list_approved_proposal(proposal=step.obj)
    proposal_transitioned.send(sender=Proposal, proposal=step.obj, record=record)


PROPOSAL_REVIEW = transitions.Machine(
    model=Proposal,
    field="state",
    names=tuple(Transition),
    lock=lambda pk: Proposal.objects.select_for_update().get(pk=pk),
    record=_record,
    title=lambda proposal: proposal.reference,
    condition_messages=CONDITION_MESSAGES,
    lock_first=_lock_what_conditions_read,
    prepare=_keep_overlaps_shown,
    after=_after_transition,
    changed=ProposalChanged,
    unmet_words="{title} cannot be {past} yet: {unmet}.",
    note_missing="Write a message to the organizers to {label}: {asks}.",
)


def available_transitions(*, proposal: Proposal, actor: Actor) -> list[str]:
    """Names of the transitions this actor may take now (source, conditions and
    permission all met), in the order of the Transition names."""
    return transitions.available(PROPOSAL_REVIEW, obj=proposal, actor=actor)


def transition_refusal(
    *, proposal: Proposal, name: str, actor: Actor, note: str = "", expected_state=None
) -> Refused | None:
    """Why run_transition would refuse, asked of the proposal as loaded, changing nothing
    (a page's dry run before it asks for confirmation); None when it would go ahead."""
    return transitions.refusal(
        PROPOSAL_REVIEW,
        obj=proposal,
        name=name,
        actor=actor,
        note=note,
        expected_state=expected_state,
    )


def run_transition(
    *,
    proposal: Proposal,
    name: str,
    actor: Actor,
    note: str = "",
    expected_state: str | None = None,
) -> Proposal:
    """Run transition `name` on `proposal` for `actor` through the one runner
    (common.transitions.perform), in one database transaction: lock what the conditions
    read and the row, check source, permission and conditions, transition, save, append
    the audit record and the side effects (listed group, notifications). Raises Refused
    and changes nothing when the transition cannot happen. Returns the saved proposal."""
    return transitions.perform(
        PROPOSAL_REVIEW,
        obj=proposal,
        name=name,
        actor=actor,
        note=note,
        expected_state=expected_state,
    )


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


def _write_content(
    proposal: Proposal,
    content: dict,
    organizers: list[OrganizerData],
    answers: dict[int, str] | None = None,
) -> None:
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
    if answers:
        questions.save_answers(proposal=proposal, answers=answers)


def create_draft(
    *,
    content: dict,
    organizers: list[OrganizerData],
    answers: dict[int, str] | None = None,
    send_link: bool = False,
) -> tuple[Proposal, str]:
    """Save a new draft proposal; returns it with the private link token. `answers` are to
    the staff-managed questions, by question id. With `send_link` (the public form) its
    primary contact is emailed its private link (draft_started), so they can come back to it."""
    with transaction.atomic():
        proposal = Proposal(reference=next_reference())
        _write_content(proposal, content, organizers, answers)
        token = issue_access_link(proposal=proposal)
        if send_link:
            draft_started.send(sender=Proposal, proposal=proposal)
    return proposal, token


def update_draft(
    *,
    proposal: Proposal,
    content: dict,
    organizers: list[OrganizerData],
    answers: dict[int, str] | None = None,
) -> Proposal:
    """Organizers edit their answers while the proposal is a draft or changes are requested."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not locked.is_editable_by_organizer:
            raise NotEditable(
                f"{locked.reference} is {locked.get_state_display().lower()}: it can no longer "
                "be changed."
            )
        _write_content(locked, content, organizers, answers)
    return locked


def submit_for_review(*, proposal: Proposal) -> Proposal:
    """The organizer's "Submit" on the check-your-answers page: submit a draft, or resubmit
    after changes were requested."""
    name = Transition.RESUBMIT if proposal.state == State.CHANGES_REQUESTED else Transition.SUBMIT
    return run_transition(
        proposal=proposal, name=name, actor=Actor.organizer_link(), expected_state=proposal.state
    )


def proposals_for_email(email: str) -> list[Proposal]:
    return list(Proposal.objects.with_organizer_email(email).order_by("-created_at"))


def changes_since_previous_submission(*, proposal: Proposal) -> list[dict]:
    """Field-by-field differences between the last two submissions, for reviewers."""
    snapshots = list(
        proposal.transitions.filter(transition__in=(Transition.SUBMIT, Transition.RESUBMIT))
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
    # Answers to staff-managed questions, labelled as they were asked.
    before_answers, after_answers = previous.get("answers", {}), current.get("answers", {})
    for key in sorted({*before_answers, *after_answers}, key=int):
        before, after = before_answers.get(key, {}), after_answers.get(key, {})
        if before.get("value", "") != after.get("value", ""):
            changes.append(
                {
                    "field": f"question-{key}",
                    "label": after.get("label") or before.get("label", ""),
                    "before": before.get("value", ""),
                    "after": after.get("value", ""),
                }
            )
    return changes


def email_access_links(*, email: str) -> int:
    """Email a fresh private link for every proposal that names this address, and for every
    listed group whose page it keeps. Answers the same way whether or not the address is
    known; returns how many proposals and groups matched. The emails go through the outbox
    (notifications listens to access_links_requested and to meetups' group_links_requested);
    their links are made when they are sent."""
    proposals = proposals_for_email(email)
    with transaction.atomic():
        access_links_requested.send(sender=Proposal, email=email, proposals=proposals)
        # The groups this address keeps get their private links too, in their own email.
        groups = send_group_links(email=email)
    return len(proposals) + groups


def email_group_page_links(*, proposal) -> int | None:
    """From an approved proposal's page to its group's private page: each person who keeps
    the group now is emailed their own link (stewardship.send_group_links). The proposal's
    link is shared by everyone it ever named, including people since removed or who handed
    over, so it never opens the group's page itself. Returns how many people were emailed,
    None without a group."""
    meetup = getattr(proposal, "meetup", None)
    if proposal.state != State.APPROVED or meetup is None:
        return None
    emails = sorted({c.email.strip().lower() for c in meetup.contacts.all()})
    with transaction.atomic():
        for email in emails:
            send_group_links(email=email)
    return len(emails)
