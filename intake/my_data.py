"""A person's data across everything they are named on (/privacy/my-data/): they enter their
address, get an emailed link (a signed token carrying the address, made when the email is
sent: notifications fills the placeholder), and from it download everything held about them
and erase all of it that may be erased. The rules are each item's own (intake.erasure for a
proposal, meetups.erasure for a group without one); this module only gathers them."""

from dataclasses import dataclass

from django.db import transaction

from common import opaque
from meetups.erasure import (
    GroupNotYetErasable,
    download_group_data,
    erase_group,
    group_erasable_problem,
)
from meetups.models import Meetup

from . import erasure, introductions
from .models import Proposal
from .signals import my_data_link_requested

# How long an emailed link works (seconds).
LINK_MAX_AGE = 24 * 3600
SALT = "intake.my_data"


def make_token(email: str) -> str:
    """Sealed, not signed: the address cannot be read from the link (common.opaque)."""
    return opaque.seal(email.strip().lower(), purpose=SALT)


def email_for_token(token: str) -> str | None:
    """The address a link was made for, or None for a forged or expired one."""
    if not token or len(token) > 400:
        return None
    email = opaque.unseal(token, purpose=SALT, max_age=LINK_MAX_AGE)
    return email if isinstance(email, str) else None


def _proposals(email: str) -> list[Proposal]:
    return list(
        Proposal.objects.with_organizer_email(email)
        .filter(erased_at=None)
        .order_by("-created_at", "-pk")
    )


def _groups(email: str) -> list[Meetup]:
    """Groups whose page this address keeps, except those from a proposal naming it (they
    go with that proposal): imported groups, and groups from someone else's proposal."""
    return list(
        Meetup.objects.filter(contacts__email__iexact=email)
        .exclude(proposal__in=Proposal.objects.with_organizer_email(email))
        .select_related("proposal")
        .distinct()
        .order_by("name", "pk")
    )


def _group_problem(group: Meetup) -> str:
    """Why a group cannot be erased yet: a group from a proposal by its proposal's rule."""
    if group.proposal_id is not None:
        return erasure.erasable_problem(group.proposal)
    return group_erasable_problem(group)


def _erase_group(group: Meetup) -> None:
    """A group from a proposal is erased with its proposal (the same rule and the same
    erasure as from the proposal's page); an imported one from its own."""
    if group.proposal_id is not None:
        erasure.erase(proposal=group.proposal)
    else:
        erase_group(meetup=group)


def send_link(*, email: str) -> bool:
    """Email the link if anything is held about the address; the caller answers the same
    way either way. Returns whether it was sent."""
    email = email.strip().lower()
    if not _proposals(email) and not _groups(email) and not introductions.asked_by(email=email):
        return False
    with transaction.atomic():
        my_data_link_requested.send(sender=Proposal, email=email)
    return True


@dataclass
class Item:
    kind: str  # "proposal" or "group"
    name: str
    reference: str
    problem: str  # why it cannot be erased yet, "" when it can
    erased: bool = False

    @property
    def is_proposal(self) -> bool:
        return self.kind == "proposal"


def items(*, email: str) -> list[Item]:
    """What is held about this address, each with whether it can be erased now."""
    found = [
        Item(
            kind="proposal",
            name=p.name or p.reference,
            reference=p.reference,
            problem=erasure.erasable_problem(p),
        )
        for p in _proposals(email)
    ]
    found += [
        Item(kind="group", name=g.name, reference=g.slug, problem=_group_problem(g))
        for g in _groups(email)
    ]
    return found


def download_all(*, email: str) -> dict:
    return {
        "address": email,
        "proposals": [erasure.download_data(proposal=p) for p in _proposals(email)],
        "groups": [download_group_data(meetup=g) for g in _groups(email)],
        "introductions_asked": introductions.asked_by(email=email),
    }


def erase_all(*, email: str) -> list[Item]:
    """Erase each item that may be erased; returns every item, with what happened."""
    done = []
    for proposal in _proposals(email):
        item = Item("proposal", proposal.name or proposal.reference, proposal.reference, "")
        try:
            erasure.erase(proposal=proposal)
            item.erased = True
        except erasure.NotYetErasable as exc:
            item.problem = str(exc)
        done.append(item)
    for group in _groups(email):
        item = Item("group", group.name, group.slug, "")
        try:
            _erase_group(group)
            item.erased = True
        except (GroupNotYetErasable, erasure.NotYetErasable) as exc:
            item.problem = str(exc)
        done.append(item)
    return done
