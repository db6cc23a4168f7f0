"""A group's people erased (intake.erasure asks, once the group is archived): who kept its
page, who was named on it, handovers and the names and addresses in its history. The
history keeps its rows (what happened, when), without who."""

from django.db import models, transaction

from . import lifecycle
from .models import (
    GroupContact,
    GroupLink,
    Handover,
    Lifecycle,
    Meetup,
    MeetupEvent,
    MeetupOrganizer,
)
from .signals import group_people_erasing, group_people_requested

ERASED = "(erased)"


class GroupNotYetErasable(ValueError):
    """The group is still listed, or its data goes with its proposal's; the message says."""


def group_erasable_problem(meetup: Meetup) -> str:
    """Why this group's people cannot be erased from its page yet, or "" when they can."""
    if meetup.proposal_id is not None:
        return (
            "This group came from a proposal: its people's data is erased with the "
            "proposal's, from the proposal's private page or from \u201cYour data\u201d on "
            "the privacy page."
        )
    if meetup.lifecycle != Lifecycle.ARCHIVED:
        return (
            "Your group is still on the directory: it must be closed first (check in and say "
            "it no longer meets, or ask the program staff)."
        )
    return ""


def people_erased(meetup: Meetup) -> bool:
    """Whether the people who kept the group's page had their data erased (with its
    proposal's, or from its page): staff pages say so instead of "nobody yet"."""
    proposal = meetup.proposal if meetup.proposal_id is not None else None
    if proposal is not None and proposal.erased_at is not None:
        return True
    return meetup.links.filter(ended="erased").exists()


def _addresses(meetup: Meetup) -> list[str]:
    found = [e.lower() for e in meetup.contacts.values_list("email", flat=True)]
    found += [e.lower() for e in meetup.handovers.values_list("successor_email", flat=True)]
    return list(dict.fromkeys(found))


def download_group_data(*, meetup: Meetup) -> dict:
    """Everything the program holds about a group's people (a group without a proposal)."""
    data = {"group": group_people(meetup)}
    group_people_requested.send(
        sender=Meetup, meetup=meetup, addresses=_addresses(meetup), into=data
    )
    return data


def erase_group(*, meetup: Meetup) -> None:
    """Erase the people of an archived group without a proposal, and what apps above hold
    about them (the outbox)."""
    with transaction.atomic():
        locked = lifecycle.lock_group(meetup.pk)
        problem = group_erasable_problem(locked)
        if problem:
            raise GroupNotYetErasable(problem)
        addresses = erase_group_people(locked)
        group_people_erasing.send(sender=Meetup, meetup=locked, addresses=addresses)


def group_people(meetup: Meetup) -> dict:
    """Everything this app holds about the people of `meetup`, for their download."""
    return {
        "group": {f: str(getattr(meetup, f) or "") for f in Meetup.PUBLIC_FIELDS},
        "named_on_directory": list(meetup.organizers.values("name", "role_label")),
        "people_who_keep_the_page": [
            {
                "name": c.name,
                "email": c.email,
                "added_at": c.added_at.isoformat(),
                "claimed_at": c.claimed_at.isoformat() if c.claimed_at else None,
            }
            for c in meetup.contacts.all()
        ],
        "handovers": list(
            meetup.handovers.values("from_name", "successor_name", "successor_email", "status")
        ),
        "history": [
            {
                "when": e.created_at.isoformat(),
                "what": e.kind,
                "by": e.actor_label,
                "note": e.note,
                "details": e.details,
            }
            for e in meetup.history.all()
        ],
    }


def erase_group_people(meetup: Meetup) -> list[str]:
    """Erase the people of an archived group; returns the addresses erased (for the
    outbox). The history's rows stay, blanked: a plain queryset, as only erasure may."""
    addresses = [e.lower() for e in meetup.contacts.values_list("email", flat=True)]
    addresses += [e.lower() for e in meetup.handovers.values_list("successor_email", flat=True)]
    # Their links stay, ended, with no person: an old link says the data was erased (410)
    # instead of "not found".
    GroupLink.objects.filter(meetup=meetup, contact__isnull=False).update(
        contact=None, ended="erased"
    )
    GroupContact.objects.filter(meetup=meetup).delete()
    # An archived group's name goes too: no directory shows it any more.
    if meetup.lifecycle == Lifecycle.ARCHIVED:
        Meetup.objects.filter(pk=meetup.pk).update(name=ERASED)
        meetup.name = ERASED
    MeetupOrganizer.objects.filter(meetup=meetup).delete()
    Handover.objects.filter(meetup=meetup).update(
        from_name=ERASED, successor_name=ERASED, successor_email="erased@erased.invalid"
    )
    history = models.QuerySet(MeetupEvent).filter(meetup=meetup)
    history.filter(actor_label__startswith="Organizer ").update(
        actor_label="Organizer", note="", details=None
    )
    history.update(note="", details=None)
    return addresses
