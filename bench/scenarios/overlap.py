"""The overlap check (intake.overlap_views), called by the proposal form while the proposer
types: at 10,000 listed groups and 10,000 proposals, against the bare view (issue 17)."""

from __future__ import annotations

import time
import urllib.parse

from django.db import connection, transaction
from django.utils import timezone

from bench.fixtures import _proposal
from bench.harness import Bench
from intake.models import Proposal, State
from meetups.cache import mark_directory_changed
from meetups.models import Meetup

TARGET_OVERLAP = 0.20  # of the bare view's throughput, on PostgreSQL
OVERLAP_SIZE = 10_000
OVERLAP_YEAR = 1997  # its proposals' references, apart from the queue's (1999) and mail's

# Names and descriptions made of a library council's vocabulary, so that a query meets what
# it would on a real listing: a few close matches, many partial ones, most rows far off.
TOPICS = (
    "Comics",
    "Metadata",
    "Preservation",
    "Oral History",
    "Zines",
    "Maps",
    "Music",
    "Law",
    "Health Sciences",
    "Children's Services",
    "Teen Services",
    "Cataloging",
    "Digital Humanities",
    "Open Access",
    "Rare Books",
    "Photography",
    "Film",
    "Genealogy",
    "Data Curation",
    "Scholarly Communication",
    "Instruction",
    "Reference",
    "Outreach",
    "Accessibility",
    "User Experience",
    "Web Archiving",
    "Linked Data",
    "Conservation",
    "Art History",
    "Architecture",
    "Government Documents",
    "Labor History",
    "Poetry",
    "Science Fiction",
    "Local History",
    "Immigration",
    "Technical Services",
    "Makerspaces",
    "Podcasting",
    "Research Data",
    "Copyright",
    "Digitization",
    "Exhibits",
    "Fundraising",
    "Collection Development",
    "Special Collections",
    "Reading Groups",
    "Literacy",
    "Language Learning",
    "Job Seekers",
    "Privacy",
    "Records Management",
    "Theatre",
    "Dance",
    "Food Studies",
    "Environmental Studies",
    "Sports History",
    "Religion",
    "Philosophy",
    "Mathematics",
)
FORMS = (
    "Working Group",
    "Roundtable",
    "Collective",
    "Network",
    "Forum",
    "Study Group",
    "Reading Circle",
    "Lab",
    "Club",
    "Caucus",
)
PLACES = (
    "Brooklyn",
    "Queens",
    "Bronx",
    "Harlem",
    "Staten Island",
    "Midtown",
    "Emerging",
    "Academic",
    "Public",
    "Independent",
    "Hospital",
    "School",
    "Museum",
    "Community",
    "Downtown",
    "Uptown",
    "Evening",
    "Weekend",
    "Graduate",
    "Retired",
)
ACTIVITIES = (
    "share projects and tools",
    "visit each other's collections",
    "hear short talks",
    "read and discuss one article",
    "run hands-on workshops",
    "swap job and grant leads",
    "plan exhibits together",
    "mentor people new to the field",
)


def overlap_text(index: int) -> tuple[str, str]:
    topic = TOPICS[index % len(TOPICS)]
    form = FORMS[(index // len(TOPICS)) % len(FORMS)]
    place = PLACES[(index // (len(TOPICS) * len(FORMS))) % len(PLACES)]
    other = TOPICS[(index * 7 + 3) % len(TOPICS)]
    activity = ACTIVITIES[index % len(ACTIVITIES)]
    name = f"{place} {topic} {form}"
    description = (
        f"A {form.lower()} for people who work with {topic.lower()} and {other.lower()} in "
        f"{place.lower()} libraries, archives and museums. We meet to {activity}, and "
        f"welcome anyone curious about {topic.lower()}."
    )
    return name, description


def grow_overlap_candidates(size: int) -> tuple[int, int]:
    """Listed groups up to `size` (besides any the pages scenario made) and `size` open
    proposals of year OVERLAP_YEAR, bulk-created: the check reads names and descriptions."""
    open_states = (State.SUBMITTED, State.REVIEWED, State.CHANGES_REQUESTED)
    now = timezone.now()
    groups = Meetup.objects.listed().count()
    for first in range(0, max(size - groups, 0), 2000):
        batch = range(first, min(first + 2000, size - groups))
        with transaction.atomic():
            Meetup.objects.bulk_create(
                Meetup(
                    name=overlap_text(i)[0],
                    slug=f"overlap-{i:05d}",
                    description=overlap_text(i)[1],
                    is_listed=True,
                    position=100_000 + i,
                )
                for i in batch
            )
    for first in range(0, size, 2000):
        proposals = []
        for i in range(first, min(first + 2000, size)):
            proposal = _proposal(i, open_states[i % 3], now, year=OVERLAP_YEAR)
            # Shifted, so that a proposal is not the twin of the group of the same index.
            proposal.name, proposal.description = overlap_text(i * 13 + 5)
            proposals.append(proposal)
        Proposal.objects.bulk_create(proposals)
    # bulk_create sends no signal: the directory's version moves on here, as a save would.
    mark_directory_changed()
    return Meetup.objects.listed().count(), overlap_proposals().count()


def overlap_proposals():
    return Proposal.objects.filter(reference__startswith=f"MTG-{OVERLAP_YEAR}-")


# What a proposer has typed when the check is called: a name alone (early on), then a name
# and a description. Both close to some candidates and far from most.
OVERLAP_QUERIES = {
    "overlap, name": {"name": "Brooklyn comics readers"},
    "overlap, name and description": {
        "name": "Queens zine makers",
        "description": "We make and trade zines, run zine workshops at branch libraries, and "
        "help libraries collect and catalog them.",
    },
}


def wait_server_idle(bench: Bench, *, timeout: float = 60) -> None:
    """Until the bare view answers at once, twice in a row (both workers free)."""
    deadline = time.monotonic() + timeout
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        bench.http_get("/_bench/bare/")
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0


def scenario_overlap(bench: Bench) -> None:
    """The overlap check at 10,000 listed groups and 10,000 proposals, against the bare view."""
    if bench.time_left() < 90:
        bench.missing.append("overlap check: out of time budget")
        return
    try:
        _measure_overlap(bench)
    finally:
        # The queue scenario counts every proposal, and the Lighthouse scenario weighs the
        # directory at a realistic size: these proposals and groups leave before they run.
        overlap_proposals().delete()
        Meetup.objects.filter(slug__startswith="overlap-").delete()
        mark_directory_changed()


def _measure_overlap(bench: Bench) -> None:
    groups, proposals = grow_overlap_candidates(OVERLAP_SIZE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would, after a bulk load
    bench.log(f"overlap check: {groups} listed groups, {proposals} open proposals")
    targets = {"bare": {"path": "/_bench/bare/"}}
    for label, params in OVERLAP_QUERIES.items():
        path = "/propose/overlap/?" + urllib.parse.urlencode(params)
        status, _, body = bench.http_get(path)
        found = body.count('"kind"')
        bench.details[label] = {"status": status, "matches": found, "path": path}
        bench.log(f"{label}: {status}, {found} matches")
        # Every answer must be the list itself, not the throttle's refusal.
        # As many clients as gunicorn has workers: a slow answer then queues behind no other.
        targets[label] = {
            "path": path,
            "concurrency": bench.opts.workers,
            "extra": ("--must-contain", '"kind"'),
        }
    # Requests the driver gave up on may still hold the workers: each run, the baseline's
    # included, starts on a server that has finished them.
    runs = bench.rounds(targets, before_each=lambda: wait_server_idle(bench))
    bench.add_throughput_row(
        runs,
        "bare",
        scenario=f"Bare Django view (baseline), with {groups:,} groups and "
        f"{proposals:,} open proposals in the database",
    )
    for label in OVERLAP_QUERIES:
        bench.add_throughput_row(
            runs,
            label,
            scenario=f"/propose/overlap/ ({label}), {groups:,} groups and {proposals:,} "
            f"proposals, {bench.details[label]['matches']} matches",
            baseline="bare",
            baseline_label="bare view",
            target=TARGET_OVERLAP,
        )
