"""Program managers' edit form for a listed group: its details and the people shown."""

from django import forms

from common.forms import no_control_characters

from .fields import WebAddressField
from .group_forms import TOO_LONG
from .meeting_forms import plain_text
from .models import Meetup, Role
from .naming import clean_name


class GroupNameFormMixin:
    """The name rules of every staff form that names a listed group (the program manager's
    edit, the admin): what the public form refuses in a name, and a look-alike of another
    listed group's name (naming.name_key), are refused here too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The organizers' forms' rule for what is shown as written (no <, >, { or }).
        self.fields["name"].validators.extend([no_control_characters, plain_text])

    def clean_name(self):
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Enter the group's name.")
        limit = Meetup._meta.get_field("name").max_length
        if len(name) > limit:  # NFKC can lengthen it
            raise forms.ValidationError(f"Keep the name to {limit} characters.")
        if Meetup.objects.name_taken(name, exclude_pk=self.instance.pk):
            raise forms.ValidationError("Another listed group already has this name.")
        return name


class MeetupForm(GroupNameFormMixin, forms.ModelForm):
    url = WebAddressField(
        label="Web address",
        required=False,
        max_length=500,
        help_text="Optional. For example the group's meetup.com page.",
        error_messages={
            "invalid": "Enter a full web address, like https://www.meetup.com/your-group/."
        },
    )

    class Meta:
        model = Meetup
        fields = ["name", "url", "description"]
        labels = {"name": "Group name", "description": "Public description"}
        help_texts = {
            "description": "Shown on the directory. Leave a blank line between paragraphs. "
            "A link is written [text](https://…)."
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        error_messages = {"description": TOO_LONG}


class MeetupAdminForm(GroupNameFormMixin, forms.ModelForm):
    """The admin's group form: the admin builds it for Meetup with every field it shows
    (MeetupAdmin, its web address a WebAddressField); the name obeys the edit form's rules."""


# The people a listed group shows: a public name and role, nothing private. (The proposal's
# organizers, with their contact details, are intake.organizer_forms.OrganizerForm: different data,
# so a different form, named apart.)
class PersonForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, required=False, validators=[no_control_characters]
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.CO_ORGANIZER)

    @property
    def row_label(self) -> str:
        return f"Person {int(self.prefix.rsplit('-', 1)[-1]) + 1}"


class BasePeopleFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove this person"

    def people(self) -> list[tuple[str, str]]:
        """(name, role) for each filled-in row not marked for removal, in page order."""
        return [
            (f.cleaned_data["name"], f.cleaned_data["role"])
            for f in self.forms
            if f.cleaned_data.get("name", "").strip() and not f.cleaned_data.get("DELETE")
        ]


PeopleFormSet = forms.formset_factory(
    PersonForm, formset=BasePeopleFormSet, extra=2, can_delete=True, max_num=20
)


def people_formset(*, data=None, initial=None):
    return PeopleFormSet(data=data, initial=initial, prefix="organizers")
