"""Data for the benchmark, written straight into the benchmark's own database.

Listed groups go through the ORM one by one (so whatever keeps the directory cache fresh
sees them). Proposals for the reviewer queue are bulk-created with their state set at
construction: that bypasses the transition service, which is allowed here and nowhere else,
because 10,000 proposals through the service would take minutes."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP
from intake.models import Organizer, Proposal, State

GROUP_PREFIX = "Bench Group "
DESCRIPTION = (
    "A benchmark group that meets to talk about catalogues, archives and community "
    "programs. Anyone who works in or with libraries in the region is welcome; meetings "
    "alternate between short talks and open discussion."
)
STAFF_PASSWORD = "bench-only-password-9f2c"  # noqa: S105 -- a throwaway database


def group_name(index: int) -> str:
    return f"{GROUP_PREFIX}{index:04d}"


def listed_group_count() -> int:
    from meetups.models import Meetup

    return Meetup.objects.filter(slug__startswith="bench-group-").count()


def grow_listed_groups(size: int) -> int:
    """Add listed groups (each with two organizers) until there are `size` of them."""
    from meetups.models import Meetup, MeetupOrganizer

    start = listed_group_count()
    for first in range(start, size, 100):
        with transaction.atomic():
            for index in range(first, min(first + 100, size)):
                meetup = Meetup.objects.create(
                    name=group_name(index),
                    slug=f"bench-group-{index:04d}",
                    url=f"https://groups.example.org/{index}/",
                    description=DESCRIPTION,
                    is_listed=True,
                    position=index,
                )
                MeetupOrganizer.objects.create(
                    meetup=meetup, name=f"Ada Organizer {index}", role_label="Organizer"
                )
                MeetupOrganizer.objects.create(
                    meetup=meetup,
                    name=f"Grace Convener {index} and Alan Helper {index}",
                    role_label="Co-organizers",
                    position=1,
                )
    return listed_group_count()


def staff_user(email: str, *, role: str):
    """A reviewer or program manager with a known password (bench database only)."""
    User = get_user_model()
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User.objects.create_user(
            username=email, email=email, password=STAFF_PASSWORD, first_name=role.title()
        )
    group = REVIEWERS_GROUP if role == "reviewer" else PROGRAM_MANAGERS_GROUP
    user.groups.add(Group.objects.get(name=group))
    return user


# A mix like a busy year's queue: most proposals waiting or decided, a few drafts.
STATE_MIX = [
    State.SUBMITTED,
    State.SUBMITTED,
    State.SUBMITTED,
    State.REVIEWED,
    State.REVIEWED,
    State.CHANGES_REQUESTED,
    State.APPROVED,
    State.DECLINED,
    State.WITHDRAWN,
    State.DRAFT,
]

_serial = itertools.count(1)


def proposal_count() -> int:
    return Proposal.objects.filter(reference__startswith="MTG-1999-").count()


def _proposal(index: int, state: str, now, *, year: int = 1999) -> Proposal:
    submitted = now - datetime.timedelta(minutes=index % 100_000)
    return Proposal(
        # Years 1998/1999 keep these references apart from the ones the form hands out.
        reference=f"MTG-{year}-{index:05d}",
        state=state,  # set at construction: fixtures only, never elsewhere
        name=f"Bench Proposal {index}",
        description="A proposal made by the benchmark, to fill the reviewer queue. " * 4,
        audience="Librarians, archivists and anyone curious.",
        open_to_all=True,
        differs_from_existing="It is made up for a benchmark.",
        activities="Talks and discussions.",
        meeting_frequency="monthly",
        meeting_format="hybrid",
        agrees_to_guidelines=True,
        agrees_to_code_of_conduct=True,
        submitted_at=None if state == State.DRAFT else submitted,
        decided_at=submitted if state in (State.APPROVED, State.DECLINED) else None,
    )


def grow_proposals(size: int, *, batch: int = 1000) -> int:
    """Bulk-create proposals in mixed states (two organizers each) up to `size`."""
    start = proposal_count()
    now = timezone.now()
    for first in range(start, size, batch):
        indexes = range(first, min(first + batch, size))
        with transaction.atomic():
            proposals = Proposal.objects.bulk_create(
                _proposal(i, STATE_MIX[i % len(STATE_MIX)], now) for i in indexes
            )
            Organizer.objects.bulk_create(
                Organizer(
                    proposal=proposal,
                    position=position,
                    name=f"Bench Organizer {proposal.pk}-{position}",
                    email=f"organizer{proposal.pk}-{position}@bench.example.org",
                    institution="Queens Public Library",
                    listed_publicly=True,
                )
                for proposal in proposals
                for position in range(2)
            )
    return proposal_count()


def submitted_proposals_for_email(count: int) -> list[Proposal]:
    """`count` fresh submitted proposals, each with two organizers: the email pipeline
    requests changes on each, which emails both organizers."""
    now = timezone.now()
    start = next(_serial) * 10_000
    with transaction.atomic():
        proposals = Proposal.objects.bulk_create(
            _proposal(start + i, State.SUBMITTED, now, year=1998) for i in range(count)
        )
        Organizer.objects.bulk_create(
            Organizer(
                proposal=proposal,
                position=position,
                name=f"Mail Organizer {proposal.pk}-{position}",
                email=f"mail{proposal.pk}-{position}@bench.example.org",
                institution="Brooklyn Public Library",
            )
            for proposal in proposals
            for position in range(2)
        )
    return proposals
