"""Forms of the reviewer workspace. They only parse and check input;
reviews.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ExplainsNullCharacters
from intake.models import State

from . import queue_scope
from .models import Recommendation, Visibility
from .queue import DEFAULT_SORT, SORTS, QueueFilters
from .services import BODY_MAX_LENGTH


class SearchField(forms.CharField):
    """A search box: a NUL character (which no stored text holds) is dropped, not refused."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Every status")]
        + [(s, label) for s, label in State.choices if s in State.STAFF_VISIBLE],
    )
    q = SearchField(
        label="Search",
        required=False,
        max_length=200,
        help_text=_(
            "A reference, group name, or an organizer's name or email address. "
            "Every tab is searched, and each says how many it holds."
        ),
    )
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[(name, sort.label) for name, sort in SORTS.items()],
    )
    mine = forms.BooleanField(label="Only proposals waiting for my review", required=False)
    view = forms.ChoiceField(label="Show", required=False, choices=queue_scope.VIEWS)

    # Addresses with any of these (bookmarks made before the views existed) mean every view.
    FILTER_KEYS = ("state", "q", "sort", "mine")

    def filters(self) -> QueueFilters:
        """The filters that are valid; one that is not (an old bookmark, an edited address)
        is left out on its own, and problems() says so."""
        self.is_valid()
        data = self.cleaned_data
        return QueueFilters(
            state=data.get("state", ""),
            search=data.get("q", ""),
            sort=data.get("sort") or DEFAULT_SORT,
            waiting_for_me=data.get("mine", False),
            view=data.get("view") or self._default_view(),
        )

    def _default_view(self) -> str:
        """With no filter in the address the queue opens on what needs action."""
        if any(self.data.get(key) for key in self.FILTER_KEYS):
            return queue_scope.ALL
        return queue_scope.ACTION

    def problems(self) -> list[str]:
        """What could not be used, for the page to say instead of silently showing more."""
        if not self.is_bound or self.is_valid():
            return []
        return [
            f"{self.fields[name].label}: {' '.join(errors)} It was left out."
            for name, errors in self.errors.items()
        ]


class ReviewForm(ExplainsNullCharacters, forms.Form):
    recommendation = forms.ChoiceField(
        label="Your recommendation",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a recommendation: approve, request changes or decline."
        },
    )
    notes = forms.CharField(
        label="Notes for other staff",
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional. Only staff see reviews.",
    )


class CommentForm(ExplainsNullCharacters, forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your comment first: it is empty."},
    )
    # No default: whether the organizers read it must be a choice, never an accident.
    visibility = forms.ChoiceField(
        label="Who can read it",
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who can read this comment: staff only, or the organizers too."
        },
    )


class DecisionForm(ExplainsNullCharacters, forms.Form):
    # Set by the button pressed: each decision is its own submit button.
    transition = forms.CharField(error_messages={"required": "Choose a decision."})
    expected_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Message to the organizers",
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to request changes or decline. The organizers read it by email "
        "and on their proposal page.",
    )


class ReplyForm(ExplainsNullCharacters, forms.Form):
    body = forms.CharField(
        label="Your message to the program staff",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your message first: it is empty."},
    )
