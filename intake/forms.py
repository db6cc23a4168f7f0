"""The public proposal form (the proposal's answers; its organizers are
intake.organizer_forms), and the small forms of the organizer's pages."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ExplainsNullCharacters
from meetups.fields import WebAddressField
from meetups.models import Meetup
from meetups.naming import clean_name

from .models import MeetingFrequency, Proposal
from .questions import QuestionsMixin

NOT_DECIDED = ""
MONTHS_AHEAD = 24


def month_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    choices = [(NOT_DECIDED, "Not decided yet")]
    year, month = today.year, today.month
    for _step in range(MONTHS_AHEAD):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = datetime.date(year, month, 1)
        choices.append((day.strftime("%Y-%m"), day.strftime("%B %Y")))
    return choices


class MonthField(forms.Field):
    """A future month, chosen from a list; stored as the first day of that month."""

    widget = forms.Select

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.choices = month_choices()

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value

    def to_python(self, value):
        if value in (None, NOT_DECIDED):
            return None
        try:
            return datetime.datetime.strptime(str(value), "%Y-%m").date()
        except ValueError:
            raise ValidationError("Choose a month from the list.", code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value <= today.replace(day=1):
            raise ValidationError(
                "The first meeting must be in a future month. Choose a later month, "
                "or \u201cNot decided yet\u201d.",
                code="past",
            )


class ProposalForm(ExplainsNullCharacters, QuestionsMixin, forms.ModelForm):
    first_meeting = MonthField(
        label="Planned first meeting",
        required=False,
        help_text="Optional. A rough idea is fine; you can change it later.",
    )
    existing_url = WebAddressField(
        label="Existing web address for the group",
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text="Optional. For example a meetup.com page or a website.",
        error_messages={
            "invalid": "Enter a full web address, like https://www.meetup.com/your-group/."
        },
    )
    # A honeypot: hidden from people, tempting to bots. Filled in means not a person.
    website = forms.CharField(required=False, label="Leave this field empty")

    class Meta:
        model = Proposal
        fields = [f for f in Proposal.CONTENT_FIELDS if f != "first_meeting"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "audience": forms.Textarea(attrs={"rows": 3}),
            "differs_from_existing": forms.Textarea(attrs={"rows": 4}),
            "activities": forms.Textarea(attrs={"rows": 4}),
            "support_notes": forms.Textarea(attrs={"rows": 3}),
            "meeting_frequency": forms.RadioSelect,
            "meeting_format": forms.RadioSelect,
        }
        labels = {
            "open_to_all": "Our meetings will be free and open to everyone who is interested",
            "wants_meeting_space": "Meeting space at the council",
            "wants_promotion": "Promotion in the council's newsletter and website",
            "wants_meetup_group": "A group on meetup.com, set up by the council",
            "agrees_to_guidelines": "We have read and will follow the program guidelines",
            "agrees_to_code_of_conduct": "We will follow the code of conduct at every meeting",
            "shares_name_with_similar": _(
                "Let people proposing something similar see our group's name, so staff can "
                "put us in touch"
            ),
        }
        help_texts = {
            "name": "A short name people will recognise, for example \u201cCode4LibNYC\u201d.",
            "description": (
                "What the group is about, in a few sentences. Say what is in scope and what "
                "is not. Program staff read this; it is not published."
            ),
            "summary": (
                "Optional. One or two sentences for the public directory if the group is "
                "approved, up to 300 characters (about 50 words). Left blank, the directory "
                "shows only the group's name until you write one."
            ),
            "audience": "Who should come: roles, kinds of library, experience levels.",
            "differs_from_existing": (
                "Look at the groups listed above this question. Say how yours is different, "
                "or where it overlaps and why a new group is still needed."
            ),
            "activities": "For example talks, discussions, workshops, visits, social events.",
            "meeting_frequency_other": "Only if you chose \u201cOther\u201d above.",
            "support_notes": "Optional.",
            "shares_name_with_similar": _(
                "Optional. Without it, while your proposal is being reviewed, others see "
                "only that a similar proposal exists."
            ),
        }

    field_order = [*Proposal.CONTENT_FIELDS, "website"]
    one_line_fields = ("name", "meeting_frequency_other")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("open_to_all", "agrees_to_guidelines", "agrees_to_code_of_conduct"):
            self.fields[name].required = True
        self.fields["open_to_all"].error_messages["required"] = (
            "Groups in the program must be free and open to all: tick this box to confirm."
        )
        self.fields["agrees_to_guidelines"].error_messages["required"] = (
            "Tick this box to agree to the program guidelines."
        )
        self.fields["agrees_to_code_of_conduct"].error_messages["required"] = (
            "Tick this box to agree to the code of conduct."
        )
        self.fields["meeting_frequency"].choices = MeetingFrequency.choices
        # The field is built at import time: recompute the months, or a process started in
        # one month would still offer it (and then refuse it as past) in the next.
        self.fields["first_meeting"].widget.choices = month_choices()
        self.fields["meeting_format"].choices = self.fields["meeting_format"].choices[1:]
        if self.instance.first_meeting and not self.is_bound:
            self.initial["first_meeting"] = self.instance.first_meeting
        for field in self.fields.values():
            field.error_messages.setdefault("required", "This field is required.")
        self.fields["name"].error_messages["required"] = "Enter a name for the group."
        self.fields["description"].error_messages["required"] = (
            "Describe the group's purpose and scope."
        )
        self.fields["audience"].error_messages["required"] = "Say who the group is for."
        self.fields["differs_from_existing"].error_messages["required"] = (
            "Say how the group differs from the groups already listed."
        )
        self.fields["activities"].error_messages["required"] = "Describe the planned activities."
        self.fields["meeting_frequency"].error_messages["required"] = (
            "Choose how often you plan to meet."
        )
        self.fields["meeting_format"].error_messages["required"] = "Choose a meeting format."

    def clean_name(self):
        # NFKC and no invisible format characters: the name is stored as people see it.
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise ValidationError("Enter a name for the group.", code="required")
        limit = Proposal._meta.get_field("name").max_length
        if len(name) > limit:  # NFKC can lengthen it ("ﷺ" is 18 letters)
            raise ValidationError(
                f"Keep the name to {limit} characters (it has {len(name)}).", code="max_length"
            )
        if Meetup.objects.name_taken(name):
            raise ValidationError(
                "A listed group already has this name. Choose a different name, or contact "
                "that group's organizers to work together.",
                code="name_taken",
            )
        return name

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError("Leave this field empty.", code="honeypot")
        return ""

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("meeting_frequency") == MeetingFrequency.OTHER
            and not cleaned.get("meeting_frequency_other", "").strip()
        ):
            self.add_error(
                "meeting_frequency_other", "Say how often you plan to meet, as you chose Other."
            )
        return cleaned

    @property
    def is_bot(self) -> bool:
        return "website" in self.errors and any(
            e.code == "honeypot" for e in self.errors.as_data()["website"]
        )

    def content(self) -> dict:
        data = {name: self.cleaned_data[name] for name in Proposal.CONTENT_FIELDS}
        return data


class FindProposalsForm(ExplainsNullCharacters, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address of any organizer named on the proposal.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )


class WithdrawForm(ExplainsNullCharacters, forms.Form):
    confirm = forms.BooleanField(
        label="Yes, withdraw this proposal. I understand this cannot be undone.",
        error_messages={"required": "Tick the box to confirm you want to withdraw."},
    )
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if draft:  # nobody has seen a draft: it is discarded, not withdrawn from review
            self.fields[
                "confirm"
            ].label = "Yes, discard this draft. I understand this cannot be undone."
            self.fields["confirm"].error_messages["required"] = (
                "Tick the box to confirm you want to discard the draft."
            )
            self.fields["reason"].label = "Why are you discarding it? (optional)"


class IntroductionForm(ExplainsNullCharacters, forms.Form):
    """The overlap warning's "pass my details to staff" (intake.introductions)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
    message = forms.CharField(
        label=_("A message for them (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your group would be about, or how you would like to work together."),
    )
