"""What the public report shows: the years it covers, one year's public rows, every year's
for the open data, and the sections of a year's page."""

from django.utils import timezone

from . import cache, sections, services
from .opendata import public_rows as _public
from .periods import BASES, Period


def years_by_basis(now=None) -> dict[str, list[Period]]:
    return {basis: services.periods(basis=basis, now=now) for basis in BASES}


def year_rows(period: Period, now=None) -> list[dict]:
    """services.year_rows, made once per state of the histories in this process when asked
    for now (the page, its pictures and its files all read the same years)."""
    if now is not None:
        return services.year_rows(period=period, now=now)
    return cache.RENDERED.get(
        cache.current_state(), ("rows", period), lambda: services.year_rows(period=period)
    )


def public_rows(period: Period, now=None) -> list[dict]:
    return _public(period, year_rows(period, now))


def all_public_rows(basis: str, now=None) -> list[dict]:
    rows = []
    for period in services.periods(basis=basis, now=now):
        rows += public_rows(period, now)
    return rows


def _years_shown(period: Period, now=None) -> list[tuple[Period, list]]:
    covered = [p for p in services.periods(basis=period.basis, now=now) if p.year <= period.year]
    shown = covered[-services.YEARS_SHOWN :] or [period]
    return [(p, public_rows(p, now)) for p in shown]


def section(name: str, *, period: Period, now=None) -> sections.Section:
    years = _years_shown(period, now) if name == "years" else []
    rows = [] if name == "years" else public_rows(period, now)
    days = services.promised_calendar_days(period=period, now=now) if name == "replies" else None
    return sections.build(name, period=period, rows=rows, years=years, now=now, promised_days=days)


def page_context(*, period: Period, now=None) -> dict:
    moment = now or timezone.now()
    rows = public_rows(period, now)
    years = _years_shown(period, now)
    days = services.promised_calendar_days(period=period, now=now)
    return {
        "period": period,
        "is_closed": period.is_closed(moment),
        "as_of": min(moment, period.end),
        "sections": [
            sections.build(name, period=period, rows=rows, years=years, now=now, promised_days=days)
            for name in sections.NAMES
        ],
        "query": f"basis={period.basis}&year={period.year}",
        "imported_on": services.listing_imported_on(period=period, now=now),
    }
