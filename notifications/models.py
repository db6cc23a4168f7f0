"""The outbox: one row per email to send, written in the same database transaction as the
change that causes it (notifications.recording), then delivered by a Celery task
(notifications.delivery)."""

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # The mail server was handed the message but never confirmed it (a timeout after DATA):
    # it may have arrived, so it is not retried blindly; a person may resend it.
    UNKNOWN = "unknown", "Delivery unknown"
    # Held, then made moot by a later email about the same thing before it went out (a
    # "reviewed" email followed by the decision): kept, never sent.
    REPLACED = "replaced", "Replaced by a later email"


# Not delivered, or not known to be: a program manager may send it again.
Status.RESENDABLE = (Status.FAILED, Status.UNKNOWN)


class Kind(models.TextChoices):
    SUBMITTED = "submitted", "Proposal submitted"
    REVIEWED = "reviewed", "Review complete"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    RESUBMITTED = "resubmitted", "Proposal resubmitted"
    APPROVED = "approved", "Proposal approved"
    DECLINED = "declined", "Proposal declined"
    WITHDRAWN = "withdrawn", "Proposal withdrawn"
    COMMENT_SHARED = "comment_shared", "Comment shared with organizers"
    ORGANIZER_REPLY = "organizer_reply", "Organizer replied"
    ACCESS_LINKS = "access_links", "Private links requested"
    DRAFT_SAVED = "draft_saved", "Draft saved: its private link"
    SIGN_IN_GUESSED = "sign_in_guessed", "Failed sign-ins on a staff account"
    NUDGE = "nudge", "Reminder: changes requested"
    STALE_WARNING = "stale_warning", "Warning: withdrawal soon"
    STALE_WITHDRAWN = "stale_withdrawn", "Withdrawn after no answer"
    DRAFT_REMINDER = "draft_reminder", "Reminder: unfinished draft"
    DRAFT_WARNING = "draft_warning", "Warning: draft deletion soon"
    ENDED_WARNING = "ended_warning", "Warning: personal data erased soon"
    DATA_ERASED = "data_erased", "Personal data erased"
    MY_DATA_LINK = "my_data_link", "Link to a person's data requested"
    INTRODUCTION = "introduction", "Introduction to an unnamed proposal asked"
    DIGEST = "digest", "Weekly digest"
    # A listed group's life (notifications.groups)
    GROUP_CHECK_IN = "group_check_in", "Group check-in opened"
    GROUP_REMINDER = "group_reminder", "Group check-in reminder"
    GROUP_LAPSED = "group_lapsed", "Group not confirmed recently"
    GROUP_LAPSED_WARNING = "group_lapsed_warning", "Warning: group archived soon"
    GROUP_ARCHIVED = "group_archived", "Group archived"
    GROUP_ACTIVE = "group_active", "Group active again"
    GROUP_HANDOVER = "group_handover", "Group handover offered"
    GROUP_HANDED_OVER = "group_handed_over", "Group handed over"
    GROUP_INVITATION = "group_invitation", "Invitation to keep a group's page"
    GROUP_WELCOME = "group_welcome", "Added as a group's organizer"
    GROUP_LINK_BROKEN = "group_link_broken", "Group web address broken"
    GROUP_LINKS = "group_links", "Links to group pages requested"
    GROUP_DIGEST = "group_digest", "Daily digest of group changes"
    GROUP_NIGHTLY_SUMMARY = "group_nightly_summary", "Nightly summary of groups' states"
    GROUP_EDITED = "group_edited", "Group details changed"
    GROUP_ORGANIZER_ADDED = "group_organizer_added", "Organizer added to a group"
    GROUP_ORGANIZER_REMOVED = "group_organizer_removed", "Organizer removed from a group"
    GROUP_HANDOVER_CANCELLED = "group_handover_cancelled", "Group handover cancelled"
    GROUP_MESSAGE = "group_message", "Message to a group's organizers"
    # The system itself (notifications.beat_watch)
    BEAT_STOPPED = "beat_stopped", "Scheduled work stopped"
    BEAT_RESUMED = "beat_resumed", "Scheduled work resumed"


class Notification(models.Model):
    """One email to one recipient. `event_key` names the event that caused it (a transition
    record, a comment, a request for links): with the recipient it is unique, so one event
    never yields two emails for one person.

    Delivery state: `status` is pending until the email is sent or given up on. A worker
    claims a pending row by moving `next_attempt_at` into the future (a lease) in one
    conditional UPDATE; the row is claimable again only when that time has passed, which is
    also how a retry waits for its backoff and how a worker killed mid-send is recovered."""

    event_key = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    proposal = models.ForeignKey(
        "intake.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    recipient = models.EmailField(max_length=254)
    # "organizer", "reviewer" or "manager": which version of the message this is.
    audience = models.CharField(max_length=20)
    subject = models.CharField(max_length=300)
    # Where answers go: program staff, unless a member wrote to a group's organizers (their
    # own address, which the contact form says it passes on).
    reply_to = models.EmailField(max_length=254, blank=True)
    body_text = models.TextField()
    body_html = models.TextField()

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"], name="notification_once_per_event_recipient"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient} ({self.status})"

    # What the outbox pages ask of the status (templates never compare it to a string).
    @property
    def is_held(self) -> bool:
        """Pending, never tried, and waiting to be sent at `next_attempt_at` (a held email)."""
        return (
            self.status == Status.PENDING
            and self.attempts == 0
            and self.next_attempt_at > timezone.now()
        )

    @property
    def is_sent(self) -> bool:
        return self.status == Status.SENT

    @property
    def is_failed(self) -> bool:
        return self.status == Status.FAILED

    @property
    def is_delivery_unknown(self) -> bool:
        return self.status == Status.UNKNOWN

    @property
    def may_resend(self) -> bool:
        """Failed, or maybe not delivered: a program manager may send it again."""
        return self.status in Status.RESENDABLE

    @property
    def is_in_progress(self) -> bool:
        """Pending and claimed or waiting for a retry (not yet due)."""
        return self.status == Status.PENDING and self.next_attempt_at > timezone.now()


class Heartbeat(models.Model):
    """When a periodic task last ran (one row per task name): /healthz and the outbox warn
    when the outbox sweep, run by Celery beat, has stopped."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
