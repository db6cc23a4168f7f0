"""Listed groups: what the public directory shows."""

from django.db import models
from django.utils import timezone


def normalize_name(name: str) -> str:
    """Names compare without case, extra spaces or trailing punctuation."""
    return " ".join(name.casefold().split()).strip(" .")


class MeetupQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)

    def name_taken(self, name: str) -> bool:
        wanted = normalize_name(name)
        return any(
            normalize_name(n) == wanted for n in self.listed().values_list("name", flat=True)
        )


class Meetup(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    url = models.URLField("Web address", max_length=500, blank=True)
    description = models.TextField(blank=True)
    is_listed = models.BooleanField("Listed on the public directory", default=True)
    position = models.PositiveIntegerField(default=0, help_text="Order on the directory page.")
    proposal = models.OneToOneField(
        "intake.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetup",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetupQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class MeetupOrganizer(models.Model):
    """A person shown with a group, with the public role label the page uses
    ("Organizer", "Co-organizers"). No email address: organizers' emails are never public."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="organizers")
    name = models.CharField(max_length=200)
    role_label = models.CharField(max_length=60, default="Organizer")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.name}, {self.role_label}"
