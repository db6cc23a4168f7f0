"""The append-only audit trail of proposals: one row per state change."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..workflow import State
from .proposals import Proposal


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
        # The report (reports.figures) counts submissions by date.
        indexes = [models.Index(fields=["transition", "created_at"], name="transition_kind_time")]

    def __str__(self):
        return f"{self.proposal_id}: {self.from_state} -> {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The proposal history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The proposal history is append-only.")
