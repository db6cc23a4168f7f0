"""Someone proposing a group was told that a similar proposal is under review, whose
proposers chose not to be named: they ask program staff to pass their details on
(intake.introductions). Private: staff read it in their email; erased with the proposal."""

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

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Introduction to {self.proposal.reference}"
