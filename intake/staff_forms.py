"""Forms of the program managers' pages for the proposal form's questions and the program
pages (intake.staff_views)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import ExplainsNullCharacters

from .models import FormSection, ProgramPage, Question, QuestionKind
from .question_editing import check_choices


class QuestionForm(ExplainsNullCharacters, forms.Form):
    one_line_fields = ("label", "help_text")

    label = forms.CharField(
        label=_("The question"), max_length=300, help_text=_("As the form asks it.")
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Answers to choose from"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for a choice question: one answer per line, in order."),
    )
    required = forms.BooleanField(label=_("People must answer it"), required=False)
    help_text = forms.CharField(
        label=_("Help text"),
        max_length=500,
        required=False,
        help_text=_("Shown under the question, as written (no formatting). Optional."),
    )
    section = forms.ChoiceField(
        label=_("Asked in"),
        choices=FormSection.choices,
        help_text=_("After that part's own questions."),
    )

    def __init__(self, *args, answered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.answered = answered
        if answered:
            # What an answer means depends on it: fixed once there are answers.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("Fixed: this question has answers.")

    def clean(self):
        data = super().clean()
        sent_kind = self.data.get("kind") if self.is_bound else None
        if (
            self.answered
            and sent_kind
            and sent_kind != self.get_initial_for_field(self.fields["kind"], "kind")
        ):
            # The field is fixed (disabled), so what was sent would be ignored: say so.
            self.add_error("kind", _("This question has answers, so its kind cannot change."))
        lines = [line for line in (data.get("choices") or "").splitlines() if line.strip()]
        if data.get("kind") == QuestionKind.CHOICE and len(lines) < 2:
            self.add_error("choices", _("A choice question needs at least two answers."))
        if data.get("kind") and data.get("kind") != QuestionKind.CHOICE and lines:
            self.add_error("choices", _("Only a choice question has answers to choose."))
        try:
            check_choices(data.get("choices") or "")
        except ValidationError as error:
            self.add_error("choices", error)
        return data

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {name: getattr(question, name) for name in cls.base_fields}


class ProgramPageForm(ExplainsNullCharacters, forms.ModelForm):
    one_line_fields = ("title",)

    class Meta:
        model = ProgramPage
        fields = ["title", "body"]
        labels = {"title": _("Title"), "body": _("Text")}
        help_texts = {
            "body": _(
                "Blank lines separate paragraphs; a line starting “## ” is a heading, “- ” a "
                "list item; [text](https://…) makes a link. Everything else shows as written."
            )
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.has_title:
            # The home page shows no title (its heading is the program's name).
            del self.fields["title"]
            self.fields["body"].help_text = _(
                "Shown on the home page under the program's name. %(how)s"
            ) % {"how": self.fields["body"].help_text}
