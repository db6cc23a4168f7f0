"""Business rules for listed groups: listing an approved proposal, staff edits and archiving,
importing and exporting the council's Markdown page, and the directory's lock. Its change
counter, read by the HTTP cache, is in meetups.cache."""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.actors import Actor

from . import lifecycle
from .listing import ListedGroup, Listing, parse_listing, render_listing
from .listing_text import normalize_text
from .locks import lock_directory
from .meetings import seed_from_proposal
from .models import (
    DirectoryPage,
    EventKind,
    GroupContact,
    Meetup,
    MeetupOrganizer,
    Role,
    normalize_name,
)

PAGE_PK = 1  # the directory page is a single row

# The directory page and its lock


def directory_page() -> DirectoryPage:
    page, _ = DirectoryPage.objects.get_or_create(pk=PAGE_PK)
    return page


# Groups


def unique_slug(name: str, *, taken: set[str] | None = None, exclude_pk=None) -> str:
    """A slug from the name that no other group has: "ux-in-libraries", then "-2", "-3"…"""
    base = slugify(name)[:190] or "group"
    existing = set(
        Meetup.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    ) | (taken or set())
    slug, n = base, 2
    while slug in existing:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _next_position() -> int:
    last = Meetup.objects.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _set_organizers(meetup: Meetup, people: list[tuple[str, str]]) -> None:
    # bulk_create sends no post_save: every caller also saves `meetup` in its transaction,
    # and that save marks the directory changed (meetups.signals).
    meetup.organizers.all().delete()
    MeetupOrganizer.objects.bulk_create(
        MeetupOrganizer(meetup=meetup, name=name, role_label=role, position=i)
        for i, (name, role) in enumerate(people)
    )


def _create_meetup(*, name: str, taken: set[str] | None = None, **fields) -> Meetup:
    """Create with a unique slug, retrying if a concurrent request took the same one."""
    for _attempt in range(5):
        slug = unique_slug(name, taken=taken)
        try:
            with transaction.atomic():
                return Meetup.objects.create(name=name, slug=slug, **fields)
        except IntegrityError:
            (taken := taken or set()).add(slug)
    raise IntegrityError(f"Could not find a free web address for {name!r}.")


def meeting_plan(proposal) -> str:
    """The group's meeting plan as the proposal gave it, in words for "When and where the
    group meets": "Monthly, online. First meeting planned for March 2027." The organizers
    refine it on their group's page."""
    frequency = (
        proposal.meeting_frequency_other.strip()
        if proposal.meeting_frequency == "other"
        else proposal.get_meeting_frequency_display()
    )
    parts = [p for p in (frequency, proposal.get_meeting_format_display()) if p]
    plan = (
        (", ".join([parts[0], *(p[0].lower() + p[1:] for p in parts[1:])]) + ".") if parts else ""
    )
    if proposal.first_meeting:
        first = date_format(proposal.first_meeting, "YEAR_MONTH_FORMAT")
        plan = f"{plan} " + _("First meeting planned for %(month)s.") % {"month": first}
    return plan.strip()


def list_approved_proposal(*, proposal) -> Meetup:
    """The listed group for an approved proposal, created once, in the caller's transaction
    (the proposal machine's runner calls this on approve). Only the primary contact is named at once;
    co-organizers who asked to be listed are named when they confirm (meetups.consent)."""
    existing = Meetup.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    # The primary contact filled in the form and agreed to be listed; the co-organizers they
    # listed are named once they confirm from their own email (meetups.consent).
    organizers = list(proposal.organizers.all())
    people = [o.name.strip() for o in organizers[:1] if o.listed_publicly]
    role = Role.ORGANIZER
    meetup = _create_meetup(
        name=" ".join(proposal.name.split()),
        url=proposal.existing_url,
        # Only the public description the organizers wrote for the directory: "Purpose and
        # scope" is for staff and never published, even when the public one is blank.
        description=normalize_text(proposal.summary),
        meeting_details=meeting_plan(proposal),
        position=_next_position(),
        proposal=proposal,
    )
    _set_organizers(meetup, [(name, str(role.value)) for name in people])
    # Everyone on the proposal keeps the group's page, listed publicly or not.
    GroupContact.objects.bulk_create(
        GroupContact(
            meetup=meetup,
            name=o.name.strip(),
            email=o.email.strip().lower(),
            position=i,
            name_pending=i > 0 and o.listed_publicly,
            # The approval email carries each one's link to the group's page.
            invited_at=timezone.now(),
        )
        for i, o in enumerate(organizers)
    )
    # Approval is the group's first confirmation that it is active.
    meetup.last_confirmed_at = proposal.decided_at or timezone.now()
    meetup.save(update_fields=["last_confirmed_at"])
    # The plan the proposal stated, as a draft schedule the organizers confirm.
    seed_from_proposal(meetup=meetup, proposal=proposal)
    return meetup


class NameTaken(ValueError):
    """Another listed group has this name; the message is for the person who chose it."""


def update_meetup(
    *, meetup: Meetup, name: str, url: str, description: str, organizers: list[tuple[str, str]]
) -> Meetup:
    """A program manager's edit. The slug stays, so links to the group keep working.
    Raises NameTaken, changing nothing, when another listed group has the name (checked
    with the directory locked, so two edits or an approval cannot both take one name)."""
    with transaction.atomic():
        lock_directory()
        if Meetup.objects.name_taken(name, exclude_pk=meetup.pk):
            raise NameTaken("Another listed group already has this name.")
        meetup.name = " ".join(name.split())
        meetup.url = url.strip()
        meetup.description = normalize_text(description)
        meetup.save()
        people = [(" ".join(n.split()), role) for n, role in organizers if n.strip()]
        if people != meetup.organizer_pairs():
            _set_organizers(meetup, people)
    return meetup


# A program manager acting from server-side code (a shell, a management command): the
# default actor of archive_meetup and restore_meetup. Pages pass the signed-in person's.
STAFF_TOOL = Actor.staff(None, is_reviewer=False, is_program_manager=True)


def archive_meetup(*, meetup: Meetup, actor=None, note: str = "") -> Meetup:
    """Take a group off every public view: the lifecycle's `archive`. It stays in the
    database, and a program manager can list it again (restore_meetup)."""
    return lifecycle.run_transition(
        meetup=meetup, name=EventKind.ARCHIVE, actor=actor or STAFF_TOOL, note=note
    )


def restore_meetup(*, meetup: Meetup, actor=None, note: str = "") -> Meetup:
    """List an archived group again, in its old place on the directory: the lifecycle's
    `restore`. Raises NameTaken, changing nothing, when a listed group has taken its name
    since it was archived."""
    with transaction.atomic():
        lock_directory()
        if Meetup.objects.name_taken(meetup.name, exclude_pk=meetup.pk):
            raise NameTaken(
                f"A listed group is now called {meetup.name}: rename one of them (the listed "
                "one from its page, this one in the admin) before listing this one again."
            )
        restored = lifecycle.run_transition(
            meetup=meetup, name=EventKind.RESTORE, actor=actor or STAFF_TOOL, note=note
        )
    return restored


# Export


def current_listing() -> Listing:
    """The directory as the page's data: front matter, intro and listed groups in order."""
    page = directory_page()
    return Listing(
        front_matter=page.front_matter or f"title: {settings.PROGRAM_NAME}",
        intro=page.intro,
        groups=[
            ListedGroup(
                name=m.name, url=m.url, organizers=m.organizer_pairs(), description=m.description
            )
            for m in Meetup.objects.for_directory()
        ],
    )


def export_listing() -> str:
    return render_listing(current_listing())


# Import


@dataclass
class GroupChange:
    name: str
    status: str  # "created", "updated" or "unchanged"
    fields: list[str] = field(default_factory=list)  # what changes, for "updated"
    archived: bool = False


@dataclass
class ImportReport:
    groups: list[GroupChange]
    intro: str  # "updated" or "unchanged"
    not_in_page: list[str]
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for g in self.groups if g.status == status)

    @property
    def changed(self) -> bool:
        return self.intro == "updated" or any(g.status != "unchanged" for g in self.groups)


FIELD_LABELS = {
    "name": "name",
    "url": "web address",
    "description": "description",
    "organizers": "organizers",
}


def _incoming_name(*, stored: str, incoming: str) -> str:
    """The name a matched group takes from the page. A look-alike of the stored name (a
    letter from another script, a digit for a letter, an invisible character) keeps the
    stored name: an import never renames a group to a homoglyph of itself. A plain change of
    case or spacing ("Code4lib NYC" to "Code4Lib NYC") is taken."""
    if normalize_name(incoming) != normalize_name(stored):
        return incoming

    def plain(name: str) -> str:
        return "".join(c for c in name.casefold() if c.isalnum())

    return incoming if plain(incoming) == plain(stored) else stored


def _plan(listing: Listing) -> list[tuple[ListedGroup, Meetup | None, GroupChange]]:
    everything = list(Meetup.objects.prefetch_related("organizers").order_by("-is_listed", "pk"))
    by_name: dict[str, Meetup] = {}
    by_slug: dict[str, Meetup] = {}
    for m in everything:
        by_name.setdefault(normalize_name(m.name), m)
        by_slug.setdefault(m.slug, m)
    claimed: set[int] = set()
    plan = []
    for group in listing.groups:
        meetup = by_name.get(normalize_name(group.name)) or by_slug.get(slugify(group.name))
        if meetup is not None and meetup.pk in claimed:
            meetup = None
        if meetup is None:
            plan.append((group, None, GroupChange(group.name, "created")))
            continue
        claimed.add(meetup.pk)
        group = replace(group, name=_incoming_name(stored=meetup.name, incoming=group.name))
        differences = [
            key
            for key, before, after in (
                ("name", meetup.name, group.name),
                ("url", meetup.url, group.url),
                ("description", meetup.description, group.description),
                ("organizers", meetup.organizer_pairs(), list(group.organizers)),
            )
            if before != after
        ]
        change = GroupChange(
            group.name,
            "updated" if differences else "unchanged",
            [FIELD_LABELS[d] for d in differences],
            archived=not meetup.is_listed,
        )
        plan.append((group, meetup, change))
    return plan


def import_listing(*, text: str, dry_run: bool = False) -> ImportReport:
    """Bring a listing page in. Groups match existing ones by name (then by slug) and are
    updated in place, so importing twice changes nothing. Archived groups stay archived, and
    groups missing from the page are left as they are. Raises listing.ListingError, having
    changed nothing, when the page cannot be read; with dry_run, reports and writes nothing."""
    listing = parse_listing(text)
    with transaction.atomic():
        lock_directory()
        page = directory_page()
        plan = _plan(listing)
        intro_changed = (page.front_matter, page.intro) != (listing.front_matter, listing.intro)
        matched = {m.pk for _g, m, _c in plan if m is not None}
        report = ImportReport(
            groups=[change for _g, _m, change in plan],
            intro="updated" if intro_changed else "unchanged",
            not_in_page=list(
                Meetup.objects.listed().exclude(pk__in=matched).values_list("name", flat=True)
            ),
            dry_run=dry_run,
        )
        if dry_run or not report.changed:
            return report
        if intro_changed:
            page.front_matter, page.intro = listing.front_matter, listing.intro
            page.save(update_fields=["front_matter", "intro"])
        taken: set[str] = set()
        for group, meetup, change in plan:
            if change.status == "unchanged":
                continue
            if meetup is None:
                meetup = _create_meetup(
                    name=group.name,
                    taken=taken,
                    url=group.url,
                    description=group.description,
                    # After every group staff placed, in the page's order among the new.
                    position=_next_position(),
                )
                taken.add(meetup.slug)
                _set_organizers(meetup, group.organizers)
                continue
            meetup.name, meetup.url = group.name, group.url
            # A matched group keeps the place staff gave it: the page's order is not theirs.
            meetup.description = group.description
            meetup.save()
            if "organizers" in change.fields:
                _set_organizers(meetup, group.organizers)
    return report
