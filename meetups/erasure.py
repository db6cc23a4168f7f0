"""A group's people erased (intake.erasure asks, once the group is archived): who kept its
page, who was named on it, handovers and the names and addresses in its history. The
history keeps its rows (what happened, when), without who."""

from django.db import models

from .models import GroupContact, Handover, Meetup, MeetupEvent, MeetupOrganizer

ERASED = "(erased)"


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
    GroupContact.objects.filter(meetup=meetup).delete()  # their links go with them
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
