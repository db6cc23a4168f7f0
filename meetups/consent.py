"""Named only with consent: a person someone else put forward to be named on the directory
(a co-organizer listed on a proposal, someone an organizer or program manager adds) is
named once they confirm from the private link in their own email; declining removes them
from the group. Imported groups' names came from the council's own public page and stay
as they were (see docs/privacy.md)."""

from django.db import transaction
from django.utils import timezone

from . import lifecycle
from .models import EventKind, GroupContact
from .stewardship import _remove, name_on_directory


class ConsentError(ValueError):
    """The person's answer cannot be taken; the message says why."""


def confirm_name(*, contact: GroupContact) -> None:
    """The person agrees to be named on the directory."""
    with transaction.atomic():
        locked = lifecycle.lock_group(contact.meetup_id)
        contact = locked.contacts.filter(pk=contact.pk, name_pending=True).first()
        if contact is None:
            raise ConsentError("There is nothing left to confirm.")
        contact.name_pending = False
        contact.save(update_fields=["name_pending"])
        name_on_directory(locked, contact.name)
        locked.save(update_fields=["updated_at"])  # the directory shows it at once
        lifecycle.record(
            meetup=locked,
            kind=EventKind.NAME_CONFIRMED,
            actor=None,
            actor_label=f"Organizer {contact.name}",
            details={"name": contact.name},
        )


def decline_name(*, contact: GroupContact) -> None:
    """The person does not agree: they leave the group's people and are never named. (No
    minimum of organizers applies: nobody keeps a group they did not agree to.)"""
    with transaction.atomic():
        locked = lifecycle.lock_group(contact.meetup_id)
        contact = locked.contacts.filter(pk=contact.pk, name_pending=True).first()
        if contact is None:
            raise ConsentError("There is nothing left to decline.")
        _remove(locked, contact, "declined")
        lifecycle.record(
            meetup=locked,
            kind=EventKind.NAME_DECLINED,
            actor=None,
            actor_label=f"Organizer {contact.name}",
            details={"name": contact.name},
        )


def name_answers(meetup) -> tuple[set[str], list[tuple[str, object]]]:
    """The names shown on the directory, and who said no to being named (name, date):
    the group's private page says where each organizer stands."""
    named = set(meetup.organizers.values_list("name", flat=True))
    declined = [
        (e.details.get("name"), timezone.localdate(e.created_at))
        for e in meetup.history.filter(kind=EventKind.NAME_DECLINED).order_by("created_at", "id")
        if e.details and e.details.get("name")
    ]
    return named, declined
