"""Listed groups: what the public directory shows."""

import calendar

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ..fields import validate_web_address, web_address_problem
from ..limits import (
    DESCRIPTION_MAX_LENGTH,
    FRONT_MATTER_MAX_LENGTH,
    INTRO_MAX_LENGTH,
    MEETING_DETAILS_MAX_LENGTH,
)
from ..naming import Role, format_organizers, name_keys
from .vocabulary import EventKind, Lifecycle


def add_months(day, months: int):
    """The same day `months` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# Permissions for lifecycle transitions. django-fsm calls them with (meetup, actor); the
# actor is a common.actors.Actor.
def _by_system(meetup, actor) -> bool:
    return bool(actor.system)


def _by_organizer(meetup, actor) -> bool:
    return bool(actor.organizer)


def _by_manager(meetup, actor) -> bool:
    return bool(actor.is_program_manager)


def _by_system_or_manager(meetup, actor) -> bool:
    return bool(actor.system or actor.is_program_manager)


# Conditions. django-fsm calls them with the meetup.
def not_archived_by_staff(meetup) -> bool:
    """An organizer's check-in brings back a group the schedule archived for silence, never
    one a program manager archived on purpose."""
    return meetup.lifecycle != Lifecycle.ARCHIVED or meetup.archived_automatically


def name_is_free(meetup) -> bool:
    return not Meetup.objects.name_taken(meetup.name, exclude_pk=meetup.pk)


LIFECYCLE_CONDITION_MESSAGES = {
    not_archived_by_staff: "a program manager archived it; ask them to list it again",
    name_is_free: "a listed group now has its name; rename one of them first",
}

LIFECYCLE_TRANSITIONS = tuple(str(kind) for kind in EventKind.TRANSITIONS)

NOT_ARCHIVED = list(Lifecycle.NOT_ARCHIVED)


class MeetupQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)

    def name_taken(self, name: str, *, exclude_pk=None) -> bool:
        wanted = name_keys(name)
        names = self.listed().exclude(pk=exclude_pk).values_list("name", flat=True)
        return any(wanted & name_keys(n) for n in names)

    def for_directory(self):
        """Listed groups in their order (by name), so a new group takes its place among
        them; the page and the export share it. Organizers are fetched in one more query."""
        return self.listed().select_related("link_check").prefetch_related("organizers", "topics")


class Meetup(ConcurrentTransitionMixin, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    url = models.URLField(
        "Web address", max_length=500, blank=True, validators=[validate_web_address]
    )
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    meeting_details = models.TextField(
        "When and where the group meets", blank=True, max_length=MEETING_DETAILS_MAX_LENGTH
    )
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
    # Members may write to the organizers from the group's page (relayed, addresses hidden);
    # the organizers can switch it off on their private page.
    accepts_messages = models.BooleanField("Members can write to the organizers", default=True)
    topics = models.ManyToManyField("meetups.Topic", blank=True, related_name="meetups")

    # The group's life after approval. Only the transition runner changes `lifecycle`
    # (meetups.lifecycle.run_transition);
    # `is_listed` follows it (archived groups are not listed).
    lifecycle = FSMField(
        default=Lifecycle.ACTIVE, choices=Lifecycle.choices, protected=True, db_index=True
    )
    check_in_due_on = models.DateField("Check-in due on", null=True, blank=True, db_index=True)
    last_confirmed_at = models.DateTimeField("Last confirmed active", null=True, blank=True)
    archived_automatically = models.BooleanField(default=False, editable=False)
    # When the group entered its current state: each state lasts at least its period counted
    # from this day (meetups.nightly), however late the pass or old the import.
    state_since = models.DateTimeField("In this state since", default=timezone.now)

    objects = MeetupQuerySet.as_manager()

    # What the directory, its JSON, the Markdown export and the group's page show
    # (common.publicity).
    PUBLIC_FIELDS = (
        "name",
        "slug",
        "url",
        "description",
        "meeting_details",
        "lifecycle",
        "last_confirmed_at",
    )

    class Meta:
        # By name, as people look a group up (case ignored): the directory, the home page
        # and the form's list of groups agree.
        ordering = [Lower("name"), "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Every group has a check-in date: a year (CHECK_IN_MONTHS) after it was listed.
        if self.check_in_due_on is None:
            self.check_in_due_on = add_months(
                timezone.localdate(self.created_at), settings.CHECK_IN_MONTHS
            )
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "check_in_due_on"}
        super().save(*args, **kwargs)

    # Its links, named here once: its public page, its staff page, writing to its organizers,
    # and its calendar feed. Its organizers' private pages open by a token that is never stored
    # (meetups.access makes those links).
    def get_absolute_url(self):
        return reverse("meetups:detail", kwargs={"slug": self.slug})

    def staff_url(self):
        return reverse("meetups:staff_group", kwargs={"slug": self.slug})

    def write_url(self):
        return reverse("meetups:write", kwargs={"slug": self.slug})

    def feed_url(self):
        return reverse("meetups:group_feed", kwargs={"slug": self.slug})

    # The lifecycle. Transitions only change fields; the runner (common.transitions, through
    # meetups.lifecycle.GROUP_LIFE) saves, records the history and announces the change.
    @transition(
        field=lifecycle,
        source=Lifecycle.ACTIVE,
        target=Lifecycle.CHECK_IN_DUE,
        permission=_by_system,
        custom={"label": "Open the yearly check-in", "past": "due for its check-in"},
    )
    def open_check_in(self):
        pass

    @transition(
        field=lifecycle,
        source=Lifecycle.CHECK_IN_DUE,
        target=Lifecycle.LAPSED,
        permission=_by_system,
        custom={"label": "Mark as not confirmed recently", "past": "marked not confirmed"},
    )
    def lapse(self):
        pass

    @transition(
        field=lifecycle,
        source=[*NOT_ARCHIVED, Lifecycle.ARCHIVED],
        target=Lifecycle.ACTIVE,
        permission=_by_organizer,
        conditions=[not_archived_by_staff, name_is_free],
        custom={"label": "Confirm the group is active", "past": "confirmed"},
    )
    def check_in(self):
        self.is_listed, self.archived_automatically = True, False

    @transition(
        field=lifecycle,
        source=NOT_ARCHIVED,
        target=Lifecycle.ACTIVE,
        permission=_by_manager,
        custom={"label": "Extend", "past": "extended", "note_required": True},
    )
    def extend(self):
        pass

    @transition(
        field=lifecycle,
        source=NOT_ARCHIVED,
        target=Lifecycle.ARCHIVED,
        permission=_by_system_or_manager,
        custom={"label": "Archive", "past": "archived"},
    )
    def archive(self):
        self.is_listed = False

    @transition(
        field=lifecycle,
        source=NOT_ARCHIVED,
        target=Lifecycle.ARCHIVED,
        permission=_by_organizer,
        custom={"label": "Close the group", "past": "closed"},
    )
    def retire(self):
        self.is_listed, self.archived_automatically = False, False

    @transition(
        field=lifecycle,
        source=Lifecycle.ARCHIVED,
        target=Lifecycle.ACTIVE,
        permission=_by_manager,
        conditions=[name_is_free],
        custom={"label": "List again", "past": "listed again"},
    )
    def restore(self):
        self.is_listed, self.archived_automatically = True, False

    def organizer_pairs(self) -> list[tuple[str, str]]:
        """(name, role label) of each person shown, in order. Uses prefetched organizers."""
        return [(o.name, o.role_label) for o in self.organizers.all()]

    @property
    def public_url(self) -> str:
        """The web address the public sees: none while the weekly check finds it broken, nor
        when it breaks the web address rules (an address stored before they held)."""
        if not self.url or web_address_problem(self.url):
            return ""
        try:
            check = self.link_check
        except models.ObjectDoesNotExist:
            return self.url
        return "" if check.is_broken and check.url == self.url else self.url

    @property
    def organizers_line(self) -> str:
        return format_organizers(self.organizer_pairs())

    # What pages ask of the lifecycle (templates never compare it to a string).
    @property
    def is_check_in_due(self) -> bool:
        return self.lifecycle == Lifecycle.CHECK_IN_DUE

    @property
    def is_lapsed(self) -> bool:
        return self.lifecycle == Lifecycle.LAPSED

    @property
    def confirmed_recently(self) -> bool:
        return not self.is_lapsed

    @property
    def is_awaiting_check_in(self) -> bool:
        return self.lifecycle in Lifecycle.AWAITING_CHECK_IN

    @property
    def is_archived(self) -> bool:
        return self.lifecycle == Lifecycle.ARCHIVED


class MeetupOrganizer(models.Model):
    """A person shown with a group, with the public role label the page uses
    ("Organizer", "Co-organizer"). No email address: organizers' emails are never public."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="organizers")
    name = models.CharField(max_length=200)
    role_label = models.CharField(max_length=60, choices=Role.choices, default=Role.ORGANIZER)
    position = models.PositiveSmallIntegerField(default=0)

    PUBLIC_FIELDS = ("name", "role_label")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.name}, {self.role_label}"


class DirectoryPage(models.Model):
    """The directory's own text: the page's front matter and intro, kept so the exported page
    reproduces them. One row."""

    front_matter = models.TextField(
        blank=True,
        max_length=FRONT_MATTER_MAX_LENGTH,
        help_text="The page's Jekyll front matter, kept as is for export.",
    )
    intro = models.TextField(
        blank=True,
        max_length=INTRO_MAX_LENGTH,
        help_text="Shown above the groups. Blank lines separate paragraphs; [text](https://…) makes a link.",
    )

    class Meta:
        verbose_name = "directory page"

    def __str__(self):
        return "Directory page"


class DirectoryVersion(models.Model):
    """The directory's change counter. Every change to a group or the page moves `version`
    on (meetups.cache.mark_directory_changed); caches and ETags key on it, so every web
    process sees a change at once. Its row lock also serialises changes to the listed groups
    (meetups.services.lock_directory). One row."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Directory version {self.version}"
