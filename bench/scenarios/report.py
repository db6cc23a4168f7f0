"""The program in figures: /report/ and its CSV at 100,000 proposals and 1,000 groups with
ten years of history (10,000 with --quick): served once computed against the bare view, and
the time the first request takes to compute them after the histories change."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench.harness import Bench
from bench.load import median, summarize
from bench.report_history import grow_group_history, grow_proposal_history
from intake.models import Proposal, ProposalTransition, State
from reports import services

TARGET_REPORT = 0.50  # of the bare view's throughput, once computed
PAGES = {
    "report": ("/report/", "The program in figures"),
    "report_csv": ("/report/data.csv", "proposals_received"),
}
CHANGES = 3  # changes to the histories, each followed by a first request timed


def _timed_get(bench: Bench, path: str, must_contain: str) -> float:
    start = time.perf_counter()
    status, _headers, body = bench.http_get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200 or must_contain not in body:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed


def _change_the_history() -> None:
    """One more proposal sent now: a new row in the proposals' history."""
    proposal = Proposal.objects.filter(reference__startswith="MTG-1997-").order_by("pk").first()
    ProposalTransition.objects.create(
        proposal=proposal,
        transition="complete_review",
        from_state=State.SUBMITTED,
        to_state=State.REVIEWED,
        actor_label="Bench change",
        created_at=timezone.now(),
    )


def scenario_report(bench: Bench) -> None:
    """/report/ and its CSV at 100,000 proposals and 1,000 groups with ten years of history."""
    proposals = 10_000 if bench.opts.quick else 100_000
    groups = 1_000
    if bench.time_left() < 240:
        bench.missing.append("/report/: out of time budget")
        return
    started = time.monotonic()
    grow_proposal_history(proposals)
    grow_group_history(groups)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would, after a bulk load
    history = ProposalTransition.objects.count()
    bench.log(
        f"report history: {proposals:,} proposals ({history:,} transitions), "
        f"{groups:,} groups, in {time.monotonic() - started:.0f} s"
    )
    # The nightly task stores the closed years' figures (reports.services), as it would have
    # on each New Year's night; then requests compute only the current year.
    started = time.monotonic()
    stored = services.freeze_closed_years()
    freeze_seconds = time.monotonic() - started
    bench.add_row(
        scenario=f"Storing {stored} closed years' figures (both kinds of year), the nightly "
        f"task's first run over ten years of history",
        metric="seconds",
        values=[freeze_seconds],
        unit="s",
        note="once; afterwards it finds them stored and does nothing",
    )
    time.sleep(settings.DIRECTORY_RECHECK_SECONDS + 0.5)

    # The first requests: the current year computed, the closed ones read.
    first = {key: _timed_get(bench, path, text) for key, (path, text) in PAGES.items()}
    # After a change: each gunicorn worker computes the current year again on its first
    # request (the closed years are read from their stored rows).
    after_change = {key: [] for key in PAGES}
    for _ in range(CHANGES):
        _change_the_history()
        time.sleep(settings.DIRECTORY_RECHECK_SECONDS + 0.5)
        for key, (path, text) in PAGES.items():
            after_change[key].append(_timed_get(bench, path, text))
    # Kept: every worker has computed them (two requests each, whichever worker answers).
    warm = {key: [] for key in PAGES}
    for _ in range(6):
        for key, (path, text) in PAGES.items():
            warm[key].append(_timed_get(bench, path, text))

    targets = {"bare": {"path": "/_bench/bare/"}}
    for key, (path, text) in PAGES.items():
        targets[key] = {
            "path": path,
            "extra": ("--must-contain", text, "--header", "Accept-Encoding: gzip"),
        }
    runs = bench.rounds(targets)
    for key, (path, _text) in PAGES.items():
        bench.add_throughput_row(
            runs,
            key,
            scenario=f"{path} at {proposals:,} proposals and {groups:,} groups, ten years, "
            "once computed, accepting gzip",
            baseline="bare",
            baseline_label="bare view",
            target=TARGET_REPORT,
            extra={"first_request_ms": first[key], "warm_request_ms": summarize(warm[key])},
        )
        bench.add_row(
            scenario=f"{path}: the first request after a change to the histories "
            "(the current year computed again)",
            metric="latency",
            values=after_change[key],
            unit="ms",
            note=f"the first request (the current year computed): {first[key]:,.0f} ms; "
            f"once computed: {median(warm[key]):,.1f} ms",
        )
