"""The bounds of a date on which a group met (the check-in's "last meeting"), in one place
for every form where organizers or staff enter such a date: not before the group existed,
not after today."""

from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# The earliest date any group in the program can have met. No record says when a group
# began: one imported from the council's listing met for years before it was imported,
# and a proposed group may have met informally before its proposal. So the bound is the
# same for every group; a date before it is a mistyped year.
PROGRAM_BEGAN = date(2000, 1, 1)


def group_began(meetup) -> date:
    """The first day the group can have met."""
    return PROGRAM_BEGAN


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
    if value < first:
        return _(
            "%(date)s is before the group existed: enter a date from %(first)s on (check the year)."
        ) % {"date": date_format(value), "first": date_format(first)}
    return ""


def bound_past_meeting_field(field, *, meetup, today=None) -> None:
    """Give a form's date field the window as min and max, so the date picker offers it."""
    first, last = past_meeting_window(meetup, today=today)
    field.widget.attrs.update(min=first.isoformat(), max=last.isoformat())
