"""The public report (/report/), its open data, its data dictionary and its pictures. Each
view parses the address, asks reports.report for what it shows, and renders; the bytes are
kept per state of the histories (reports.cache)."""

from csp.decorators import csp_replace
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from . import charts, opendata, report
from .cache import kept_response
from .forms import YearForm
from .measures import MEASURES, SCHEMA_CHANGES, SCHEMA_VERSION
from .periods import BASES, CALENDAR, Period, current_period
from .sections import NAMES
from .services import OLDEST_YEARS


def _key(request) -> str:
    """What a kept response is kept under: the address's choice of year, reduced to the few
    answers it can have (so made-up query strings cannot fill the memory), and the language."""
    basis = request.GET.get("basis")
    basis = basis if basis in BASES else CALENDAR
    year = request.GET.get("year", "")
    current = current_period(basis).year
    if year.isascii() and year.isdigit() and current - OLDEST_YEARS < int(year) <= current:
        chosen = int(year)
    else:
        chosen = "asked, not covered" if year else "none"
    return repr((request.path, basis, chosen, get_language()))


def report_page(request):
    def build() -> bytes:
        years = report.years_by_basis()
        form = YearForm(request.GET, years=years)
        context = report.page_context(period=form.period())
        context["form"] = form
        return render(request, "reports/report.html", context).content

    return kept_response(
        request,
        name=_key(request),
        content_type="text/html; charset=utf-8",
        build=build,
        personal=True,
    )


def dictionary(request):
    def build() -> bytes:
        context = {
            "measures": MEASURES,
            "schema_version": SCHEMA_VERSION,
            "schema_changes": sorted(SCHEMA_CHANGES.items(), reverse=True),
            "columns": opendata.COLUMN_DEFINITIONS,
            "json_keys": opendata.JSON_KEY_DEFINITIONS,
        }
        return render(request, "reports/dictionary.html", context).content

    return kept_response(
        request,
        name=_key(request),
        content_type="text/html; charset=utf-8",
        build=build,
        personal=True,
    )


def _file_rows(request):
    years = report.years_by_basis()
    form = YearForm(request.GET, years=years)
    if not form.is_valid():
        raise Http404("No such year in the report.")
    period = form.period()
    if request.GET.get("year"):
        return period.basis, report.public_rows(period)
    return period.basis, report.all_public_rows(period.basis)


def _file_name(request, extension: str) -> str:
    """The file's name from its address (a year not covered is refused before it is sent)."""
    basis = request.GET.get("basis")
    basis = basis if basis in BASES else CALENDAR
    year = request.GET.get("year", "")
    label = Period(basis, int(year)).label if year.isascii() and year.isdigit() else None
    return opendata.file_name(basis=basis, label=label, extension=extension)


def data_csv(request):
    def build() -> bytes:
        return opendata.csv_bytes(_file_rows(request)[1])

    response = kept_response(
        request, name=_key(request), content_type="text/csv; charset=utf-8", build=build
    )
    return opendata.attachment(response, _file_name(request, "csv"))


def data_json(request):
    def build() -> bytes:
        basis, rows = _file_rows(request)
        return opendata.json_bytes(rows, basis=basis)

    response = kept_response(
        request, name=_key(request), content_type="application/json", build=build
    )
    return opendata.attachment(response, _file_name(request, "json"))


# A picture is an image: it runs no script whatever it holds, and its own styles (pygal's
# <style> element) apply only inside it. Nothing else is allowed to it.
@csp_replace({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "img-src": None})
def chart(request, name: str, size: str):
    if name not in NAMES or size not in charts.SIZES:
        raise Http404("No such chart.")

    def build() -> bytes:
        years = report.years_by_basis()
        form = YearForm(request.GET, years=years)
        section = report.section(name, period=form.period())
        return charts.render(
            title=section.title,
            x_labels=section.columns[: len(section.series[0][1])],
            series=section.series,
            size=size,
            reference=section.reference,
        )

    return kept_response(request, name=_key(request), content_type="image/svg+xml", build=build)
