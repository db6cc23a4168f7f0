"""Questions from the guidelines that staff can change, and proposals' answers to them
(intake.questions asks and shows them)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .proposals import Proposal


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text (one line)"
    LONG_TEXT = "long_text", "Long text (paragraphs)"
    CHOICE = "choice", "Choice (one of a list)"
    YES_NO = "yes_no", "Yes or no"
    URL = "url", "Web address"


class FormSection(models.TextChoices):
    """The public form's sections a question can be asked in (asked after their own
    questions)."""

    ABOUT = "about", "About the group"
    EXISTING = "existing", "Groups already listed"
    MEETINGS = "meetings", "Meetings"
    SUPPORT = "support", "Support from the council"


class QuestionQuerySet(models.QuerySet):
    def asked(self):
        """The questions the form asks now, in form order."""
        return self.filter(retired=False).order_by("section", "order", "pk")

    def current(self):
        """Each question's newest wording, asked or retired (what staff manage)."""
        return self.filter(next_version__isnull=True).order_by("section", "order", "pk")

    def delete(self):
        if Answer.objects.filter(question__in=self).exists():
            raise QuestionAnswered()
        return super().delete()


class QuestionAnswered(Exception):
    def __init__(self):
        super().__init__(
            "This question has answers, so it cannot be deleted: retire it instead. A retired "
            "question is no longer asked, and proposals keep the answers they gave."
        )


class Question(models.Model):
    """An extra question on the proposal form, managed by program managers (their staff
    pages, or the admin). Once answered it is retired rather than deleted, so old proposals
    keep their answers; and its words are frozen: changing the label, help text or choices
    of an answered question makes a new version (intake.question_editing), the old one
    retired with its answers, so every answer keeps the words it answered."""

    label = models.CharField(max_length=300, help_text="The question, as the form asks it.")
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(default=False)
    help_text = models.CharField(
        max_length=500, blank=True, help_text="Shown under the question. Optional."
    )
    choices = models.TextField(
        blank=True, help_text="For a choice question: one answer per line, in order."
    )
    section = models.CharField(
        max_length=20,
        choices=FormSection.choices,
        default=FormSection.ABOUT,
        help_text="Where on the form it is asked: after that section's own questions.",
    )
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    retired = models.BooleanField(
        default=False,
        help_text="No longer asked. Proposals that answered it keep and show their answers.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Part of the cached empty form's key: any change shows at once.
    updated_at = models.DateTimeField(auto_now=True)
    # Versions: the wording this one replaced, and the first wording (none for a first).
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        editable=False,
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["section", "order", "pk"]

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def is_answered(self) -> bool:
        return self.pk is not None and self.answers.exists()

    @property
    def lineage_id(self) -> int:
        """The same for every version of one question: the first version's id."""
        return self.root_id or self.pk

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "next_version")

    def clean(self):
        if self.kind == QuestionKind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": "A choice question needs at least two answers."})
        if self.kind != QuestionKind.CHOICE and self.choice_list:
            raise ValidationError({"choices": "Only a choice question has answers to choose."})

    def delete(self, *args, **kwargs):
        if self.is_answered:
            raise QuestionAnswered()
        return super().delete(*args, **kwargs)


class Answer(models.Model):
    """A proposal's answer to one Question, as text ("yes"/"no" for yes-or-no questions)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["question__section", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint("proposal", "question", name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.question_id}"

    @property
    def display(self) -> str:
        """The answer as people read it."""
        if self.question.kind == QuestionKind.YES_NO:
            return {"yes": "Yes", "no": "No"}.get(self.value, self.value)
        return self.value
