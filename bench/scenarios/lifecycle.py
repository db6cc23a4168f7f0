"""Listed groups' timed work: the nightly lifecycle pass and the weekly link check over
10,000 groups (1,000 with --quick) against a loopback server (bench.lifecycle measures).
Runs last: it stops the worker first, so that delivering the tens of thousands of emails
the pass records does not compete for the cores (delivery is the email scenario's)."""

from __future__ import annotations

from bench import lifecycle
from bench.harness import Bench

# A concurrency-1 worker sends no email while a task runs: the pass and the check must hand
# it back soon, even on the night every group of a large program falls due at once.
SECONDS_TARGET = 120
QUERIES_PER_GROUP_TARGET = 1.0
# Batches, not all the groups' emails at once, in memory.
PEAK_MIB_TARGET = 100

LABELS = {
    "lifecycle_pass": "Nightly lifecycle pass (check-in notices: history, 2 emails each)",
    "link_check": "Weekly link check (HEAD to a loopback server, results stored)",
}


def scenario_lifecycle(bench: Bench) -> None:
    """The nightly lifecycle pass and the link check over many groups."""
    size = bench.opts.lifecycle_groups
    if bench.time_left() < 60 + size / 100:
        bench.missing.append(
            f"lifecycle pass and link check at {size:,} groups: out of time budget"
        )
        return
    bench.stack.stop("worker")
    report = lifecycle.run(size=size, log=bench.log)
    bench.details["lifecycle"] = report
    bench.notes.append(
        f"Lifecycle pass and link check: one run each at {report['small']:,} and {size:,} "
        "groups (bench.lifecycle), after one of 10 groups to warm up; the worker was stopped "
        "first, so the emails they recorded stayed queued."
    )
    small = report["small"]
    for name, label in LABELS.items():
        full, tenth = report[name]["full"], report[name]["small"]
        result = f"{full['result']}; at {small:,}: {tenth['result']}"
        bench.add_row(
            scenario=f"{label}, {size:,} groups: wall time",
            metric="seconds",
            values=[full["seconds"]],
            unit="s",
            target=f"<= {SECONDS_TARGET} s",
            met=full["seconds"] <= SECONDS_TARGET,
            note=f"{full['cpu_seconds']} s CPU (this process and its database backend); "
            f"{tenth['seconds']} s at {small:,}",
            extra={"result": result},
        )
        bench.add_row(
            scenario=f"{label}, {size:,} groups: database queries",
            metric="queries",
            values=[full["queries"]],
            unit="queries",
            target=f"<= {QUERIES_PER_GROUP_TARGET:g} per group",
            met=full["queries"] <= QUERIES_PER_GROUP_TARGET * size,
            note=f"{tenth['queries']:,} at {small:,}",
        )
        bench.add_row(
            scenario=f"{label}: queries per group at {small:,} and {size:,} groups",
            metric="queries per group",
            values=[full["queries_per_group"]],
            unit="queries/group",
            target="constant (no more per group at 10 times the groups)",
            met=report[name]["constant_queries_per_group"],
            note=f"{tenth['queries_per_group']} at {small:,}, {full['queries_per_group']} at "
            f"{size:,}",
        )
        bench.add_row(
            scenario=f"{label}, {size:,} groups: peak memory (resident, above the start)",
            metric="peak memory",
            values=[full["peak_mib"]],
            unit="MiB",
            target=f"<= {PEAK_MIB_TARGET} MiB",
            met=full["peak_mib"] <= PEAK_MIB_TARGET,
            note=f"{tenth['peak_mib']} MiB at {small:,}; the process at its peak: "
            f"{full['process_peak_mib']} MiB",
        )
