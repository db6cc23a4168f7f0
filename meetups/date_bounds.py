"""The bounds of a date on which a group met (the check-in's "last meeting"), in one place
for every form where organizers or staff enter such a date: not before the group's previous
confirmation (its last check-in, else the day it was listed after approval), not after
today. An imported group with neither has only the program's fixed floor."""

from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# The earliest date any group in the program can have met. No record says when a group
# began: one imported from the council's listing met for years before it was imported,
# and a proposed group may have met informally before its proposal. So the bound is the
# same for every group; a date before it is a mistyped year.
PROGRAM_BEGAN = date(2000, 1, 1)


def previous_confirmation(meetup) -> date | None:
    """The day the group was last confirmed as meeting: its last check-in or its approval
    (last_confirmed_at), else the day its approved proposal listed it; None for an
    imported group never checked in."""
    if meetup is None:
        return None
    if meetup.last_confirmed_at is not None:
        return timezone.localdate(meetup.last_confirmed_at)
    if meetup.proposal_id is not None and meetup.created_at is not None:
        return timezone.localdate(meetup.created_at)
    return None


def group_began(meetup) -> date:
    """The first day a meeting asked about can have taken place on."""
    return previous_confirmation(meetup) or PROGRAM_BEGAN


def past_meeting_window(meetup, *, today=None) -> tuple[date, date]:
    """The first and last dates a meeting of the group can have taken place on."""
    return group_began(meetup), today or timezone.localdate()


def past_meeting_problem(value: date, *, meetup, today=None) -> str:
    """What is wrong with `value` as the date of a meeting that took place ("" if nothing)."""
    first, last = past_meeting_window(meetup, today=today)
    if value > last:
        return _(
            "%(date)s is in the future: enter the date of a meeting that has taken place, "
            "today (%(today)s) or earlier."
        ) % {"date": date_format(value), "today": date_format(last)}
    if value < first and previous_confirmation(meetup) is not None:
        return _(
            "%(date)s is before the group was last confirmed as meeting (when it was listed, "
            "or at its last check-in): enter a date from %(first)s on."
        ) % {"date": date_format(value), "first": date_format(first)}
    if value < first:
        return _(
            "%(date)s is before the group existed: enter a date from %(first)s on (check the year)."
        ) % {"date": date_format(value), "first": date_format(first)}
    return ""


def bound_past_meeting_field(field, *, meetup, today=None) -> None:
    """Give a form's date field the window as min and max, so the date picker offers it."""
    first, last = past_meeting_window(meetup, today=today)
    field.widget.attrs.update(min=first.isoformat(), max=last.isoformat())
