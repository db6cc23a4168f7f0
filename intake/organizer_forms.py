"""The proposal form's organizers: one form per organizer, in a formset of at most
MAX_ORGANIZERS (the proposal's answers are intake.forms)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from common.forms import ExplainsNullCharacters, one_line

from .services import OrganizerData

MAX_ORGANIZERS = 10


class OrganizerForm(ExplainsNullCharacters, forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter this person's name."})
    email = forms.EmailField(
        max_length=254,
        help_text="The address is never shown publicly.",
        error_messages={
            "required": "Enter this person's email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    institution = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter this person's institution, or \u201cIndependent\u201d."},
    )
    institution_is_member = forms.BooleanField(
        required=False, label="Their institution is a member of the council"
    )
    listed_publicly = forms.BooleanField(
        required=False,
        initial=True,
        label="Show their name on the public directory",
        help_text="A co-organizer is asked first, once the group is approved: we show their "
        "name only if they agree, and if they say no they are taken off the group's organizers.",
    )

    PERSON_FIELDS = ("name", "email", "institution")
    one_line_fields = ("name", "institution")

    # In a row that may be left blank nothing is required on its own (so nothing is marked
    # required); once any of these is typed, the others are needed and say why.
    PARTIAL_ROW_MESSAGES = {
        "name": "Enter this person's name as well, or clear this co-organizer's other "
        "details to leave them out.",
        "email": "Enter this person's email address as well, or clear this co-organizer's "
        "other details to leave them out.",
        "institution": "Enter this person's institution (or \u201cIndependent\u201d) as well, "
        "or clear this co-organizer's other details to leave them out.",
    }

    def __init__(self, *args, row: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The first MIN_ORGANIZERS rows are needed, and say so to browsers and screen readers
        # (formsets leave `required` off); later ones (and the template row, None) are not.
        self.optional = row is None or row >= settings.MIN_ORGANIZERS
        self.empty_permitted = self.optional
        self.use_required_attribute = not self.optional
        if self.optional:
            for name in self.PERSON_FIELDS:
                self.fields[name].required = False
        self.row_label = (
            "Primary contact" if row == 0 else f"Co-organizer {row}" if row else "Co-organizer"
        )

    # One line each: a line break in a name would break the directory's Markdown page.
    def clean_name(self):
        return one_line(self.cleaned_data["name"])

    def clean_institution(self):
        return one_line(self.cleaned_data["institution"])

    def has_changed(self) -> bool:
        """A row counts as filled in only when a name, email or institution is typed: the
        ticked-by-default checkbox alone does not make a blank row someone to validate."""
        return any(name in self.changed_data for name in self.PERSON_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.optional:
            typed = [n for n in self.PERSON_FIELDS if cleaned.get(n) or n in self._errors]
            if typed:
                for name in self.PERSON_FIELDS:
                    if name not in typed:
                        self.add_error(
                            name,
                            ValidationError(self.PARTIAL_ROW_MESSAGES[name], code="required"),
                        )
        return cleaned

    def data_object(self) -> OrganizerData:
        return OrganizerData(**self.cleaned_data)


class BaseOrganizerFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": "A proposal can name at most %(num)d organizers.",
        "missing_management_form": (
            "Part of the form was missing when it was sent. Reload the page and try again."
        ),
    }

    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and f.cleaned_data]
        if len(filled) < settings.MIN_ORGANIZERS:
            raise ValidationError(
                f"Add at least {settings.MIN_ORGANIZERS} organizers: a primary contact and "
                f"{settings.MIN_ORGANIZERS - 1} co-organizer"
                f"{'s' if settings.MIN_ORGANIZERS > 2 else ''}.",
                code="too_few",
            )
        seen = set()
        for form in filled:
            email = form.cleaned_data["email"].strip().lower()
            if email in seen:
                form.add_error(
                    "email", "This email address is already given for another organizer."
                )
            seen.add(email)
        # The repeated address is marked on its row only: the error summary then says it
        # once, and the message sits with the field.

    def organizers(self) -> list[OrganizerData]:
        return [f.data_object() for f in self.forms if f.has_changed() and f.cleaned_data]

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "row": index}


def organizer_formset(*, data=None, initial=None):
    min_rows = max(settings.MIN_ORGANIZERS, 2)
    rows = len(initial or []) if initial else 0
    factory = forms.formset_factory(
        OrganizerForm,
        formset=BaseOrganizerFormSet,
        extra=max(min_rows + 1 - rows, 0),
        max_num=MAX_ORGANIZERS,
        # Never build more rows than that, whatever TOTAL_FORMS a tampered request claims
        # (Django's default allows 1,000 more: seconds of work per request).
        absolute_max=MAX_ORGANIZERS,
        validate_max=True,
    )
    return factory(data=data, initial=initial, prefix="organizers")
