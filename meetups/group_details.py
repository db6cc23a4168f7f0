"""The public details the people who keep a group's page edit (published at once, each
change in the history with its diff), and a program manager's revert of one change."""

from django.db import transaction
from django.utils import timezone

from . import lifecycle
from .listing import normalize_text
from .models import EventKind, Meetup, MeetupEvent
from .stewardship import StewardshipError

# The public details organizers keep, with their labels for the history's diff.
DETAIL_FIELDS = {
    "description": "Public description",
    "url": "Web address",
    "meeting_details": "When and where the group meets",
}


def update_details(
    *,
    meetup: Meetup,
    actor,
    details: dict,
    actor_label: str | None = None,
    kind: str = EventKind.EDIT,
    note: str = "",
) -> MeetupEvent | None:
    """Publish new public details. Returns the history row with the diff, or None when
    nothing changed."""
    clean = {
        "description": normalize_text(details.get("description", "")),
        "url": (details.get("url") or "").strip(),
        "meeting_details": normalize_text(details.get("meeting_details", "")),
    }
    with transaction.atomic():
        locked = lifecycle.lock_group(meetup.pk)
        diff = {
            field: [getattr(locked, field), value]
            for field, value in clean.items()
            if field in details and getattr(locked, field) != value
        }
        if not diff:
            return None
        for field, (_before, after) in diff.items():
            setattr(locked, field, after)
        locked.save(update_fields=[*diff, "updated_at"])
        return lifecycle.record(
            meetup=locked, kind=kind, actor=actor, actor_label=actor_label, details=diff, note=note
        )


def revert_edit(*, event: MeetupEvent, actor) -> MeetupEvent | None:
    """A program manager puts back what one edit replaced."""
    if event.kind not in EventKind.DETAIL_CHANGES or not event.details:
        raise StewardshipError("Only a change to the group's details can be reverted.")
    return update_details(
        meetup=event.meetup,
        actor=actor,
        details={field: before for field, (before, _after) in event.details.items()},
        kind=EventKind.REVERT,
        note=f"Reverted the change of {timezone.localtime(event.created_at):%-d %B %Y, %H:%M}.",
    )
