"""Submitting a proposal, with the mail server answering at once and after a delay."""

from __future__ import annotations

from bench.fixtures import staff_user
from bench.harness import Bench
from bench.load import median, summarize
from bench.scenarios.outbox import wait_outbox_empty
from bench.stack import BenchError

TARGET_DELAY_RATIO = 1.10  # submit latency with a 2 s mail server / without
SMTP_DELAY = 2.0


def scenario_submit(bench: Bench) -> None:
    """Submitting a proposal, with the mail server answering at once and after 2 s."""
    if bench.time_left() < 90:
        bench.missing.append("submitting a proposal: out of time budget")
        return
    staff_user("reviewer@bench.example.org", role="reviewer")
    fast, slow, bare, fast_flow, slow_flow = [], [], [], [], []
    sent_during_slow = submitted = 0
    offset = 0
    sink_before = bench.sink.count
    for _ in range(bench.opts.rounds):
        bare.append(bench.get("/_bench/bare/", concurrency=1, duration=1)["latency_ms"])
        for delay, into, flow in ((0.0, fast, fast_flow), (SMTP_DELAY, slow, slow_flow)):
            bench.delay_file.write_text(str(delay))
            before = bench.sink.count
            result = bench.load(
                "submit",
                "--count",
                str(bench.opts.submissions),
                "--offset",
                str(offset),
                "--duration",
                "60",
            )
            offset += bench.opts.submissions
            if result["errors"] or not result["submitted"]:
                raise BenchError(f"submissions failed: {result['error_samples']}")
            into.append(result["submit_post_ms"]["median"])
            flow.append(result["whole_flow_ms"]["median"])
            submitted += result["submitted"]
            if delay:
                sent_during_slow += bench.sink.count - before
            # Let the worker finish the backlog at full speed, so the next run starts
            # with an idle worker whatever the delay was.
            bench.delay_file.write_text("0")
            wait_outbox_empty(bench, timeout=min(90, max(bench.time_left() / 8, 5)))
    drained = bench.sink.count - sink_before
    bare_ms = [b["median"] for b in bare]
    bench.add_row(
        scenario="Submit a proposal (POST on check your answers), mail server answers at once",
        metric="median latency",
        values=fast,
        unit="ms",
        baseline="bare view latency",
        ratios=[f / b for f, b in zip(fast, bare_ms, strict=True)],
        note=(
            f"{drained} emails for {submitted} submissions reached the sink; the worker "
            "sends them during these runs, on the same cores as the server"
        ),
        extra={"whole_flow_ms": summarize(fast_flow), "bare_view_ms": summarize(bare_ms)},
    )
    ratios = [s / f for s, f in zip(slow, fast, strict=True)]
    bench.add_row(
        scenario=f"Submit a proposal, mail server holding each message {SMTP_DELAY:.0f} s",
        metric="median latency",
        values=slow,
        unit="ms",
        baseline="same, mail server at once",
        ratios=ratios,
        target=f"<= {TARGET_DELAY_RATIO:.2f}",
        met=median(ratios) <= TARGET_DELAY_RATIO,
        note=(
            f"{sent_during_slow} emails reached the sink during the slow runs "
            "(sent by the worker after commit, not by the request)"
            if sent_during_slow
            else "no email reached the sink during the slow runs"
        ),
        extra={"whole_flow_ms": summarize(slow_flow)},
    )
    bench.details["submissions"] = {"submitted": submitted, "emails_at_sink": drained}
