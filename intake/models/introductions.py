"""Someone proposing a group was told that a similar proposal is under review, whose
proposers chose not to be named: they ask program staff to pass their details on
(intake.introductions). Private: program managers read it in their email and in the staff
workspace (/reviews/introductions/), where they mark it done once passed on; erased with the
proposal."""

from django.db import models
from django.utils import timezone

from .proposals import Proposal


class IntroductionRequest(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="introduction_requests"
    )
    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254)
    message = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When a program manager marked it passed on (None: still to do).
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Introduction to {self.proposal.reference}"
