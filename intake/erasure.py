"""People control their data: from their private link, organizers download everything the
program holds about them and, once their proposal has ended (and its group, if approved,
is archived), have it erased. Erasure removes names, addresses and answers and keeps the
histories' shape, as deleting a draft does: each history row stays (what happened and
when) without who or what they wrote. The report's frozen figures hold counts only and do
not change.

A proposal is its organizers' joint work: erasure asked by one of them erases the
proposal's personal data as a whole (every organizer's name and address, every answer).
Apps above this one let go of theirs on `personal_data_erasing` (the outbox, comments)."""

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from meetups.erasure import erase_group_people, group_people
from meetups.models import Lifecycle, Meetup

from .models import Answer, IntroductionRequest, Organizer, Proposal, ProposalTransition, State
from .services import OVERLAPS_SHOWN
from .signals import personal_data_erased, personal_data_erasing, personal_data_requested

ERASED_NAME = "(erased)"
# What a record of similar proposals shown says instead of an erased one's name.
ERASED_MATCH = "an erased proposal"
# Answers a proposal must have are blanked; the rest of its words go too.
ERASED_TEXT_FIELDS = [
    f
    for f in Proposal.CONTENT_FIELDS
    if f != "name" and isinstance(Proposal._meta.get_field(f), models.CharField | models.TextField)
]


class NotYetErasable(ValueError):
    """The proposal is still open, or its group still listed; the message says why."""


def _group(proposal: Proposal) -> Meetup | None:
    return Meetup.objects.filter(proposal=proposal).first()


def erasable_problem(proposal: Proposal) -> str:
    """Why the proposal's data cannot be erased yet, or "" when it can."""
    if proposal.state == State.DRAFT:
        return "Discard the draft instead: it is deleted with everything in it."
    if not proposal.has_ended:
        return "Your proposal is still open: withdraw it first, or wait for the decision."
    group = _group(proposal)
    if group is not None and group.lifecycle != Lifecycle.ARCHIVED:
        return "Your group is still on the directory: close it from its private page first."
    return ""


def download_data(*, proposal: Proposal) -> dict:
    """Everything the program holds about this proposal's organizers."""
    data = {
        "proposal": {
            "reference": proposal.reference,
            "state": proposal.state,
            "created_at": proposal.created_at.isoformat(),
            "submitted_at": proposal.submitted_at.isoformat() if proposal.submitted_at else None,
            "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
            **proposal.snapshot(),
        },
        "history": [
            {
                "when": t.created_at.isoformat(),
                "what": t.transition,
                "by": t.actor_label,
                "note": t.note,
                "snapshot": t.snapshot,
            }
            for t in proposal.transitions.all()
        ],
    }
    group = _group(proposal)
    data["consent"] = _consent(proposal, group)
    if group is not None:
        data["group"] = group_people(group)
    personal_data_requested.send(sender=Proposal, proposal=proposal, into=data)
    return data


def _consent(proposal: Proposal, group: Meetup | None) -> dict:
    """The choices each organizer made about being named, in words."""
    named = set(group.organizers.values_list("name", flat=True)) if group else set()
    confirmed = (
        {e.details.get("name") for e in group.history.filter(kind="name_confirmed") if e.details}
        if group
        else set()
    )
    pending = (
        set(group.contacts.filter(name_pending=True).values_list("name", flat=True))
        if group
        else set()
    )
    declined = (
        {
            e.details.get("name"): timezone.localdate(e.created_at)
            for e in group.history.filter(kind="name_declined")
            if e.details
        }
        if group
        else {}
    )

    def on_directory(organizer) -> str:
        if not organizer.listed_publicly:
            return "no: chose not to be named"
        if group is None:
            if proposal.has_ended:
                return "no longer applies: the proposal ended without becoming a group"
            return "yes, if the group is approved"
        if organizer.name in pending:
            return "asked, waiting for their answer"
        if organizer.name in named:
            return "yes, confirmed from their own email" if organizer.name in confirmed else "yes"
        if organizer.name in declined:
            day = date_format(declined[organizer.name], "j F Y")
            return f"no: declined from their own email on {day}"
        return "no"

    return {
        "proposal_name_shown_to_people_proposing_something_similar": (
            proposal.shares_name_with_similar
        ),
        "organizers": [
            {"name": o.name, "name_on_the_directory": on_directory(o)}
            for o in proposal.organizers.all()
        ],
    }


def _forget_in_overlap_records(proposal: Proposal, group: Meetup | None) -> None:
    """In every other proposal's record of what check your answers showed, this proposal
    (or its group, if it was listed then) becomes "an erased proposal". Only that part of
    the history rows changes (on PostgreSQL the trigger lets exactly this through:
    intake 0020)."""
    group_url = group.get_absolute_url() if group is not None else None
    # Only the records that mention it (the key's text holds its reference or address):
    # the nightly retention erases many proposals, each must not read every history row.
    mentions = Q(**{f"snapshot__{OVERLAPS_SHOWN}__icontains": proposal.reference})
    if group_url:
        mentions |= Q(**{f"snapshot__{OVERLAPS_SHOWN}__icontains": group_url})
    records = (
        ProposalTransition.objects.filter(mentions)
        .exclude(proposal=proposal)
        .only("pk", "snapshot")
    )
    for record in records.iterator():
        matches, changed = record.snapshot[OVERLAPS_SHOWN], False
        for match in matches:
            if (
                match.get("kind") == "proposal" and match.get("reference") == proposal.reference
            ) or (group_url and match.get("kind") == "group" and match.get("url") == group_url):
                match.update(
                    kind="proposal",
                    name=ERASED_MATCH,
                    url="",
                    reference=proposal.reference,
                    erased=True,
                )
                changed = True
        if changed:
            models.QuerySet(ProposalTransition).filter(pk=record.pk).update(
                snapshot={**record.snapshot, OVERLAPS_SHOWN: matches}
            )


def erase(*, proposal: Proposal) -> None:
    """Erase the proposal's personal data (see the module's docstring)."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        problem = erasable_problem(proposal)
        if problem:
            raise NotYetErasable(problem)
        organizers = [o.email.lower() for o in proposal.organizers.all()]
        addresses = list(organizers)
        group = _group(proposal)
        if group is not None:
            addresses += erase_group_people(group)
        personal_data_erasing.send(sender=Proposal, proposal=proposal, addresses=addresses)
        for organizer in proposal.organizers.all():
            Organizer.objects.filter(pk=organizer.pk).update(
                name=ERASED_NAME,
                email=f"erased-{organizer.pk}@erased.invalid",
                institution="",
                listed_publicly=False,
            )
        Answer.objects.filter(proposal=proposal).update(value="")
        # Who asked to be introduced to it: their details were for its organizers.
        IntroductionRequest.objects.filter(proposal=proposal).delete()
        for field in ERASED_TEXT_FIELDS:
            setattr(proposal, field, "")
        # Its name too (the reference stays): it named its proposers' plans, and once the
        # group is archived no directory shows it. Other proposals' records of what their
        # organizers were shown lose it as well.
        _forget_in_overlap_records(proposal, group)
        proposal.name = ""
        proposal.erased_at = timezone.now()
        proposal.save(update_fields=[*ERASED_TEXT_FIELDS, "name", "erased_at", "updated_at"])
        # The private links stay (only their tokens' hashes, nobody's data): they answer
        # that the proposal's data was erased (intake.access) instead of "no such link".
        # The history keeps its rows; only erasure may touch them (a plain queryset, and on
        # PostgreSQL the trigger lets exactly this through: intake 0015).
        models.QuerySet(ProposalTransition).filter(proposal=proposal).update(
            note="", snapshot={"erased": True}
        )
        personal_data_erased.send(sender=Proposal, proposal=proposal, addresses=organizers)
