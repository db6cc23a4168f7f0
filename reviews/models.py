"""Reviews and comments on proposals. A review is one reviewer's recommendation (one per
reviewer per proposal, editable); a comment is a message in a proposal's thread, either
internal to staff or shared with the organizers."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Recommendation(models.TextChoices):
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"
    DECLINE = "decline", "Decline"


class Review(models.Model):
    proposal = models.ForeignKey(
        "intake.Proposal", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    notes = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"], name="one_review_per_reviewer_per_proposal"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} on {self.proposal_id}: {self.recommendation}"


class Visibility(models.TextChoices):
    INTERNAL = "internal", "Internal: staff only"
    SHARED = "shared", "Shared with the organizers"


class Comment(models.Model):
    proposal = models.ForeignKey(
        "intake.Proposal", on_delete=models.CASCADE, related_name="comments"
    )
    # A staff author, or nobody when the organizers wrote it through their private link.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal_comments",
    )
    by_organizers = models.BooleanField(default=False)
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["proposal", "visibility", "created_at"])]
        constraints = [
            # Exactly one kind of author; organizers can only write to the shared thread.
            models.CheckConstraint(
                condition=(
                    models.Q(by_organizers=True, author__isnull=True, visibility="shared")
                    | models.Q(by_organizers=False, author__isnull=False)
                ),
                name="comment_has_one_kind_of_author",
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=["internal", "shared"]),
                name="comment_visibility_is_known",
            ),
        ]

    def __str__(self):
        return f"Comment on {self.proposal_id} by {self.author_label}"

    @property
    def author_label(self) -> str:
        if self.by_organizers:
            return "Organizers"
        return self.author.get_full_name() or self.author.get_username()

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class DigestPreference(models.Model):
    """Whether a staff member wants the weekly digest (reviews.digests). No row means yes:
    digests are on until someone turns them off on their settings page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    wants_digest = models.BooleanField("Send me the weekly digest", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}: digest {'on' if self.wants_digest else 'off'}"


class QueueVersion(models.Model):
    """One row, given a new random token by every saved or deleted proposal
    (reviews.queue_counts): the queue's counts by state are counted once per token, not on
    every page. Random, not a counter, so a rolled-back change never brings back a token
    that once stood for other rows."""

    token = models.CharField(max_length=32, default="")

    def __str__(self):
        return f"Queue version {self.token}"
