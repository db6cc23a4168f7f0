"""Meetings: the program's calendar feed and the filtered directory at 1,000 listed groups,
each with a monthly meeting, against the bare view; conditional requests answered 304."""

from __future__ import annotations

import time
from datetime import date, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import transaction

from bench.fixtures import grow_listed_groups
from bench.harness import Bench

TARGET = 0.50  # of the bare view's throughput (issue 25)
GROUPS = 1000


def _monthly_meetings() -> int:
    """A monthly meeting (second Tuesday, 18:00-19:30, a year) for every listed group that
    has none, and a topic on every tenth."""
    from meetups.cache import mark_directory_changed
    from meetups.models import Meeting, Meetup, Place, Repeat, Topic

    topic, _ = Topic.objects.get_or_create(slug="bench-topic", defaults={"name": "Bench topic"})
    missing = Meetup.objects.listed().exclude(meetings__isnull=False)
    first = date(date.today().year + 1, 1, 8)
    while first.weekday() != 1:  # the first second-Tuesday of next year
        first += timedelta(days=1)
    with transaction.atomic():
        Meeting.objects.bulk_create(
            Meeting(
                meetup=group,
                starts_on=first,
                start_time=clock(18),
                end_time=clock(19, 30),
                repeat=Repeat.MONTHLY_WEEKDAY,
                week_of_month=2,
                repeat_until=date(first.year, 12, 31),
                place=Place.IN_PERSON,
                venue="Council library",
            )
            for group in missing
        )
        for group in Meetup.objects.listed().order_by("pk")[::10]:
            group.topics.add(topic)
        # bulk_create sends no signal: say the directory changed, once.
        mark_directory_changed()
    return Meeting.objects.count()


def scenario_meetings(bench: Bench) -> None:
    """Program feed and filtered directory at 1,000 groups with monthly meetings."""
    grow_listed_groups(GROUPS)
    count = _monthly_meetings()
    time.sleep(settings.DIRECTORY_RECHECK_SECONDS + 0.5)
    bench.log(f"{count} meetings")
    status, headers, body = bench.http_get("/meetups/calendar.ics")
    bench.details["program_feed"] = {
        "status": status,
        "bytes": len(body.encode()),
        "events": body.count("BEGIN:VEVENT"),
        "etag": headers.get("ETag", ""),
    }
    filtered = "/meetups/?topic=bench-topic&format=in_person"
    targets = {
        "bare": {"path": "/_bench/bare/"},
        "program_feed": {
            "path": "/meetups/calendar.ics",
            "extra": ("--header", "Accept-Encoding: gzip"),
        },
        "program_feed_conditional": {
            "path": "/meetups/calendar.ics",
            "extra": ("--conditional", "--expect", "200,304"),
        },
        "directory_filtered": {
            "path": filtered,
            "extra": ("--header", "Accept-Encoding: gzip"),
        },
        "directory_filtered_conditional": {
            "path": filtered,
            "extra": ("--conditional", "--expect", "200,304"),
        },
    }
    runs = bench.rounds(targets)
    bench.add_throughput_row(
        runs, "bare", scenario=f"Bare Django view (baseline), with {GROUPS} groups"
    )
    for key, label in (
        ("program_feed", f"/meetups/calendar.ics, {count} monthly meetings, accepting gzip"),
        ("program_feed_conditional", "/meetups/calendar.ics, conditional GET"),
        ("directory_filtered", f"{filtered} with {GROUPS} groups, accepting gzip"),
        ("directory_filtered_conditional", f"{filtered}, conditional GET"),
    ):
        statuses: dict[str, int] = {}
        for r in runs[key]:
            for status, n in r["statuses"].items():
                statuses[status] = statuses.get(status, 0) + n
        note = ""
        if key.endswith("conditional") and not statuses.get("304"):
            note = "no 304 answers"
        bench.add_throughput_row(
            runs,
            key,
            scenario=label,
            baseline="bare",
            baseline_label="bare view",
            target=TARGET,
            note=note,
            extra={"statuses": statuses},
        )
