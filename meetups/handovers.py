"""Handing a group's page over: an organizer names a successor, who accepts from their own
email and keeps the page in their place; the organizer or a program manager may cancel the
offer while it waits. Each is one transaction that locks the group and appends to its
history (meetups.lifecycle.record), which announces it to notifications."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from common.actors import ORGANIZER

from . import lifecycle
from .models import EventKind, GroupContact, GroupLink, Handover, Meetup, MeetupOrganizer
from .stewardship import (
    StewardshipError,
    end_links,
    lock_for_newcomer,
    name_on_directory,
    organizer_label,
)


def offer_handover(
    *, contact: GroupContact, successor_name: str, successor_email: str, message: str = ""
) -> Handover:
    """Name a successor; they get an email with a link to accept. An earlier offer from the
    same person is cancelled."""
    name, email = " ".join(successor_name.split()), successor_email.strip().lower()
    with transaction.atomic():
        locked = lock_for_newcomer(contact.meetup_id, email)
        Handover.objects.filter(
            meetup=locked, from_contact=contact, status=Handover.Status.PENDING
        ).update(status=Handover.Status.CANCELLED, decided_at=timezone.now())
        handover = Handover.objects.create(
            meetup=locked,
            from_contact=contact,
            from_name=contact.name,
            successor_name=name,
            successor_email=email,
        )
        lifecycle.record(
            meetup=locked,
            kind=EventKind.HANDOVER_OFFERED,
            actor=ORGANIZER,
            actor_label=organizer_label(contact),
            note=message.strip(),
            details={
                "from_name": contact.name,
                "to_name": name,
                "email": email,
                "message": message.strip(),
            },
        )
    return handover


def cancel_handover(*, handover: Handover, actor, actor_label: str | None = None) -> None:
    """The organizer who offered a handover, or a program manager, takes it back: the
    successor's link stops opening it and they are told."""
    with transaction.atomic():
        locked = lifecycle.lock_group(handover.meetup_id)
        changed = Handover.objects.filter(pk=handover.pk, status=Handover.Status.PENDING).update(
            status=Handover.Status.CANCELLED, decided_at=timezone.now()
        )
        if not changed:
            raise StewardshipError("This handover was cancelled or has been accepted already.")
        lifecycle.record(
            meetup=locked,
            kind=EventKind.HANDOVER_CANCELLED,
            actor=actor,
            actor_label=actor_label,
            details={
                "from_name": handover.from_name,
                "from_email": handover.from_contact.email if handover.from_contact else "",
                "to_name": handover.successor_name,
                "email": handover.successor_email,
            },
        )


def accept_handover(*, link: GroupLink, show_name: bool) -> GroupContact:
    """The successor accepts from their link: they keep the page in place of the person who
    named them, and the same link now opens the group's page for them. The former
    organizer's name leaves the directory; the successor's is shown only if they agree
    (`show_name`, the question co-organizers are asked)."""
    with transaction.atomic():
        locked = lifecycle.lock_group(link.meetup_id)
        handover = Handover.objects.select_for_update().get(pk=link.handover_id)
        if handover.status != Handover.Status.PENDING:
            raise StewardshipError("This handover was cancelled or has been accepted already.")
        former = locked.contacts.filter(pk=handover.from_contact_id).first()
        if former is None:
            # Whoever offered it no longer keeps the group, so has nothing to hand over;
            # the offer is closed (committed) and the successor told so.
            handover.status, handover.decided_at = Handover.Status.CANCELLED, timezone.now()
            handover.save(update_fields=["status", "decided_at"])
        else:
            successor = _take_over(locked, handover, former, link, show_name=show_name)
    if former is None:
        raise StewardshipError(
            gettext(
                "This handover was withdrawn: the person who offered it no longer keeps the group."
            )
        )
    return successor


def _take_over(
    locked: Meetup, handover: Handover, former: GroupContact, link, *, show_name: bool
) -> GroupContact:
    """In the caller's transaction, with the group locked: the successor takes the former
    organizer's place."""
    position = former.position
    successor, _ = GroupContact.objects.get_or_create(
        meetup=locked,
        email=handover.successor_email,
        defaults={
            "name": handover.successor_name,
            "position": position,
            "claimed_at": timezone.now(),
        },
    )
    end_links(former, "handed_over", handover)
    former.delete()
    shown = MeetupOrganizer.objects.filter(meetup=locked, name=handover.from_name).first()
    if shown is not None and show_name:
        shown.name = handover.successor_name  # in the former organizer's place
        shown.save(update_fields=["name"])
    elif shown is not None:
        shown.delete()
    elif show_name:
        name_on_directory(locked, handover.successor_name)
    locked.save(update_fields=["updated_at"])
    handover.status, handover.decided_at = Handover.Status.ACCEPTED, timezone.now()
    handover.save(update_fields=["status", "decided_at"])
    GroupLink.objects.filter(pk=link.pk).update(contact=successor)
    lifecycle.record(
        meetup=locked,
        kind=EventKind.HANDOVER_ACCEPTED,
        actor=ORGANIZER,
        actor_label=f"Organizer {successor.name}",
        details={
            "from_name": handover.from_name,
            "to_name": successor.name,
            "former_email": former.email,
            "shown_publicly": show_name,
        },
    )
    return successor
