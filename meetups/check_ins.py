"""The yearly check-in, answered by an organizer from the group's private page: still
meeting keeps the group listed for another year, stopped closes it (meetups.lifecycle)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from common.actors import ORGANIZER
from common.transitions import NotAvailable

from . import lifecycle
from .models import EventKind, GroupContact, Meetup
from .stewardship import organizer_label


class CheckInAnswered(NotAvailable):
    """The check-in was answered already; the next one is not open yet."""


@dataclass
class CheckInAnswers:
    still_meeting: bool
    meetings_held: int | None
    last_meeting_on: object  # a date or None
    organizers_right: bool
    updates: str = ""

    def as_details(self) -> dict:
        return {
            "still_meeting": self.still_meeting,
            "meetings_held": self.meetings_held,
            "last_meeting_on": self.last_meeting_on.isoformat() if self.last_meeting_on else None,
            "organizers_right": self.organizers_right,
            "updates": self.updates,
        }


def check_in(*, meetup: Meetup, contact: GroupContact, answers: CheckInAnswers, now=None) -> Meetup:
    """The yearly check-in: a group still meeting is active again, with its next check-in a
    year on; one that has stopped is closed (archived). Raises Refused,
    also when the check-in is answered already (a second send changes and sends nothing)."""
    with transaction.atomic():
        locked = lifecycle.lock_group(meetup.pk)
        if lifecycle.check_in_answered(locked):
            raise CheckInAnswered(
                gettext("This year's check-in is done already: nothing was sent again.")
            )
        return lifecycle.run_transition(
            meetup=meetup,
            name=EventKind.CHECK_IN if answers.still_meeting else EventKind.RETIRE,
            actor=ORGANIZER,
            actor_label=organizer_label(contact),
            note=answers.updates.strip(),
            details=answers.as_details(),
            now=now,
        )
