"""A meeting in words, in ONE place: its title (the organizers' own, else the group's name
with the date or the rule, so that two meetings never read the same) and its repeat rule as
the stored rule says it ("Every 2 weeks on Wednesday", "On the second Tuesday of each month,
18:00–19:30"). The pages, the JSON, the feeds and the .ics files all read these."""

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Meeting, Repeat


def weekday_name(day: date) -> str:
    return formats.date_format(day, "l")


def ordinal_week(week: int | None) -> str:
    return {
        1: _("first"),
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        -1: _("last"),
    }.get(week, "")


def day_of_month(day: int) -> str:
    suffix = "th" if day in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return _("the %(day)s%(suffix)s") % {"day": day, "suffix": suffix}


def times(meeting: Meeting) -> str:
    return f"{meeting.start_time:%H:%M}–{meeting.end_time:%H:%M}"


def rule_words(meeting: Meeting, *, with_times: bool = True) -> str:
    """The rule the meeting holds, from its stored fields (never from the choice's label)."""
    n = meeting.interval or 1
    weekday = weekday_name(meeting.starts_on)
    if meeting.repeat == Repeat.NEVER:
        words = _("Once, on %(date)s") % {"date": formats.date_format(meeting.starts_on, "l j F Y")}
    elif meeting.repeat == Repeat.WEEKLY:
        if n == 1:
            words = _("Every week on %(weekday)s") % {"weekday": weekday}
        else:
            words = _("Every %(n)s weeks on %(weekday)s") % {"n": n, "weekday": weekday}
    elif meeting.repeat == Repeat.MONTHLY_WEEKDAY:
        words = ngettext(
            "On the %(nth)s %(weekday)s of each month",
            "On the %(nth)s %(weekday)s of every %(n)s months",
            n,
        ) % {"nth": ordinal_week(meeting.week_of_month), "weekday": weekday, "n": n}
    else:
        words = ngettext("On %(day)s of each month", "On %(day)s of every %(n)s months", n) % {
            "day": day_of_month(meeting.starts_on.day),
            "n": n,
        }
    if with_times and meeting.start_time and meeting.end_time:
        words = f"{words}, {times(meeting)}"
    return words


def title(meeting: Meeting, *, day: date | None = None) -> str:
    """The meeting's title: the organizers' own if they set one, else the group's name with
    the date (one date, or one occurrence of a series) or the rule (a whole series)."""
    if meeting.title:
        return meeting.title
    name = meeting.meetup.name
    if day is None and meeting.repeat == Repeat.NEVER:
        day = meeting.starts_on
    if day is not None:
        return _("%(name)s, %(date)s") % {"name": name, "date": formats.date_format(day, "l j F Y")}
    return _("%(name)s: %(rule)s") % {
        "name": name,
        "rule": _lower_first(rule_words(meeting, with_times=False)),
    }


def program_title(meeting: Meeting, *, day: date | None = None) -> str:
    """The title where many groups' meetings mix (the program's feed): an organizers' own
    title gets the group's name in front; the others already start with it."""
    if meeting.title:
        return _("%(name)s: %(title)s") % {"name": meeting.meetup.name, "title": meeting.title}
    return title(meeting, day=day)


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]
