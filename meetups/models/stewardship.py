"""What keeps a listed group true after approval: the people who keep its page (never shown
publicly), handovers, private links, its append-only history and its web address check."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from .groups import Meetup
from .vocabulary import EventKind, Lifecycle


class GroupContact(models.Model):
    """A person who keeps a group's page: name and email, never shown publicly (the public
    names are MeetupOrganizer rows). Copied from the proposal on approval; added by program
    managers for imported groups, and by organizers on their private page."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    position = models.PositiveSmallIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    # When an email last carried their link (the approval, a welcome, an invitation, "find
    # my links"): the staff page's "invited on DATE"; never set, "not yet invited".
    invited_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The organizer who added this person, while they have not opened the page yet: an
    # organizer who is removed or steps down takes back what they offered (see
    # meetups.stewardship), so nobody keeps a way back in through a second address.
    added_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who added this person, by name (an organizer or a staff member), as the pages show it
    # ("added by Name"): kept when that person leaves. Empty for those copied from the
    # proposal or imported.
    added_by_name = models.CharField(max_length=200, blank=True)
    # Asked to be named on the directory (listed on the proposal, or added with "show
    # publicly"): named only once they confirm from their own email (meetups.consent);
    # declining removes them.
    name_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                "meetup", models.functions.Lower("email"), name="group_contact_email_once"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.meetup})"


class Handover(models.Model):
    """An organizer names a successor, who accepts from the link in their own email."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the successor"
        ACCEPTED = "accepted", "Accepted"
        CANCELLED = "cancelled", "Cancelled"

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="handovers")
    from_contact = models.ForeignKey(
        GroupContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_name = models.CharField(max_length=200)
    successor_name = models.CharField(max_length=200)
    successor_email = models.EmailField(max_length=254)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.from_name} to {self.successor_name} ({self.meetup})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


def hash_group_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class GroupLink(models.Model):
    """A private link to one group's page, for one person (a contact), or for a named
    successor to accept a handover. Only the token's hash is stored; links are made when
    the email is sent (notifications fills its placeholders)."""

    class Ended(models.TextChoices):
        HANDED_OVER = "handed_over", "Handed over"
        REMOVED = "removed", "Removed"
        STEPPED_DOWN = "stepped_down", "Stepped down"
        DECLINED = "declined", "Declined"
        ERASED = "erased", "Erased"

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="links")
    contact = models.ForeignKey(
        GroupContact, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    handover = models.ForeignKey(
        Handover, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # Set when its person no longer keeps the page: the link then opens only a page saying
    # so and whom to write to, instead of a bare "not found".
    ended = models.CharField(max_length=20, blank=True, choices=Ended.choices)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Private link for {self.meetup}"

    # Why the link ended, as its page asks (templates never compare it to a string).
    @property
    def was_erased(self) -> bool:
        return self.ended == self.Ended.ERASED

    @property
    def was_handed_over(self) -> bool:
        return self.ended == self.Ended.HANDED_OVER

    @property
    def was_stepped_down(self) -> bool:
        return self.ended == self.Ended.STEPPED_DOWN


class HistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("A group's history is append-only.")

    def delete(self):
        raise ValueError("A group's history is append-only.")


class MeetupEvent(models.Model):
    """A group's history: lifecycle changes, notices and reminders, check-ins, edits (with
    their diff), organizer changes and handovers. Append-only. `key` makes a timed step
    happen once: the beat task inserts "reminder:<due date>:<n>" and a second run, or a
    second worker, finds it taken."""

    meetup = models.ForeignKey(Meetup, on_delete=models.PROTECT, related_name="history")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    from_state = models.CharField(max_length=20, blank=True, choices=Lifecycle.choices)
    to_state = models.CharField(max_length=20, blank=True, choices=Lifecycle.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    # What changed (edits: {"field": [before, after]}) or what was answered (check-ins).
    details = models.JSONField(null=True, blank=True)
    # NULL, not "": rows without a key must not collide in the unique constraint.
    key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meetup", "key"], name="meetup_event_key_once")
        ]

    def __str__(self):
        return f"{self.meetup_id}: {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A group's history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A group's history is append-only.")

    # What pages ask of the kind (templates never compare it to a string).
    @property
    def is_detail_change(self) -> bool:
        return self.kind in EventKind.DETAIL_CHANGES

    @property
    def has_check_in_answers(self) -> bool:
        return self.kind in EventKind.CHECK_IN_ANSWERS

    @property
    def is_name_declined(self) -> bool:
        return self.kind == EventKind.NAME_DECLINED

    @property
    def names_new_state(self) -> bool:
        """Its history line names the state it led to, unless the label already does."""
        return bool(self.to_state) and (
            self.to_state != self.from_state and self.kind not in EventKind.STATE_IN_LABEL
        )


class LinkCheck(models.Model):
    """The last check of a group's web address (meetups.linkcheck, weekly)."""

    meetup = models.OneToOneField(Meetup, on_delete=models.CASCADE, related_name="link_check")
    url = models.URLField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    final_url = models.URLField(max_length=500, blank=True)
    # A permanent redirect (301/308) to another address: offered as the new address.
    moved_to = models.URLField(max_length=500, blank=True)
    checked_at = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    # Set after LINK_CHECK_FAILURES failures in a row; the directory then hides the link.
    broken_since = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.url}: {self.status_code or self.error}"

    @property
    def is_broken(self) -> bool:
        return self.broken_since is not None
