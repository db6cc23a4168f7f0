"""Time-driven actions on a proposal, each recorded once per period (intake.reminders and
reviews.reminders decide them; notifications sends their emails)."""

from django.db import models
from django.utils import timezone

from .proposals import Proposal


class ReminderKind(models.TextChoices):
    NUDGE = "nudge", "Reminder to answer a request for changes"
    STALE_WARNING = "stale_warning", "Warning before automatic withdrawal"
    STALE_WITHDRAWN = "stale_withdrawn", "Withdrawn after no answer"
    DRAFT_REMINDER = "draft_reminder", "Reminder to finish a draft"
    DRAFT_WARNING = "draft_warning", "Warning before a draft is deleted"
    DRAFT_DELETED = "draft_deleted", "Draft deleted with its personal data"
    ENDED_WARNING = "ended_warning", "Warning before an ended proposal's data is erased"
    ENDED_ERASED = "ended_erased", "Ended proposal's personal data erased"


class Reminder(models.Model):
    """One time-driven action on a proposal (a reminder, a warning, an automatic withdrawal
    or deletion), recorded once per period: `period` names the stretch of silence it is
    about (when the organizers last acted), and the unique constraint makes a second run of
    the beat task, or two at once, find the row taken and do nothing. The reference is kept
    so the history of a deleted draft survives without its personal data."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    reference = models.CharField(max_length=16)
    period = models.CharField(max_length=40)
    # For warnings: the day the withdrawal or deletion will happen.
    action_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "reference", "period"], name="reminder_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.reference}: {self.get_kind_display()} ({self.period})"
