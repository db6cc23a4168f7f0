"""The reviewer workspace: latency of its pages signed in as a reviewer, at each number of
proposals, and whether its database queries per request stay constant."""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.fixtures import STAFF_PASSWORD, grow_proposals, staff_user
from bench.harness import Bench
from bench.load import median, summarize
from intake.models import Proposal, State
from reviews import queue_counts

TARGET_QUEUE_RATIO = 1.5


def review_pages(reviewer) -> list[tuple[str, str]]:
    """The reviewer pages to measure, found as the reviewer sees them (in-process)."""
    client = Client()
    client.force_login(reviewer)
    response = client.get("/reviews/")
    if response.status_code != 200:
        return []
    body = response.content.decode()
    pages = [("queue", "/reviews/")]
    # Keyset paging (reviews.paging): the last page is a link of its own.
    if "page=last" in body:
        pages.append(("queue, last page", "/reviews/?page=last"))
    pages.append(("queue, search", "/reviews/?q=Bench+Proposal+42"))
    proposal = (
        Proposal.objects.filter(state=State.SUBMITTED, reference__startswith="MTG-1999-")
        .order_by("pk")
        .first()
    )
    if proposal is not None:
        pages.append(("one proposal", f"/reviews/{proposal.reference}/"))
    return pages


def count_queries(path: str, user) -> tuple[int, int]:
    client = Client()
    client.force_login(user)
    client.get(path)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries.captured_queries)


def scenario_reviews(bench: Bench) -> None:
    """The reviewer workspace at each number of proposals, and its queries per request."""
    if bench.time_left() < 120:
        bench.missing.append("/reviews/: out of time budget")
        return
    reviewer = staff_user("reviewer@bench.example.org", role="reviewer")
    login = ("--login", f"{reviewer.username}:{STAFF_PASSWORD}")
    login_status = bench.http_get("/accounts/login/")[0]
    sizes = bench.opts.review_sizes
    results: dict[str, dict] = {}
    for size in sizes:
        if bench.time_left() < 60:
            bench.missing.append(f"/reviews/ at {size} proposals: out of time budget")
            break
        t0 = time.monotonic()
        count = grow_proposals(size, batch=5000)
        # Bulk-created rows send no signal: move the version the queue's counts are kept by.
        queue_counts.proposals_changed()
        # A table grown tenfold in seconds: the planner's statistics, as autovacuum's
        # analyze would bring them (it runs after a tenth of a table changes), not those
        # of the table a hundredth of its size.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        bench.log(f"{count} proposals in mixed states ({time.monotonic() - t0:.1f}s)")
        pages = review_pages(reviewer)
        if not pages or login_status != 200:
            bench.missing.append(
                f"/reviews/: sign-in answered {login_status} or no review page was found, "
                "so its scenarios were not measured"
            )
            return
        for label, path in pages:
            status, queries = count_queries(path, reviewer)
            results.setdefault(label, {})[size] = {"status": status, "queries": queries}
        targets = {"bare": {"path": "/_bench/bare/", "concurrency": 1, "duration": 1}}
        for label, path in pages:
            targets[label] = {
                "path": path,
                "concurrency": 1,
                "duration": bench.opts.latency_duration,
                "extra": login,
            }
        runs = bench.rounds(targets)
        bare_ms = [r["latency_ms"]["median"] for r in runs["bare"]]
        for label, path in pages:
            medians = [r["latency_ms"]["median"] for r in runs[label]]
            p95s = [r["latency_ms"]["p95"] for r in runs[label]]
            results[label][size].update(medians=medians, p95=p95s, path=path)
            bench.add_row(
                scenario=f"/reviews/ {label}, {size:,} proposals (signed in as a reviewer)",
                metric="median latency",
                values=medians,
                unit="ms",
                checked=runs[label],
                baseline="bare view latency",
                ratios=[m / b for m, b in zip(medians, bare_ms, strict=True)],
                extra={
                    "p95_ms": summarize(p95s),
                    "queries": results[label][size]["queries"],
                    "path": path,
                },
            )
    # Issue 17: at the larger sizes, the last page and a search take at most 1.5 times the
    # first page at the smallest size (medians of the paired rounds).
    first_small = results.get("queue", {}).get(sizes[0], {}).get("medians")
    for label in ("queue, last page", "queue, search"):
        for size, r in results.get(label, {}).items():
            if size == sizes[0] or not first_small or "medians" not in r:
                continue
            ratios = [m / f for m, f in zip(r["medians"], first_small, strict=False)]
            bench.add_row(
                scenario=f"/reviews/ {label} at {size:,} against the first page at {sizes[0]:,}",
                metric="median latency",
                values=r["medians"],
                unit="ms",
                baseline=f"first page at {sizes[0]:,}",
                ratios=ratios,
                target=f"<= {TARGET_QUEUE_RATIO:.2f} of the first page at {sizes[0]:,}",
                met=median(ratios) <= TARGET_QUEUE_RATIO,
            )
    for label, by_size in results.items():
        counts = {size: r["queries"] for size, r in by_size.items()}
        constant = len(set(counts.values())) == 1 and len(counts) == len(sizes)
        bench.add_row(
            scenario=f"/reviews/ {label}: database queries per request",
            metric="queries",
            values=list(counts.values()),
            unit="queries",
            target="constant from {} to {} proposals".format(*sizes[:1], sizes[-1]),
            met=constant,
            note=", ".join(f"{q} at {s:,}" for s, q in counts.items()),
            extra={"by_size": counts},
        )
