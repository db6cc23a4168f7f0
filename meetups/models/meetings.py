"""A group's meetings: one date, or a rule that repeats (weekly or every N weeks, monthly by
the nth weekday or by the day of the month) with dates skipped, moved or cancelled.

Times are wall-clock times in the program's time zone (settings.TIME_ZONE): "6 pm" stays
6 pm across daylight-saving changes. meetups.schedule expands them; meetups.calendar writes
them as iCalendar. Everything here is public by nature (no person is named)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import validate_web_address


class Repeat(models.TextChoices):
    NEVER = "never", _("Does not repeat")
    # What the organizer picks; a stored rule is shown in its own words (meeting_words).
    WEEKLY = "weekly", _("Weekly, on the first date's weekday")
    MONTHLY_WEEKDAY = "monthly_weekday", _("Monthly, on the first date's weekday of the month")
    MONTHLY_DAY = "monthly_day", _("Monthly, on the first date's day of the month")


class Place(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Both: in person and online (hybrid)")


# The places people can join from online, and the ones they come to.
ONLINE_PLACES = (Place.ONLINE, Place.HYBRID)
IN_PERSON_PLACES = (Place.IN_PERSON, Place.HYBRID)


class Meeting(models.Model):
    meetup = models.ForeignKey("meetups.Meetup", on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("Title"), max_length=120, blank=True)
    # The first meeting's local date and times.
    starts_on = models.DateField(_("Date (the first one, if it repeats)"))
    start_time = models.TimeField(_("Starts at"))
    end_time = models.TimeField(_("Ends at"))
    repeat = models.CharField(max_length=20, choices=Repeat.choices, default=Repeat.NEVER)
    interval = models.PositiveSmallIntegerField(default=1)
    # For MONTHLY_WEEKDAY: 1-4 or -1 (last); the weekday is the first date's.
    week_of_month = models.SmallIntegerField(null=True, blank=True)
    repeat_until = models.DateField(_("Repeats until"), null=True, blank=True)
    place = models.CharField(max_length=20, choices=Place.choices, default=Place.IN_PERSON)
    # IN_PERSON has a venue or an address, ONLINE a joining link, HYBRID both.
    venue = models.CharField(_("Venue"), max_length=200, blank=True)
    address = models.CharField(_("Address"), max_length=300, blank=True)
    join_url = models.URLField(
        _("Joining link"), max_length=500, blank=True, validators=[validate_web_address]
    )
    join_url_public = models.BooleanField(_("Show the joining link publicly"), default=True)
    note = models.CharField(_("Note"), max_length=500, blank=True)
    cancelled = models.BooleanField(default=False)
    cancel_note = models.CharField(max_length=500, blank=True)
    # Drafts (seeded from a vague proposal plan) are shown only on the private page.
    confirmed = models.BooleanField(default=True)
    # iCalendar SEQUENCE: bumped on every change a calendar must pick up.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "start_time", "pk"]

    def __str__(self):
        return self.title or str(self.meetup)

    @property
    def uid(self) -> str:
        return f"meeting-{self.pk}@meetups"

    @property
    def online(self) -> bool:
        """People join from anywhere (online or hybrid)."""
        return self.place in ONLINE_PLACES

    @property
    def in_person(self) -> bool:
        """People come to a venue (in person or hybrid)."""
        return self.place in IN_PERSON_PLACES

    @property
    def public_join_url(self) -> str:
        return self.join_url if self.online and self.join_url_public else ""

    @property
    def repeats(self) -> bool:
        return self.repeat != Repeat.NEVER


class MeetingChange(models.Model):
    """One date of a repeating meeting skipped, cancelled (with a note) or moved (its own
    start, end, place and note)."""

    class Kind(models.TextChoices):
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    original_date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    new_date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "original_date"], name="one_change_a_date")
        ]
        ordering = ["original_date"]

    def __str__(self):
        return f"{self.meeting} {self.original_date}: {self.kind}"

    @property
    def is_move(self) -> bool:
        return self.kind == self.Kind.MOVED
