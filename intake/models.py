"""Proposals, their organizers, private access links, and the append-only audit trail.

The proposal state machine is declared here with django-fsm; `intake.services.perform_transition`
is the one place that runs a transition. The state field is protected, and queryset updates
that name it are refused, so nothing else can write it.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .actors import Actor


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    REVIEWED = "reviewed", "Reviewed"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.REVIEWED, State.CHANGES_REQUESTED)
FINAL_STATES = (State.APPROVED, State.DECLINED, State.WITHDRAWN)


class MeetingFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    TWICE_A_YEAR = "twice_a_year", "Twice a year"
    OTHER = "other", "Other"


class MeetingFormat(models.TextChoices):
    AT_COUNCIL = "at_council", "In person at the council"
    IN_PERSON_ELSEWHERE = "in_person_elsewhere", "In person elsewhere"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid (in person and online)"


# Permissions for transitions. django-fsm calls them with (proposal, actor).
def _by_organizer(proposal, actor: Actor) -> bool:
    return actor.organizer


def _by_uninvolved_staff(proposal, actor: Actor) -> bool:
    return actor.is_reviewer and not proposal.has_organizer_email(actor.email)


def _by_uninvolved_manager(proposal, actor: Actor) -> bool:
    return actor.is_program_manager and not proposal.has_organizer_email(actor.email)


def _automatically_or_by_manager(proposal, actor: Actor) -> bool:
    return actor.system or _by_uninvolved_manager(proposal, actor)


# Conditions for transitions. django-fsm calls them with the proposal.
def has_enough_organizers(proposal) -> bool:
    return proposal.organizers.count() >= settings.MIN_ORGANIZERS


def has_agreements(proposal) -> bool:
    return proposal.agrees_to_guidelines and proposal.agrees_to_code_of_conduct


def name_is_not_listed(proposal) -> bool:
    from meetups.models import Meetup

    return not Meetup.objects.name_taken(proposal.name)


# What a person reads about each condition when it is not met.
CONDITION_MESSAGES = {
    has_enough_organizers: "it needs at least {min_organizers} organizers",
    has_agreements: "the program guidelines and code of conduct must be agreed to",
    name_is_not_listed: "a listed group already has this name",
}


class ProposalQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "state" in kwargs:
            raise ValueError("A proposal's state changes only through intake.services.")
        return super().update(**kwargs)

    def with_organizer_email(self, email: str):
        return self.filter(organizers__email__iexact=email.strip()).distinct()


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year; its row lock serialises numbering."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Proposal(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(max_length=16, unique=True, editable=False)
    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True, db_index=True)

    # About the group
    name = models.CharField("Group name", max_length=120)
    description = models.TextField("Purpose and scope", max_length=4000)
    audience = models.TextField("Who it is for", max_length=2000)
    open_to_all = models.BooleanField("Meetings are free and open to all", default=False)
    differs_from_existing = models.TextField(
        "How it differs from or overlaps existing groups", max_length=3000
    )

    # Meetings
    activities = models.TextField("Planned activities", max_length=3000)
    meeting_frequency = models.CharField(
        "How often you plan to meet", max_length=20, choices=MeetingFrequency.choices
    )
    meeting_frequency_other = models.CharField(
        "Other meeting frequency", max_length=200, blank=True
    )
    meeting_format = models.CharField(
        "Meeting format", max_length=30, choices=MeetingFormat.choices
    )
    first_meeting = models.DateField("Planned first meeting", null=True, blank=True)
    existing_url = models.URLField("Existing web address for the group", max_length=500, blank=True)

    # Support asked of the council
    wants_meeting_space = models.BooleanField("Meeting space", default=False)
    wants_promotion = models.BooleanField("Promotion", default=False)
    wants_meetup_group = models.BooleanField("A meetup.com group", default=False)
    support_notes = models.TextField("Anything else you need", max_length=2000, blank=True)

    # Agreements
    agrees_to_guidelines = models.BooleanField(default=False)
    agrees_to_code_of_conduct = models.BooleanField(default=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return f"{self.reference} {self.name}"

    # The content fields an organizer writes, in the order of the form.
    CONTENT_FIELDS = (
        "name",
        "description",
        "audience",
        "open_to_all",
        "differs_from_existing",
        "activities",
        "meeting_frequency",
        "meeting_frequency_other",
        "meeting_format",
        "first_meeting",
        "existing_url",
        "wants_meeting_space",
        "wants_promotion",
        "wants_meetup_group",
        "support_notes",
        "agrees_to_guidelines",
        "agrees_to_code_of_conduct",
    )

    def has_organizer_email(self, email: str) -> bool:
        if not email:
            return False
        return any(o.email.lower() == email.lower() for o in self.organizers.all())

    @property
    def is_editable_by_organizer(self) -> bool:
        return self.state in (State.DRAFT, State.CHANGES_REQUESTED)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def primary_contact(self):
        organizers = list(self.organizers.all())
        return organizers[0] if organizers else None

    def snapshot(self) -> dict:
        """The organizer-written content, as stored with each submission for diffs."""
        data = {}
        for name in self.CONTENT_FIELDS:
            value = getattr(self, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
        data["organizers"] = [o.snapshot() for o in self.organizers.all()]
        # Answers to staff-managed questions, with the question as it was asked.
        data["answers"] = {
            str(a.question_id): {"label": a.question.label, "value": a.display}
            for a in self.answers.select_related("question")
        }
        return data

    # The state machine. Transitions only change fields; perform_transition saves and audits.
    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=_by_organizer,
        conditions=[has_enough_organizers, has_agreements],
        custom={"label": "Submit proposal", "past": "submitted"},
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.REVIEWED,
        permission=_automatically_or_by_manager,
        custom={"label": "Mark as reviewed", "past": "marked as reviewed"},
    )
    def complete_review(self):
        pass

    @transition(
        field=state,
        source=[State.SUBMITTED, State.REVIEWED],
        target=State.CHANGES_REQUESTED,
        permission=_by_uninvolved_staff,
        custom={"label": "Request changes", "past": "sent back for changes", "note_required": True},
    )
    def request_changes(self):
        pass

    @transition(
        field=state,
        source=State.CHANGES_REQUESTED,
        target=State.SUBMITTED,
        permission=_by_organizer,
        conditions=[has_enough_organizers, has_agreements],
        custom={"label": "Resubmit proposal", "past": "resubmitted"},
    )
    def resubmit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=State.REVIEWED,
        target=State.APPROVED,
        permission=_by_uninvolved_manager,
        conditions=[name_is_not_listed],
        custom={"label": "Approve", "past": "approved"},
    )
    def approve(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[State.SUBMITTED, State.REVIEWED],
        target=State.DECLINED,
        permission=_by_uninvolved_manager,
        custom={"label": "Decline", "past": "declined", "note_required": True},
    )
    def decline(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.REVIEWED, State.CHANGES_REQUESTED],
        target=State.WITHDRAWN,
        permission=_by_organizer,
        custom={"label": "Withdraw proposal", "past": "withdrawn"},
    )
    def withdraw(self):
        self.decided_at = timezone.now()


TRANSITION_NAMES = (
    "submit",
    "complete_review",
    "request_changes",
    "resubmit",
    "approve",
    "decline",
    "withdraw",
)


class Organizer(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="organizers")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254)
    institution = models.CharField(max_length=200)
    institution_is_member = models.BooleanField("Institution is a member", default=False)
    listed_publicly = models.BooleanField("Show this name on the public directory", default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                "proposal",
                models.functions.Lower("email"),
                name="organizer_email_once_per_proposal",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def role_label(self) -> str:
        return "Primary contact" if self.position == 0 else "Co-organizer"

    def snapshot(self) -> dict:
        return {
            "name": self.name,
            "email": self.email,
            "institution": self.institution,
            "institution_is_member": self.institution_is_member,
            "listed_publicly": self.listed_publicly,
        }


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class AccessLink(models.Model):
    """A private link to a proposal's status page. Only the token's hash is stored; a
    proposal may have several (one from the form, more from "find my proposals")."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="access_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Access link for {self.proposal.reference}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("The proposal history is append-only.")

    def delete(self):
        raise ValueError("The proposal history is append-only.")


class ProposalTransition(models.Model):
    """One row per state change: who, when, from, to, which transition, and the note.
    Append-only: rows are never updated or deleted (PostgreSQL also enforces it by trigger)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="transitions")
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=32, choices=State.choices)
    to_state = models.CharField(max_length=32, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    # The organizer-written content at submit and resubmit, for "what changed".
    snapshot = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.proposal_id}: {self.from_state} -> {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The proposal history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The proposal history is append-only.")


class ProgramPage(models.Model):
    """Text staff edit without a deploy: the guidelines and the home page introduction.
    The body is plain text: blank lines separate paragraphs, "## " starts a heading and
    "- " a list item."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.title


# Questions from the guidelines that staff can change (intake.questions asks and shows them).


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
    """An extra question on the proposal form, managed by program managers in the admin.
    Once answered it is retired rather than deleted, so old proposals keep their answers."""

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
