"""The email pipeline: Django sending straight to the sink (the baseline), a status change
to its emails at the sink on an idle pipeline, and many notifications through one worker."""

from __future__ import annotations

import re
import time

from django.core.mail import get_connection, send_mail

from accounts.roles import staff_actor
from bench.fixtures import staff_user, submitted_proposals_for_email
from bench.harness import Bench
from bench.load import median, summarize
from bench.scenarios.outbox import wait_outbox_empty
from intake.services import run_transition

TARGET_EMAIL_RATIO = 0.5  # of Django sending straight to the same sink
QUEUE = "celery"  # the worker's one queue (Celery's default)


def worker_consuming(bench: Bench, consume: bool) -> None:
    """Stop or resume the worker taking tasks from the queue."""
    from config.celery import app

    worker = [bench.stack.worker_name]
    if consume:
        app.control.add_consumer(QUEUE, destination=worker, reply=True, timeout=5)
    else:
        app.control.cancel_consumer(QUEUE, destination=worker, reply=True, timeout=5)


def scenario_email(bench: Bench) -> None:
    """1,000 notifications delivered by one worker, and status change to arrival."""
    if bench.time_left() < 90:
        bench.missing.append("email pipeline: out of time budget")
        return
    reviewer = staff_user("reviewer@bench.example.org", role="reviewer")
    actor = staff_actor(reviewer)
    bench.delay_file.write_text("0")
    wait_outbox_empty(bench, timeout=60)

    # Baseline: Django sending straight to the same sink, one connection per message,
    # from this process (no outbox, no broker, no worker).
    direct_rates, direct_ms = [], []
    for _ in range(bench.opts.rounds):
        n = bench.opts.direct_emails
        t0 = time.perf_counter()
        for i in range(n):
            s0 = time.perf_counter()
            send_mail(
                f"Direct {i}",
                "A message sent straight to the sink.",
                None,
                [f"direct{i}@bench.example.org"],
                connection=get_connection(),
            )
            direct_ms.append((time.perf_counter() - s0) * 1000)
        direct_rates.append(n / (time.perf_counter() - t0))
    bench.sink.wait_quiet(quiet=1.0, timeout=30)

    # Status change to arrival, one at a time on an idle pipeline.
    latencies = []
    for _ in range(bench.opts.single_changes):
        proposal = submitted_proposals_for_email(1)[0]
        before = bench.sink.count
        t0 = time.time()
        run_transition(
            proposal=proposal, name="request_changes", actor=actor, note="Please say more."
        )
        if not bench.sink.wait_for(before + 2, timeout=30):
            bench.notes.append("a single status change's emails did not arrive within 30 s")
            break
        arrivals = [
            r["arrived"]
            for r in bench.sink.records()[before:]
            if proposal.reference in r["subject"]
        ]
        if arrivals:
            latencies.append((max(arrivals) - t0) * 1000)

    # Throughput: 500 status changes, each emailing two organizers: 1,000 emails. Recording
    # them (500 transitions from this one process) takes longer than sending them: with the
    # worker consuming meanwhile, the rate measured would be the recording's. So the worker
    # stops taking tasks while they are recorded, each transition committed on its own as
    # always, then delivers the whole backlog: its rate is the worker's own.
    total = bench.opts.emails
    rates, end_to_end, lags = [], [], []
    for run in range(bench.opts.email_runs):
        if bench.time_left() < 60:
            bench.missing.append(f"email pipeline run {run + 1}: out of time budget")
            break
        proposals = submitted_proposals_for_email(total // 2)
        before = bench.sink.count
        changed_at = {}
        worker_consuming(bench, False)
        try:
            t0 = time.time()
            for proposal in proposals:
                run_transition(
                    proposal=proposal, name="request_changes", actor=actor, note="More, please."
                )
                changed_at[proposal.reference] = time.time()
            recorded = time.time()
        finally:
            worker_consuming(bench, True)
        arrived = bench.sink.wait_for(before + total, timeout=min(300, bench.time_left() - 30))
        records = bench.sink.records()[before:]
        if not arrived:
            bench.notes.append(
                f"email run {run + 1}: {len(records)} of {total} emails arrived in time"
            )
        if len(records) < 2:
            break
        # From the first email sent after the worker resumed (one task it had already
        # taken may have been sent during the recording) to the last.
        backlog = [r for r in records if r["arrived"] >= recorded] or records
        first, last = backlog[0]["arrived"], backlog[-1]["arrived"]
        rates.append((len(backlog) - 1) / max(last - first, 1e-9))
        end_to_end.append(len(records) / max(last - t0, 1e-9))
        for record in records:
            match = re.search(r"MTG-\d{4}-\d{5}", record["subject"])
            if match and match.group(0) in changed_at:
                lags.append((record["arrived"] - changed_at[match.group(0)]) * 1000)
        bench.details.setdefault("email_runs", []).append(
            {
                "emails": len(records),
                "record_seconds": recorded - t0,
                "deliver_seconds": last - t0,
            }
        )
    bench.add_row(
        scenario="Direct send to the sink from Django (email baseline)",
        metric="emails per second",
        values=direct_rates,
        unit="emails/s",
        extra={"per_message_ms": summarize(direct_ms)},
    )
    if rates:
        ratios = [r / median(direct_rates) for r in rates]
        bench.add_row(
            scenario=f"Email pipeline: {total:,} notifications, one worker, delivery rate",
            metric="emails per second",
            values=rates,
            unit="emails/s",
            baseline="direct send",
            ratios=ratios,
            target=f">= {TARGET_EMAIL_RATIO:.2f} of direct send",
            met=median(ratios) >= TARGET_EMAIL_RATIO,
            extra={
                "end_to_end_per_second": summarize(end_to_end),
                "lag_ms_under_load": summarize(lags) if lags else None,
            },
        )
    if latencies:
        bench.add_row(
            scenario="Status change to email at the sink (idle pipeline)",
            metric="latency",
            values=latencies,
            unit="ms",
            baseline="one direct send",
            ratios=[lat / median(direct_ms) for lat in latencies],
        )
