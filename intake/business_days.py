"""The reply date promised to organizers, and how close it is.

On submission and resubmission a proposal is promised a reply within REVIEW_DAYS business
days: weekends, the public holidays of the program's place (REVIEW_HOLIDAYS, e.g. "US-NY",
from the maintained `holidays` package) and the council's own closure dates
(REVIEW_CLOSURE_DATES, added on top) do not count.
Functions take the date to count from, so tests (and callers) control the clock.
"""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

SATURDAY = 5


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdiv: str | None, year: int) -> frozenset:
    if not country:
        return frozenset()
    try:
        return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year))
    except NotImplementedError as exc:  # an unknown country or subdivision code
        raise ImproperlyConfigured(
            f"REVIEW_HOLIDAYS: no public holidays known for {country!r}"
            + (f" / {subdiv!r}" if subdiv else "")
            + f" ({exc})"
        ) from None


def public_holidays(year: int) -> frozenset:
    """The public holidays of the program's place in `year` (observed dates included)."""
    country, _, subdiv = settings.REVIEW_HOLIDAYS.partition("-")
    return _public_holidays(country, subdiv or None, year)


def is_business_day(day: datetime.date, *, closures=None) -> bool:
    closures = settings.REVIEW_CLOSURE_DATES if closures is None else closures
    return day.weekday() < SATURDAY and day not in closures and day not in public_holidays(day.year)


def add_business_days(start: datetime.date, days: int, *, closures=None) -> datetime.date:
    """The date `days` business days after `start` (start itself never counts, so a
    proposal sent on a Saturday has the same date as one sent on the Friday before)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_business_day(day, closures=closures):
            remaining -= 1
    return day


def reply_due_for(submitted_at: datetime.datetime) -> datetime.date:
    """The promised reply date for a submission made at `submitted_at` (counted in the
    program's own time zone: 11 pm Friday in New York is still Friday)."""
    return add_business_days(timezone.localdate(submitted_at), settings.REVIEW_DAYS)


def clock_text(due: datetime.date | None, *, today: datetime.date) -> str:
    """The clock in words, so it never depends on colour: "Due in 3 days", "Due today",
    "Overdue by 2 days" (calendar days, as people count them)."""
    if due is None:
        return ""
    days = (due - today).days
    if days == 0:
        return "Due today"
    if days == 1:
        return "Due tomorrow"
    if days > 1:
        return f"Due in {days} days"
    late = -days
    return f"Overdue by {late} day{'s' if late != 1 else ''}"


def is_overdue(due: datetime.date | None, *, today: datetime.date) -> bool:
    return due is not None and due < today
