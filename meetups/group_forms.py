"""Forms on a group's private page (organizers) and its staff page (program managers)."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.transitions import Refused

from . import date_bounds, lifecycle
from .fields import WebAddressField
from .models import Meetup

TOO_LONG = {
    "max_length": _(
        "Keep this to %(limit_value)s characters or fewer: it has %(show_value)s. Nothing "
        "was saved; shorten it and save again."
    )
}

YES_NO = [("yes", "Yes"), ("no", "No")]


class GroupDetailsForm(forms.ModelForm):
    url = WebAddressField(
        label="Web address (optional)",
        required=False,
        help_text="For example the group's meetup.com page.",
        error_messages={
            "invalid": "Enter a full web address, like https://www.meetup.com/your-group/."
        },
    )

    class Meta:
        model = Meetup
        fields = ["description", "url", "meeting_details"]
        labels = {
            "description": "Public description",
            "meeting_details": "When and where the group meets (optional)",
        }
        help_texts = {
            "description": "Shown on the directory. Leave a blank line between paragraphs. "
            "A link is written [text](https://…).",
            "meeting_details": "For example: the second Tuesday of each month, 6 pm, "
            "online and at the council.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "meeting_details": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"description": TOO_LONG, "meeting_details": TOO_LONG}


class AddOrganizerForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(
        label="Email address", max_length=254, help_text="The address is never shown publicly."
    )
    show_publicly = forms.BooleanField(
        label="Ask them whether we may show their name on the public directory",
        required=False,
        initial=True,
        help_text="We show it only if they agree. If they say no, they are taken off the "
        "group's organizers. Unticked, they are not asked and their name is not shown.",
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the person's name.")
        return name


class HandoverForm(forms.Form):
    successor_name = forms.CharField(label="Your successor's name", max_length=200)
    successor_email = forms.EmailField(
        label="Your successor's email address",
        max_length=254,
        help_text="They get a link to accept. Nothing changes until they do.",
    )
    message = forms.CharField(
        label="A message for them (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInForm(forms.Form):
    still_meeting = forms.TypedChoiceField(
        label="Is the group still meeting?",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text='"No" takes the group off the directory.',
    )
    meetings_held = forms.IntegerField(
        label="How many times did the group meet in the past year? (if it still meets)",
        min_value=0,
        max_value=1000,
        required=False,
        error_messages={
            "min_value": _("Enter a number from 0 to 1000 (0 if the group did not meet)."),
            "max_value": _("Enter a number from 0 to 1000 (0 if the group did not meet)."),
            "invalid": _("Enter a number from 0 to 1000 (0 if the group did not meet)."),
        },
    )
    last_meeting_on = forms.DateField(
        label="When was the last meeting? (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, like 2026-05-14."},
    )
    organizers_right = forms.TypedChoiceField(
        label="Are the organizers on the group's page still right?",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text="If not, change them on the group's page after this check-in.",
    )
    updates = forms.CharField(
        label="Anything else we should know or update? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, meetup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetup = meetup
        date_bounds.bound_past_meeting_field(self.fields["last_meeting_on"], meetup=meetup)

    def clean_last_meeting_on(self):
        value = self.cleaned_data["last_meeting_on"]
        if value and (problem := date_bounds.past_meeting_problem(value, meetup=self.meetup)):
            raise forms.ValidationError(problem)
        return value

    def clean(self):
        data = super().clean()
        answered = "meetings_held" in self.errors  # answered, but wrongly: one error is enough
        if data.get("still_meeting") and data.get("meetings_held") is None and not answered:
            self.add_error("meetings_held", "Enter how many times the group met (0 if none).")
        return data


class StaffNoteForm(forms.Form):
    note = forms.CharField(
        label="Note for the group's history",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(StaffNoteForm):
    due_on = forms.DateField(
        label="New check-in date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, like 2027-03-01."},
    )

    def __init__(self, *args, meetup=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetup = meetup
        self.fields["note"].required = True
        self.fields["note"].label = "Why (kept in the group's history)"
        first, last = lifecycle.extension_window(
            timezone.localdate(), current=meetup.check_in_due_on if meetup is not None else None
        )
        self.fields["due_on"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())
        self.fields["due_on"].help_text = _(
            "A date from %(first)s to %(last)s: after the current check-in date, not in "
            "the past, and at most %(months)s months after the first date. The group "
            "is active again at once; its organizers are emailed the new date."
        ) % {
            "first": date_format(first),
            "last": date_format(last),
            "months": settings.CHECK_IN_MONTHS,
        }

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        try:
            lifecycle.check_extension(
                due_on,
                today=timezone.localdate(),
                current=self.meetup.check_in_due_on if self.meetup else None,
            )
        except Refused as exc:
            raise forms.ValidationError(str(exc)) from None
        return due_on
