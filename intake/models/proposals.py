"""Proposals, their organizers and private access links (the append-only audit trail is
`history`).

The proposal state machine is declared here with django-fsm (its states, transition names,
permissions and conditions are intake.workflow); the one transition runner
(common.transitions, through `intake.services.run_transition`) is the one place that runs a
transition. The state field is protected, and queryset updates that name it are refused, so
nothing else can write it.
"""

import hashlib

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from meetups.fields import validate_web_address

from ..business_days import reply_due_for
from ..workflow import (
    State,
    automatically_or_by_manager,
    by_organizer,
    by_organizer_or_stale_by_system,
    by_uninvolved_manager,
    by_uninvolved_staff,
    has_agreements,
    has_enough_organizers,
    name_is_not_listed,
)
from .choices import MeetingFormat, MeetingFrequency


class ProposalQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "state" in kwargs:
            raise ValueError("A proposal's state changes only through intake.services.")
        return super().update(**kwargs)

    def with_organizer_email(self, email: str):
        return self.filter(organizers__email__iexact=email.strip()).distinct()

    def seen_by_staff(self):
        """Proposals submitted at least once: a draft, or a draft withdrawn before anyone saw
        it, is private to its organizers (the workspace's rule, reviews.services)."""
        return self.exclude(state=State.DRAFT).filter(submitted_at__isnull=False)


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
    # What the public directory shows if the group is approved (description is for staff).
    summary = models.CharField("Public description", max_length=300, blank=True, default="")
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
    existing_url = models.URLField(
        "Existing web address for the group",
        max_length=500,
        blank=True,
        validators=[validate_web_address],
    )

    # Support asked of the council
    wants_meeting_space = models.BooleanField("Meeting space", default=False)
    wants_promotion = models.BooleanField("Promotion", default=False)
    wants_meetup_group = models.BooleanField("A meetup.com group", default=False)
    support_notes = models.TextField("Anything else you need", max_length=2000, blank=True)

    # Agreements
    agrees_to_guidelines = models.BooleanField(default=False)
    agrees_to_code_of_conduct = models.BooleanField(default=False)
    # Whether the overlap warning may name this proposal to someone proposing something
    # similar while it is under review; without it, it says only that one is being reviewed.
    shares_name_with_similar = models.BooleanField(default=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The reply promised at the latest submission (REVIEW_DAYS business days later).
    reply_due = models.DateField(null=True, blank=True, editable=False, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When its personal data was erased (intake.erasure): staff pages say so, and its
    # private links answer that it was erased.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def staff_url(self):
        """Its page in the reviewers' workspace. Its organizers' pages open by a private link
        whose token is never stored (intake.access makes those links)."""
        return reverse("reviews:detail", kwargs={"reference": self.reference})

    # What an approved proposal gives the public directory (common.publicity): its name, the
    # public description ("summary"), web address and meeting plan. "Purpose and scope"
    # (description) and every other answer are for staff only.
    PUBLIC_FIELDS = (
        "name",
        "summary",
        "existing_url",
        "meeting_frequency",
        "meeting_frequency_other",
        "meeting_format",
        "first_meeting",
    )

    # The content fields an organizer writes, in the order of the form.
    CONTENT_FIELDS = (
        "name",
        "description",
        "summary",
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
        "shares_name_with_similar",
    )

    def has_organizer_email(self, email: str) -> bool:
        if not email:
            return False
        return any(o.email.lower() == email.lower() for o in self.organizers.all())

    @property
    def is_editable_by_organizer(self) -> bool:
        return self.state in State.EDITABLE

    @property
    def has_ended(self) -> bool:
        return self.state in State.ENDED

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
            # Keyed by question, whichever version, so a reworded question's answers
            # compare across submissions.
            str(a.question.lineage_id): {"label": a.question.label, "value": a.display}
            for a in self.answers.select_related("question")
        }
        return data

    # The state machine. Transitions only change fields; the runner saves and audits.
    # `custom` holds what other code needs to know about each transition:
    #   label, past: the button's words and what happened, in the past tense;
    #   note_required, note_asks: staff must write to the organizers, and to say what;
    #   style: the Bootstrap class of its button on the reviewer's page;
    #   snapshot: the organizer-written content is stored with the record (for diffs);
    #   emails: who is emailed, in priority order (notifications reads it).
    # Read them with intake.services.PROPOSAL_REVIEW.facts(name).
    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=by_organizer,
        conditions=[has_enough_organizers, has_agreements],
        custom={
            "label": "Submit proposal",
            "past": "submitted",
            "snapshot": True,
            "emails": ("organizer", "reviewer"),
        },
    )
    def submit(self):
        self.submitted_at = timezone.now()
        self.reply_due = reply_due_for(self.submitted_at)

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.REVIEWED,
        permission=automatically_or_by_manager,
        custom={
            "label": "Mark as reviewed",
            "past": "marked as reviewed",
            "style": "btn-primary",
            "emails": ("organizer", "manager"),
        },
    )
    def complete_review(self):
        pass

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.CHANGES_REQUESTED,
        permission=by_uninvolved_staff,
        custom={
            "label": "Request changes",
            "past": "sent back for changes",
            "note_required": True,
            "note_asks": "say what needs to change",
            "style": "btn-warning",
            "emails": ("organizer",),
        },
    )
    def request_changes(self):
        pass

    @transition(
        field=state,
        source=State.CHANGES_REQUESTED,
        target=State.SUBMITTED,
        permission=by_organizer,
        conditions=[has_enough_organizers, has_agreements],
        custom={
            "label": "Resubmit proposal",
            "past": "resubmitted",
            "snapshot": True,
            "emails": ("reviewer",),
        },
    )
    def resubmit(self):
        self.submitted_at = timezone.now()
        self.reply_due = reply_due_for(self.submitted_at)

    @transition(
        field=state,
        source=State.REVIEWED,
        target=State.APPROVED,
        permission=by_uninvolved_manager,
        conditions=[name_is_not_listed],
        custom={
            "label": "Approve",
            "past": "approved",
            "style": "btn-success",
            "emails": ("organizer", "reviewer"),
        },
    )
    def approve(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.DECLINED,
        permission=by_uninvolved_manager,
        custom={
            "label": "Decline",
            "past": "declined",
            "note_required": True,
            "note_asks": "say why you are declining it",
            "style": "btn-danger",
            "emails": ("organizer",),
        },
    )
    def decline(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=State.OPEN,
        target=State.WITHDRAWN,
        permission=by_organizer_or_stale_by_system,
        custom={
            "label": "Withdraw proposal",
            "past": "withdrawn",
            "emails": ("organizer", "reviewer"),  # any organizer's link can withdraw
        },
    )
    def withdraw(self):
        self.decided_at = timezone.now()

    # What pages ask of the state (templates never compare it to a string).
    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT

    @property
    def is_under_review(self) -> bool:
        return self.state in State.UNDER_REVIEW

    @property
    def is_reviewed(self) -> bool:
        return self.state == State.REVIEWED

    @property
    def is_awaiting_changes(self) -> bool:
        return self.state == State.CHANGES_REQUESTED

    @property
    def is_approved(self) -> bool:
        return self.state == State.APPROVED


class Organizer(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="organizers")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254)
    institution = models.CharField(max_length=200)
    institution_is_member = models.BooleanField("Institution is a member", default=False)
    listed_publicly = models.BooleanField("Show this name on the public directory", default=True)

    # Only the name, and only of someone who chose to be listed (common.publicity).
    PUBLIC_FIELDS = ("name",)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                "proposal",
                models.functions.Lower("email"),
                name="organizer_email_once_per_proposal",
            )
        ]
        # "Proposals this person organizes" (the review queue's counts and views) compares
        # the address case-insensitively (email__iexact, UPPER on PostgreSQL): one lookup.
        indexes = [models.Index(models.functions.Upper("email"), name="organizer_email_upper")]

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
