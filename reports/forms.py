"""The report's choice of year: calendar or program year, and which one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .periods import BASES, CALENDAR, Period, current_period, parse_year


class YearForm(forms.Form):
    basis = forms.ChoiceField(label=_("Kind of year"), choices=list(BASES.items()), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, years: dict[str, list[Period]]):
        # "2025-26" names program year 2025, as the files and the dropdown label it.
        year = data.get("year")
        if year and parse_year(year) is not None:
            data = data.copy()
            data["year"] = str(parse_year(year))
        super().__init__(data)
        self.years = years
        basis = data.get("basis") if data.get("basis") in BASES else CALENDAR
        self.fields["year"].choices = [
            (p.year, p.label) for p in reversed(years.get(basis) or [current_period(basis)])
        ]

    def period(self) -> Period:
        """The year asked for; the current year of the kind asked for when the address asks
        for none or for one the report does not cover (the form then says why). Changing
        only the kind of year sends the other kind's year: the kind is kept, so the page and
        its form agree on what they show."""
        basis = self.data.get("basis") if self.data.get("basis") in BASES else CALENDAR
        if self.is_valid() and self.cleaned_data["year"] is not None:
            return Period(basis, self.cleaned_data["year"])
        return current_period(basis)
