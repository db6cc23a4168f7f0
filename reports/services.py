"""What the report views and the nightly task call: one year's figures (stored for good once
the year has closed), the years a report covers, and the histories' version its cache keys on."""

import statistics

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone

from intake.business_days import reply_due_for
from intake.models import ProposalTransition
from meetups.models import Meetup, MeetupEvent

from . import figures
from .measures import SCHEMA_VERSION
from .models import FrozenYear
from .periods import BASES, Period, current_period

YEARS_SHOWN = 5  # "over the last years": the chosen year and the four before it
OLDEST_YEARS = 10  # how far back the open data and the year choice go


def year_rows(*, period: Period, now=None) -> list[dict]:
    """The raw figures of `period`: computed, or, once it has closed, read from its stored
    copy (made now if it was not yet)."""
    now = now or timezone.now()
    if not period.is_closed(now):
        return figures.compute(period, now=now)
    frozen = _frozen(period)
    if frozen is not None:
        return figures.unique(frozen.rows)
    rows = figures.compute(period, now=now)
    try:
        with transaction.atomic():
            FrozenYear.objects.create(
                basis=period.basis,
                year=period.year,
                first_day=period.first_day,
                schema_version=SCHEMA_VERSION,
                rows=rows,
            )
    except IntegrityError:  # another process froze it first: theirs is the copy kept
        return figures.unique(_frozen(period).rows)
    return rows


def _frozen(period: Period) -> FrozenYear | None:
    return FrozenYear.objects.filter(
        basis=period.basis,
        year=period.year,
        first_day=period.first_day,
        schema_version=SCHEMA_VERSION,
    ).first()


def promised_calendar_days(*, period: Period, now=None) -> int:
    """The promised reply in calendar days, as the year's proposals met it: the median,
    over the proposals received in `period`, of the days from submission to the promised
    date (weekends, holidays and closures make 15 business days about 21). With none, the
    promise counted from the year's first day (or today, for the current year)."""
    as_of = min(now or timezone.now(), period.end)
    sent = ProposalTransition.objects.filter(
        transition="submit", created_at__gte=period.start, created_at__lt=as_of
    ).values_list("created_at", flat=True)
    days = [(reply_due_for(at) - timezone.localdate(at)).days for at in sent]
    if not days:
        start = as_of if as_of < period.end else period.start
        days = [(reply_due_for(start) - timezone.localdate(start)).days]
    return round(statistics.median(days))


def listing_imported_on(*, period: Period, now=None):
    """The day the program's listing of groups (those not from a proposal) was first
    imported, when that was after `period` began (its groups count only from then); else
    None."""
    as_of = min(now or timezone.now(), period.end)
    first = Meetup.objects.filter(proposal=None, created_at__lt=as_of).aggregate(
        at=Min("created_at")
    )["at"]
    if first is None or first <= period.start:
        return None
    return timezone.localdate(first)


def first_year(*, basis: str, now=None) -> int:
    """The first year with any history, at most OLDEST_YEARS back."""
    current = current_period(basis, now).year
    # A proposal's history starts with its submission, a group's with its listing.
    oldest = [
        ProposalTransition.objects.filter(transition="submit").aggregate(at=Min("created_at"))[
            "at"
        ],
        Meetup.objects.aggregate(at=Min("created_at"))["at"],
    ]
    years = [current_period(basis, at).year for at in oldest if at is not None]
    return max(min(years, default=current), current - OLDEST_YEARS + 1)


def periods(*, basis: str, now=None) -> list[Period]:
    """Every year the report covers, oldest first, ending with the current one."""
    current = current_period(basis, now).year
    return [Period(basis, year) for year in range(first_year(basis=basis, now=now), current + 1)]


def freeze_closed_years(*, now=None) -> int:
    """Store every closed year not stored yet, for both kinds of year. Safe to run twice (a
    stored year is never computed again). Returns how many were stored."""
    now = now or timezone.now()
    stored = 0
    for basis in BASES:
        for period in periods(basis=basis, now=now):
            if period.is_closed(now) and _frozen(period) is None:
                year_rows(period=period, now=now)
                stored += 1
    return stored


def history_state(now=None) -> tuple:
    """What the figures depend on: the histories' latest rows (they are append-only, so a
    new row is a new maximum), the day (figures are counted as of today) and the settings
    read. The report's cache and ETag key on it."""
    today = timezone.localdate(now or timezone.now())
    return (
        ProposalTransition.objects.aggregate(last=Max("pk"))["last"],
        MeetupEvent.objects.aggregate(last=Max("pk"))["last"],
        today.isoformat(),
        settings.REVIEW_DAYS,
        tuple(sorted(settings.REVIEW_CLOSURE_DATES)),
        settings.REPORT_YEAR_START,
        SCHEMA_VERSION,
    )
