"""Listed groups: what the public directory shows."""

from django.db import models
from django.utils import timezone

from .names import name_key


def normalize_name(name: str) -> str:
    """Names compare without case, extra spaces, trailing dots, invisible characters or
    look-alike letters (see meetups.names)."""
    return name_key(name)


class Role(models.TextChoices):
    """The public role of a person shown with a group. Stored singular; the directory and the
    exported page say "Co-organizers" when several people share the role, as the page does."""

    ORGANIZER = "Organizer", "Organizer"
    CO_ORGANIZER = "Co-organizer", "Co-organizer"
    CONVENER = "Convener", "Convener"


ROLE_PLURALS = {
    Role.ORGANIZER: "Organizers",
    Role.CO_ORGANIZER: "Co-organizers",
    Role.CONVENER: "Conveners",
}


class MeetupQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)

    def name_taken(self, name: str, *, exclude_pk=None) -> bool:
        wanted = normalize_name(name)
        names = self.listed().exclude(pk=exclude_pk).values_list("name", flat=True)
        return any(normalize_name(n) == wanted for n in names)

    def for_directory(self):
        """Listed groups in page order, organizers fetched in one more query."""
        return self.listed().prefetch_related("organizers").order_by("position", "name", "pk")


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

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("meetups:detail", kwargs={"slug": self.slug})

    def organizer_pairs(self) -> list[tuple[str, str]]:
        """(name, role label) of each person shown, in order. Uses prefetched organizers."""
        return [(o.name, o.role_label) for o in self.organizers.all()]

    @property
    def organizers_line(self) -> str:
        from .listing import format_organizers

        return format_organizers(self.organizer_pairs())


class MeetupOrganizer(models.Model):
    """A person shown with a group, with the public role label the page uses
    ("Organizer", "Co-organizer"). No email address: organizers' emails are never public."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="organizers")
    name = models.CharField(max_length=200)
    role_label = models.CharField(max_length=60, choices=Role.choices, default=Role.ORGANIZER)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.name}, {self.role_label}"


class DirectoryPage(models.Model):
    """The directory's own text (the page's front matter and intro, kept so the exported page
    reproduces them) and a change counter. Every change to a group bumps `version`; caches
    and ETags key on it, so every web process sees a change at once. One row."""

    front_matter = models.TextField(
        blank=True, help_text="The page's Jekyll front matter, kept as is for export."
    )
    intro = models.TextField(
        blank=True,
        help_text="Shown above the groups. Blank lines separate paragraphs; [text](https://…) makes a link.",
    )
    version = models.PositiveBigIntegerField(default=1, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "directory page"

    def __str__(self):
        return "Directory page"

    def save(self, *args, **kwargs):
        # The counter only moves forward, by mark_directory_changed's UPDATE: saving a copy
        # loaded earlier (the admin form) must not write an older version back.
        if self.pk and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = ["front_matter", "intro"]
        super().save(*args, **kwargs)
