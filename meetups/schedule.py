"""When a group meets: a meeting's rule expanded to dated occurrences, and the limits a
schedule must keep. The pages, the JSON and the calendar feeds all read occurrences from
here, so a feed and a page never disagree.

A rule is kept to what the form offers (weekly or every N weeks; monthly by the nth weekday
or by the day of the month) and is bounded: it must occur at least once, end within
MAX_RANGE_DAYS of its first date, and yield at most MAX_OCCURRENCES dates."""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import meeting_words
from .models import Meeting, MeetingChange, Repeat

MAX_RANGE_DAYS = 731  # two years of meetings at a time; the organizers extend it later
# A series being edited may keep a first date up to a year back (it goes on); never older.
KEPT_START_DAYS = 366
# What the pages and feeds read: a stored date outside this (a row from before the window
# was kept, or written around the service) is left out and logged, never a 500.
READ_FIRST = date(2000, 1, 1)
READ_AHEAD_DAYS = 10 * 366

logger = logging.getLogger(__name__)
MAX_OCCURRENCES = 200
MAX_INTERVAL = 12
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local(day: date, at: time) -> datetime:
    """The aware datetime of a wall-clock time in the program's zone (a time the spring
    change skips comes out an hour later, as calendar apps show it)."""
    aware = datetime.combine(day, at, tzinfo=zone())
    return aware.astimezone(UTC).astimezone(zone())


def exists_on(day: date, at: time) -> bool:
    """Whether the wall-clock time happens on that date in the program's zone (the spring
    change skips an hour)."""
    aware = datetime.combine(day, at, tzinfo=zone())
    return aware.astimezone(UTC).astimezone(zone()).replace(tzinfo=None) == aware.replace(
        tzinfo=None
    )


def clock_problem(day: date, start: time, end: time) -> str:
    """Why a meeting from `start` to `end` on `day` cannot be, once the zone is applied: a
    time the clocks skip that night, or an end not after the start; "" if it can."""
    for at in (start, end):
        if not exists_on(day, at):
            return _(
                "%(time)s does not exist on %(date)s: the clocks go forward an hour that "
                "night (%(zone)s). Choose a time before or after the change."
            ) % {
                "time": at.strftime("%H:%M"),
                "date": formats.date_format(day, "l j F Y"),
                "zone": settings.TIME_ZONE,
            }
    if local(day, end) <= local(day, start):
        return _("The meeting must end after it starts (on the same day).")
    return ""


def _clock_problem_on(meeting: Meeting, dates) -> str:
    for day in dates:
        if problem := clock_problem(day, meeting.start_time, meeting.end_time):
            return problem
    return ""


def rule_parts(meeting: Meeting) -> dict | None:
    """The RRULE as iCalendar parts (icalendar's vRecur takes this dict), or None."""
    if meeting.repeat == Repeat.NEVER:
        return None
    weekday = ICAL_DAYS[meeting.starts_on.weekday()]
    parts = {"FREQ": "WEEKLY" if meeting.repeat == Repeat.WEEKLY else "MONTHLY"}
    if meeting.interval > 1:
        parts["INTERVAL"] = meeting.interval
    if meeting.repeat == Repeat.WEEKLY:
        parts["BYDAY"] = weekday
    elif meeting.repeat == Repeat.MONTHLY_WEEKDAY:
        parts["BYDAY"] = f"{meeting.week_of_month}{weekday}"
    else:
        parts["BYMONTHDAY"] = meeting.starts_on.day
    # UNTIL in UTC, as RFC 5545 asks when DTSTART has a time zone: the end of that local day.
    end = local(meeting.repeat_until, time(23, 59, 59)).astimezone(UTC)
    parts["UNTIL"] = end
    return parts


def rule_dates(meeting: Meeting, *, limit: int = MAX_OCCURRENCES + 1) -> list[date]:
    """The dates a meeting's rule gives (before skips and moves)."""
    if meeting.repeat == Repeat.NEVER:
        return [meeting.starts_on]
    start = datetime.combine(meeting.starts_on, time())
    kwargs = {
        "dtstart": start,
        "interval": meeting.interval,
        "until": datetime.combine(meeting.repeat_until, time()),
    }
    weekday = WEEKDAYS[meeting.starts_on.weekday()]
    if meeting.repeat == Repeat.WEEKLY:
        rule = rrule.rrule(rrule.WEEKLY, byweekday=weekday, **kwargs)
    elif meeting.repeat == Repeat.MONTHLY_WEEKDAY:
        rule = rrule.rrule(rrule.MONTHLY, byweekday=weekday(meeting.week_of_month), **kwargs)
    else:
        rule = rrule.rrule(rrule.MONTHLY, bymonthday=meeting.starts_on.day, **kwargs)
    dates = []
    for when in rule:
        dates.append(when.date())
        if len(dates) >= limit:
            break
    return dates


def schedule_problem(meeting: Meeting) -> str:
    """Why this schedule cannot be published, in words for the organizer; "" if it can."""
    last = timezone.localdate() + timedelta(days=READ_AHEAD_DAYS)
    for day in (meeting.starts_on, meeting.repeat_until):
        if day is not None and not READ_FIRST <= day <= last:
            return _("%(date)s is out of range: choose dates within two years from today.") % {
                "date": formats.date_format(day, "j F Y")
            }
    if meeting.end_time <= meeting.start_time:
        return _("The meeting must end after it starts (on the same day).")
    if meeting.repeat == Repeat.NEVER:
        return _clock_problem_on(meeting, [meeting.starts_on])
    if not meeting.repeat_until:
        return _("Say until when the meeting repeats (at most two years ahead).")
    if meeting.repeat_until < meeting.starts_on:
        return _("The last date comes before the first one: this schedule never occurs.")
    if (meeting.repeat_until - meeting.starts_on).days > MAX_RANGE_DAYS:
        return _("A schedule can run for at most two years; publish the rest later.")
    if not 1 <= meeting.interval <= MAX_INTERVAL:
        return _("Repeat every 1 to 12 weeks or months.")
    if meeting.repeat == Repeat.MONTHLY_WEEKDAY and meeting.week_of_month not in (1, 2, 3, 4, -1):
        return _("Choose the first, second, third, fourth or last weekday of the month.")
    dates = rule_dates(meeting)
    if not dates or dates[0] != meeting.starts_on:
        if meeting.repeat == Repeat.MONTHLY_WEEKDAY:
            return _(
                "The first date does not fit the rule: %(date)s is not the %(rule)s of its "
                "month. Choose a %(rule)s as the first date (the next one is %(fit)s)."
            ) % {
                "date": formats.date_format(meeting.starts_on, "l j F Y"),
                "rule": _nth_weekday_words(meeting),
                "fit": formats.date_format(_next_fitting_date(meeting), "l j F Y"),
            }
        return _("The first date does not fit the rule: this schedule would not occur as written.")
    if len(dates) > MAX_OCCURRENCES:
        return _("This schedule gives more than %(n)s meetings; choose a shorter range.") % {
            "n": MAX_OCCURRENCES
        }
    return _clock_problem_on(meeting, dates)


def _nth_weekday_words(meeting: Meeting) -> str:
    """ "third Thursday": the weekday of the month the organizer chose."""
    return _("%(nth)s %(weekday)s") % {
        "nth": meeting_words.ordinal_week(meeting.week_of_month),
        "weekday": meeting_words.weekday_name(meeting.starts_on),
    }


def _next_fitting_date(meeting: Meeting) -> date:
    """The first date from the chosen one that is the chosen weekday of its month."""
    weekday = WEEKDAYS[meeting.starts_on.weekday()]
    rule = rrule.rrule(
        rrule.MONTHLY,
        dtstart=datetime.combine(meeting.starts_on, time()),
        byweekday=weekday(meeting.week_of_month),
        count=1,
    )
    return rule[0].date()


def window_problem(meeting: Meeting, *, today: date | None = None) -> tuple[str, str]:
    """Why a meeting's first or last date is out of the window meetings are published in
    (at most two years ahead; a first date at most a year back, for a series that goes
    on), as (message, field); ("", "") if both are in it."""
    today = today or timezone.localdate()
    latest = today + timedelta(days=MAX_RANGE_DAYS)
    for field in ("starts_on", "repeat_until"):
        day = getattr(meeting, field)
        if day is not None and day > latest:
            return _(
                "%(date)s is more than two years ahead: choose a date up to %(latest)s "
                "(publish later dates later)."
            ) % {
                "date": formats.date_format(day, "j F Y"),
                "latest": formats.date_format(latest, "j F Y"),
            }, field
    earliest = today - timedelta(days=KEPT_START_DAYS)
    if meeting.starts_on is not None and meeting.starts_on < earliest:
        return _(
            "%(date)s is more than a year ago: choose a first date from %(earliest)s on "
            "(check the year)."
        ) % {
            "date": formats.date_format(meeting.starts_on, "j F Y"),
            "earliest": formats.date_format(earliest, "j F Y"),
        }, "starts_on"
    return "", ""


def moved_date_problem(day: date, *, today: date | None = None) -> str:
    """Why a moved date is out of the window (a year back to two years ahead), or ""."""
    today = today or timezone.localdate()
    if not today - timedelta(days=KEPT_START_DAYS) <= day <= today + timedelta(days=MAX_RANGE_DAYS):
        return _(
            "%(date)s is out of range: choose a date from a year ago to two years ahead, "
            "within four weeks of the date it had."
        ) % {"date": formats.date_format(day, "j F Y")}
    return ""


def readable(meeting: Meeting, *, changes=None) -> bool:
    """Whether every stored date of the meeting is one the pages and feeds can show; one
    that is not is logged (the page leaves the meeting out instead of failing)."""
    if changes is None:
        changes = list(meeting.changes.all())
    last = timezone.localdate() + timedelta(days=READ_AHEAD_DAYS)
    days = [meeting.starts_on, meeting.repeat_until, *(c.new_date for c in changes)]
    bad = [d for d in days if d is not None and not READ_FIRST <= d <= last]
    if bad:
        logger.warning(
            "Meeting %s has a date out of range (%s): left out of pages and feeds",
            meeting.pk,
            ", ".join(d.isoformat() for d in bad),
        )
    return not bad


def past_problem(meeting: Meeting, *, today: date | None = None) -> str:
    """Why a meeting cannot be published for being over: a single date in the past, or a
    series with no date left from today. A series that started earlier and goes on is
    fine. "" if it can."""
    today = today or timezone.localdate()
    if meeting.repeat == Repeat.NEVER:
        if meeting.starts_on < today:
            return _("%(date)s is in the past: choose a date from today on.") % {
                "date": formats.date_format(meeting.starts_on, "l j F Y")
            }
        return ""
    if not any(day >= today for day in rule_dates(meeting)):
        return _(
            "Every date of this schedule is in the past: choose a first date or a last date "
            "so that it meets again from today on."
        )
    return ""


@dataclass(frozen=True)
class Occurrence:
    meeting: Meeting
    original_date: date  # the RECURRENCE-ID: the date the rule gives
    start: datetime
    end: datetime
    venue: str
    address: str
    note: str
    cancelled: bool
    moved: bool

    @property
    def online(self) -> bool:
        return self.meeting.online

    @property
    def in_person(self) -> bool:
        return self.meeting.in_person

    @property
    def join_url(self) -> str:
        return self.meeting.public_join_url

    @property
    def title(self) -> str:
        return meeting_words.title(self.meeting, day=self.start.date())


def meeting_note(meeting: Meeting) -> str:
    """The note members read: the cancellation's while the meeting is cancelled."""
    return (meeting.cancelled and meeting.cancel_note) or meeting.note


def occurrences(meeting: Meeting, *, changes=None) -> list[Occurrence]:
    """Every occurrence of a meeting, skipped dates left out, moved ones at their new time
    and place, cancelled ones marked (the group's page says so; the feed says CANCELLED)."""
    if changes is None:
        changes = list(meeting.changes.all())
    if not readable(meeting, changes=changes):
        return []
    try:
        return _occurrences(meeting, changes)
    except (OverflowError, ValueError):
        logger.warning("Meeting %s has a date out of range: left out", meeting.pk)
        return []


def _occurrences(meeting: Meeting, changes) -> list[Occurrence]:
    by_date = {c.original_date: c for c in changes}
    found = []
    for day in rule_dates(meeting, limit=MAX_OCCURRENCES):
        change = by_date.get(day)
        start, end = local(day, meeting.start_time), local(day, meeting.end_time)
        venue, address, note = meeting.venue, meeting.address, meeting_note(meeting)
        moved = cancelled = False
        if change is not None:
            if change.kind == MeetingChange.Kind.SKIPPED:
                continue
            cancelled = change.kind == MeetingChange.Kind.CANCELLED
            note = change.note or note
            if change.kind == MeetingChange.Kind.MOVED:
                moved = True
                new_day = change.new_date or day
                start = local(new_day, change.start_time or meeting.start_time)
                end = local(new_day, change.end_time or meeting.end_time)
                if change.venue or change.address:
                    # A new place replaces the usual one whole: never a new venue at the
                    # old street address.
                    venue, address = change.venue, change.address
        found.append(
            Occurrence(
                meeting=meeting,
                original_date=day,
                start=start,
                end=end,
                venue=venue,
                address=address,
                note=note,
                cancelled=cancelled or meeting.cancelled,
                moved=moved,
            )
        )
    return sorted(found, key=lambda o: o.start)


def published(meetings) -> list[Meeting]:
    return [m for m in meetings if m.confirmed]


def upcoming(meetings, *, now=None, days: int | None = None) -> list[Occurrence]:
    """Occurrences still to end, soonest first (cancelled ones included, marked), up to
    `days` ahead if given."""
    now = now or timezone.now()
    horizon = now + timedelta(days=days) if days is not None else None
    found = []
    for meeting in published(meetings):
        for occ in occurrences(meeting):
            if occ.end > now and (horizon is None or occ.start <= horizon):
                found.append(occ)
    return sorted(found, key=lambda o: o.start)


def next_meeting(meetings, *, now=None) -> Occurrence | None:
    """The next occurrence that takes place (not cancelled)."""
    for occ in upcoming(meetings, now=now):
        if not occ.cancelled:
            return occ
    return None
