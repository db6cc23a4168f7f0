"""The years a report covers: calendar years, or the program's own year starting on
REPORT_YEAR_START (e.g. "07-01"), each cut into four quarters, counted in TIME_ZONE."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CALENDAR, PROGRAM = "calendar", "program"
BASES = {CALENDAR: _("Calendar year"), PROGRAM: _("Program year")}


def year_start() -> tuple[int, int]:
    """(month, day) the program's year starts on."""
    month, day = (int(part) for part in settings.REPORT_YEAR_START.split("-"))
    return month, day


def _start_month_day(basis: str) -> tuple[int, int]:
    return year_start() if basis == PROGRAM else (1, 1)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    # Midnight in the program's time zone (aware), whatever the daylight-saving offset.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


@dataclass(frozen=True)
class Period:
    """One report year. `year` is the calendar year it starts in."""

    basis: str
    year: int

    @property
    def first_day(self) -> datetime.date:
        month, day = _start_month_day(self.basis)
        return datetime.date(self.year, month, day)

    @property
    def label(self) -> str:
        """2025, or 2025-26 for a program year that does not start on January 1."""
        if self.first_day.month == 1 and self.first_day.day == 1:
            return str(self.year)
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def start(self) -> datetime.datetime:
        return _local_midnight(self.first_day)

    @property
    def end(self) -> datetime.datetime:
        return _local_midnight(_add_months(self.first_day, 12))

    def quarters(self) -> list[tuple[str, datetime.datetime, datetime.datetime]]:
        """[("Q1", start, end), ...]: three months each, from the year's first day."""
        return list(self._quarters)

    @cached_property
    def _quarters(self) -> tuple:
        return tuple(
            (
                f"Q{n + 1}",
                _local_midnight(_add_months(self.first_day, 3 * n)),
                _local_midnight(_add_months(self.first_day, 3 * n + 3)),
            )
            for n in range(4)
        )

    def quarter_of(self, moment: datetime.datetime) -> str | None:
        for name, start, end in self._quarters:
            if start <= moment < end:
                return name
        return None

    def is_closed(self, now: datetime.datetime) -> bool:
        return now >= self.end

    def previous(self) -> "Period":
        return Period(self.basis, self.year - 1)


def current_period(basis: str, now: datetime.datetime | None = None) -> Period:
    today = timezone.localdate(now or timezone.now())
    month, day = _start_month_day(basis)
    year = today.year if (today.month, today.day) >= (month, day) else today.year - 1
    return Period(basis, year)


def parse_year(text) -> int | None:
    """The year an address names: "2025", or "2025-26" as program years are labelled (the
    two years must follow each other); None for anything else."""
    text = (text or "").strip()
    if not text.isascii():  # "²" is a digit to str.isdigit, not to int()
        return None
    if text.isdigit() and len(text) == 4:
        return int(text)
    first, dash, second = text.partition("-")
    follows = first.isdigit() and second.isdigit() and len(first) == 4 and len(second) == 2
    if dash and follows and (int(first) + 1) % 100 == int(second):
        return int(first)
    return None
