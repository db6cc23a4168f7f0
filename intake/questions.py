"""Questions from the guidelines that staff can change: asked on the proposal form in their
section, validated like the built-in answers, saved as intake.Answer rows and shown
wherever a proposal's answers are (check your answers, the review page, the change table,
the CSV export)."""

from django import forms
from django.db.models import Count, Max, Q
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _

from meetups.fields import WebAddressField

from .models import Answer, FormSection, Question, QuestionKind

FIELD_PREFIX = "question_"
SHORT_MAX_LENGTH = 300
LONG_MAX_LENGTH = 3000
URL_MAX_LENGTH = 500
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]

# Where each section's extra questions go in the form's field order (and so in the error
# summary): after that section's last built-in field.
SECTION_LAST_FIELD = {
    FormSection.ABOUT: "open_to_all",
    FormSection.EXISTING: "differs_from_existing",
    FormSection.MEETINGS: "existing_url",
    FormSection.SUPPORT: "support_notes",
}


class OneLineField(forms.CharField):
    """A one-line answer: runs of whitespace, line breaks included, become one space."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.split()) if isinstance(value, str) else value


REWORDED_NOTE = _("This question was reworded since you answered it; please check your answer.")


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.pk}"


def form_field(question: Question) -> forms.Field:
    """The form field that asks this question, with messages in the form's own words."""
    help_text = question.help_text
    if not question.required:
        help_text = f"Optional. {help_text}".strip()
    # Forms output help text as HTML; staff write plain text, shown as written.
    help_text = escape(help_text)
    common = {"label": question.label, "required": question.required, "help_text": help_text}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        field = OneLineField(max_length=SHORT_MAX_LENGTH, **common)
        field.error_messages["required"] = "Answer this question."
    elif kind == QuestionKind.LONG_TEXT:
        field = forms.CharField(
            max_length=LONG_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
        field.error_messages["required"] = "Answer this question."
    elif kind == QuestionKind.URL:
        field = WebAddressField(
            max_length=URL_MAX_LENGTH,
            widget=forms.URLInput(attrs={"placeholder": "https://"}),
            error_messages={
                "required": "Enter a web address.",
                "invalid": "Enter a full web address, like https://www.example.org/.",
            },
            **common,
        )
    else:
        choices = (
            YES_NO_CHOICES
            if kind == QuestionKind.YES_NO
            else [(c, c) for c in question.choice_list]
        )
        field = forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Choose an answer.",
                "invalid_choice": "Choose one of the answers listed.",
            },
            **common,
        )
    return field


class QuestionsMixin:
    """Adds the asked questions to a form, before ExplainsNullCharacters in the bases' order
    runs its own __init__ on every field: NUL characters are refused with its message and
    one-line answers get its control-character check."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(Question.objects.asked())
        answers = {}
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            # By question, whichever version was answered: a reworded question starts
            # from the answer given to its earlier words.
            answers = {
                a.question.lineage_id: (a.value, a.question_id)
                for a in instance.answers.select_related("question").order_by("question__version")
            }
        one_line = []
        for question in self.questions:
            name = field_name(question)
            self.fields[name] = form_field(question)
            if question.lineage_id in answers:
                value, answered = answers[question.lineage_id]
                if not self.is_bound:
                    self.initial[name] = value
                if answered != question.pk:
                    # The answer shown was given to earlier words: say so by the field.
                    self.fields[name].help_text = format_html(
                        '<strong class="d-block">{}</strong>{}',
                        REWORDED_NOTE,
                        self.fields[name].help_text,
                    )
            if question.kind == QuestionKind.SHORT_TEXT:
                one_line.append(name)
        self.one_line_fields = (*self.one_line_fields, *one_line)
        self.order_fields(self._order_with_questions())

    def _order_with_questions(self) -> list[str]:
        order = []
        after = {}
        for question in self.questions:
            after.setdefault(SECTION_LAST_FIELD[question.section], []).append(field_name(question))
        for name in self.fields:
            if name.startswith(FIELD_PREFIX):
                continue
            order.append(name)
            order.extend(after.get(name, []))
        return order

    @property
    def question_sections(self) -> dict[str, list]:
        """Bound fields of the asked questions, by section, for the template."""
        sections = {section: [] for section in FormSection.values}
        for question in self.questions:
            sections[question.section].append(self[field_name(question)])
        return sections

    def answers(self) -> dict[int, str]:
        """Question id to the answer typed ("" when an optional question is left blank)."""
        return {q.pk: self.cleaned_data.get(field_name(q)) or "" for q in self.questions}


def save_answers(*, proposal, answers: dict[int, str]) -> None:
    """Store the answers to the questions asked; answers to retired questions stay. An
    answer to a question's newest words replaces the proposal's answer to its earlier
    words (the organizers have now answered what is asked)."""
    lineages = dict(Question.objects.filter(pk__in=answers).values_list("pk", "root_id"))
    for question_id, value in answers.items():
        Answer.objects.update_or_create(
            proposal=proposal, question_id=question_id, defaults={"value": value}
        )
        lineage = lineages.get(question_id) or question_id
        Answer.objects.filter(
            Q(question_id=lineage) | Q(question__root_id=lineage), proposal=proposal
        ).exclude(question_id=question_id).delete()


def answers_for_display(proposal) -> dict[str, list[dict]]:
    """By section: each asked question with the proposal's answer ("" when not given), and
    each retired question the proposal answered. An answer is shown under the words it
    answered: a question reworded since shows its earlier wording with that answer (and
    not its new wording, unanswered)."""
    given = {a.question_id: a for a in proposal.answers.select_related("question")}
    answered_lineages = {a.question.lineage_id for a in given.values() if a.value}
    sections = {section: [] for section in FormSection.values}
    questions = Question.objects.filter(retired=False) | Question.objects.filter(
        pk__in=[qid for qid, a in given.items() if a.value]
    )
    for question in questions.select_related("next_version").order_by("section", "order", "pk"):
        answer = given.get(question.pk)
        value = answer.display if answer and answer.value else ""
        if not value and question.lineage_id in answered_lineages:
            continue  # answered in other words, shown there
        sections[question.section].append(
            {
                "question": question,
                "label": question.label,
                "value": value,
                "retired": question.retired,
                "reworded": question.is_superseded,
            }
        )
    return sections


def form_version() -> str:
    """Changes whenever a question is added, changed, retired or deleted: part of the key
    of the cached empty form."""
    summary = Question.objects.aggregate(count=Count("pk"), changed=Max("updated_at"))
    changed = summary["changed"].isoformat() if summary["changed"] else "-"
    return f"{summary['count']}:{changed}"
