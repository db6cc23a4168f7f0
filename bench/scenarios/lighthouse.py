"""Weight and Lighthouse: what a first visit to each public page transfers, and Lighthouse's
scores (mobile emulation) on every public and organizer page (bench.lighthouse runs it)."""

from __future__ import annotations

import re
import statistics
import time

from django.conf import settings
from django.db import transaction

from bench import lighthouse
from bench.fixtures import grow_listed_groups
from bench.harness import Bench
from intake import services as intake_services
from meetups.access import issue_group_link
from meetups.cache import mark_directory_changed
from meetups.models import GroupContact, Meetup

KB = 1024
# A first visit (compressed HTML, stylesheet, scripts, icon), issue 17.
WEIGHT_BUDGETS = {"/propose/": 25 * KB}
WEIGHT_BUDGET = 15 * KB
PUBLIC_PAGES = {
    "home": "/",
    "guidelines": "/guidelines/",
    "directory": "/meetups/",
    "group page": "/meetups/bench-group-0000/",
    "propose": "/propose/",
}
# A directory of a realistic size while this runs (the pages scenario lists up to 1,000).
DIRECTORY_SIZE = 10
SECONDS_PER_RUN = 20


def organizer_pages() -> dict[str, str]:
    """Pages an organizer opens through a private link: check your answers (a draft), a
    submitted proposal's status page and a listed group's own page."""
    content = {
        "name": "Lighthouse Readers Circle",
        "description": "A reading group for library staff, meeting to discuss new books.",
        "audience": "Library staff and friends of the library.",
        "open_to_all": True,
        "differs_from_existing": "No listed group reads fiction together.",
        "activities": "A book a month, discussed over lunch.",
        "meeting_frequency": "monthly",
        "meeting_format": "hybrid",
        "agrees_to_guidelines": True,
        "agrees_to_code_of_conduct": True,
    }
    organizers = [
        intake_services.OrganizerData(
            name=f"Lighthouse Organizer {i}",
            email=f"lighthouse{i}@bench.example.org",
            institution="Brooklyn Public Library",
        )
        for i in range(2)
    ]
    _, draft_token = intake_services.create_draft(content=content, organizers=organizers)
    proposal, token = intake_services.create_draft(
        content={**content, "name": "Lighthouse Map Room"}, organizers=organizers
    )
    intake_services.submit_for_review(proposal=proposal)
    with transaction.atomic():
        contact = GroupContact.objects.create(
            meetup=Meetup.objects.get(slug="bench-group-0000"),
            name="Lighthouse Keeper",
            email="keeper@bench.example.org",
        )
        group_token = issue_group_link(contact=contact)
    return {
        "check your answers": f"/proposals/{draft_token}/check/",
        "proposal status": f"/proposals/{token}/",
        "group's own page": f"/groups/{group_token}/",
    }


def list_only_first(size: int | None) -> None:
    """List the first `size` bench groups only (None: all again), and wait until every
    server process has seen the change."""
    groups = Meetup.objects.filter(slug__startswith="bench-group-")
    if size is None:
        changed = groups.filter(is_listed=False).update(is_listed=True)
    else:
        changed = groups.filter(position__gte=size, is_listed=True).update(is_listed=False)
    if changed:
        mark_directory_changed()
        time.sleep(settings.DIRECTORY_RECHECK_SECONDS + 0.5)


def weigh(bench: Bench) -> None:
    sizes = {}
    for name, path in PUBLIC_PAGES.items():
        visit = lighthouse.first_visit(bench.http_get_bytes, path)
        sizes[path] = visit
        budget = WEIGHT_BUDGETS.get(path, WEIGHT_BUDGET)
        bench.add_row(
            scenario=f"{path} ({name}): a first visit transfers (HTML, CSS, scripts, icon)",
            metric="bytes",
            values=[round(visit["bytes"] / KB, 1)],
            unit="KB",
            target=f"<= {budget // KB} KB",
            met=visit["bytes"] <= budget,
            note=f"HTML sent {visit['html_encoding'] or 'uncompressed'}, "
            + ", ".join(f"{part} {size / KB:.1f} KB" for part, size in visit["parts"].items()),
        )
    bench.details.setdefault("lighthouse", {})["first_visit"] = sizes


def scenario_lighthouse(bench: Bench) -> None:
    """What a first visit transfers, and Lighthouse on every public and organizer page."""
    base = f"http://127.0.0.1:{bench.stack.http_port}"
    grow_listed_groups(DIRECTORY_SIZE)
    list_only_first(DIRECTORY_SIZE)
    try:
        weigh(bench)
        reason = lighthouse.why_not()
        if reason:
            bench.missing.append(f"Lighthouse could not run: {reason}")
            bench.log(f"Lighthouse could not run: {reason}")
            return
        pages = {**PUBLIC_PAGES, **organizer_pages()}
        # Three runs a page when there is time for them (one in a quick run).
        enough = bench.time_left() > len(pages) * 3 * SECONDS_PER_RUN
        runs = 3 if enough and not bench.opts.quick else 1
        found = bench.details.setdefault("lighthouse", {}).setdefault("pages", {})
        for name, path in pages.items():
            if bench.time_left() < SECONDS_PER_RUN * runs:
                bench.missing.append(f"Lighthouse on {name}: out of time budget")
                continue
            results = [run_once(bench, name, base + path) for _ in range(runs)]
            results = [r for r in results if r]
            if results:
                record(bench, name, path, results, found)
    finally:
        list_only_first(None)


def run_once(bench: Bench, name: str, url: str) -> dict | None:
    """One run, tried a second time if Chromium failed to record it (it sometimes does, as
    "NO_NAVSTART", on a busy machine)."""
    for attempt in (1, 2):
        try:
            return lighthouse.run(url, bench.stack.tmp / "lighthouse.json")
        except (RuntimeError, OSError, ValueError) as exc:
            if attempt == 2:
                bench.notes.append(f"Lighthouse on {name}: {str(exc).replace(url, '')}")
    return None


def record(bench: Bench, name: str, path: str, results: list[dict], found: dict) -> None:
    """The median run (by performance score, then LCP) and a row for the report."""
    lcps = [r["lcp_ms"] for r in results]
    median = sorted(results, key=lambda r: (-r["scores"]["performance"], r["lcp_ms"]))[
        len(results) // 2
    ]
    met = lighthouse.meets(median)
    failed = sorted({audit for r in results for audit in r["failed_audits"]})
    scores = median["scores"]
    missed = [key for key, ok in met.items() if not ok]
    # Tokens in private links stay out of the report.
    shown = re.sub(r"^/(proposals|groups)/[^/]+/", r"/\1/<token>/", path)
    found[name] = {"path": shown, "median": median, "met": met, "failed_audits": failed}
    bench.add_row(
        scenario=f"Lighthouse, mobile: {shown} ({name}); performance {scores['performance']}, "
        f"accessibility {scores['accessibility']}, best practices {scores['best-practices']}",
        metric="largest contentful paint",
        values=lcps,
        unit="ms",
        target=f"scores {lighthouse.TARGET_SCORE}, LCP < {lighthouse.TARGET_LCP_MS} ms",
        met=not missed,
        note=f"missed: {', '.join(missed)}" if missed else "",
        extra={"runs": results},
    )
    bench.log(f"Lighthouse {name}: {scores}, LCP {statistics.median(lcps):.0f} ms")
