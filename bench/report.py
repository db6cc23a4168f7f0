"""The report: bench/results/latest.json (every run's figures) and latest.md (the table),
or partial.* for a quick or partial run, so that those never replace the figures to keep."""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import subprocess
from pathlib import Path

from bench import lifecycle, lighthouse
from bench.harness import Bench
from bench.stack import ROOT

RESULTS = ROOT / "bench" / "results"


def machine(bench: Bench) -> dict:
    info = {
        "cpu": "",
        "cores": os.cpu_count(),
        "memory_gb": None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgresql": bench.details.get("postgresql"),
        "redis": bench.details.get("redis"),
        "gunicorn_workers": bench.opts.workers,
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = re.search(r"model name\s*:\s*(.+)", cpuinfo).group(1).strip()
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(re.search(r"MemTotal:\s*(\d+)", meminfo).group(1))
        info["memory_gb"] = round(kb / 1024 / 1024, 1)
    except (OSError, AttributeError):
        pass
    return info


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except OSError:
        return ""


def write_report(bench: Bench, load_before, load_after, error: str = "") -> None:
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    report = {
        "generated_at": now.isoformat(),
        "commit": git_commit(),
        "note": bench.opts.note,
        "machine": machine(bench),
        "load_average": {"before": load_before, "after": load_after},
        "settings": {
            "rounds": bench.opts.rounds,
            "seconds_per_run": bench.opts.duration,
            "warmup_seconds": bench.opts.warmup,
            "client_threads": bench.opts.concurrency,
            "groups": bench.opts.sizes,
            "proposals": bench.opts.review_sizes,
            "emails_per_run": bench.opts.emails,
            "lifecycle_groups": bench.opts.lifecycle_groups,
        },
        "duration_seconds": round(bench.elapsed(), 1),
        "rows": bench.rows,
        "not_measured": bench.missing,
        "notes": bench.notes,
        "details": bench.details,
        "error": error,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    # Only a full run may replace the figures to keep: a quick or partial one goes beside them.
    stem = "partial" if bench.opts.only or bench.opts.quick else "latest"
    for name, text in (
        (f"{stem}.json", json.dumps(report, indent=2, default=str) + "\n"),
        (f"{stem}.md", markdown(report)),
    ):
        partial = RESULTS / f"{name}.tmp"
        partial.write_text(text, encoding="utf-8")
        partial.replace(RESULTS / name)
    bench.log(f"wrote {RESULTS / stem}.md and {stem}.json")


def _fmt(value: float, unit: str) -> str:
    if unit in ("req/s", "emails/s"):
        return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    if unit == "ms":
        return f"{value:,.1f}"
    return f"{value:g}"


def markdown(report: dict) -> str:
    machine = report["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated {report['generated_at']} from commit `{report['commit']}` by `make bench` "
        f"in {report['duration_seconds']:.0f} s.",
        "",
        *([report["note"], ""] if report.get("note") else []),
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; "
        f"Python {machine['python']}, PostgreSQL {machine['postgresql']}, "
        f"Redis {machine['redis']}; gunicorn {machine['gunicorn_workers']} sync workers, "
        "one Celery worker (concurrency 1), load driver and SMTP sink as separate processes, "
        "all on the same machine over loopback.",
        "",
        f"Load average before/after: {', '.join(f'{x:.2f}' for x in report['load_average']['before'])}"
        f" / {', '.join(f'{x:.2f}' for x in report['load_average']['after'])}. "
        "The load driver shares the same cores as the server; other processes running at the "
        "same time add noise to absolute figures. Ratios are paired round by round and are "
        "the figures to compare.",
        "",
        f"Each figure: median over {report['settings']['rounds']} runs, spread as "
        "min-max over runs; ratio: median (min-max) of per-round ratios to the baseline "
        "measured in the same round through the same server. Server CPU per request: "
        "CPU time of the gunicorn workers and of this database's PostgreSQL backends "
        "(from /proc) divided by the requests served; its ratio (baseline's over the "
        "scenario's) is the throughput ratio the two would have with the cores to "
        "themselves, and moves far less than throughput when other processes are busy. "
        "Targets are judged on the measured throughput ratio.",
        "",
        "| Scenario | Median | Spread (min-max) | Ratio to baseline | Server CPU per request | Target | Result |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        s = row["summary"]
        unit = row["unit"]
        if s.get("n"):
            value = f"{_fmt(s['median'], unit)} {unit}"
            spread_text = f"{_fmt(s['min'], unit)}-{_fmt(s['max'], unit)}"
        else:
            value = spread_text = "-"
        ratio = row["ratio"]
        ratio_text = (
            f"{ratio['median']:.2f} ({ratio['min']:.2f}-{ratio['max']:.2f}) of {row['baseline']}"
            if ratio
            else "-"
        )
        if row["met"] is None:
            result = ""
        elif row["met"]:
            result = "met"
        else:
            result = "**missed**"
        scenario = row["scenario"]
        extra = row["extra"]
        if "p95_ms" in extra:
            scenario += f"; p95 {extra['p95_ms']['median']:.1f} ms, {extra['queries']} queries"
        if row["note"]:
            scenario += f" ({row['note']})"
        cpu_text = "-"
        if row.get("server_cpu_ms"):
            cpu_text = f"{row['server_cpu_ms']['median']:.2f} ms"
            if row.get("cpu_ratio"):
                cpu_text += f", ratio {row['cpu_ratio']['median']:.2f}"
        lines.append(
            f"| {scenario} | {value} | {spread_text} | {ratio_text} | {cpu_text} "
            f"| {row['target']} | {result} |"
        )
    lines += lighthouse.markdown(report)
    if report["details"].get("lifecycle"):
        lines += ["", *lifecycle.markdown_lines(report["details"]["lifecycle"])]
    if report["not_measured"]:
        lines += ["", "## Not measured", ""]
        lines += [f"- {item}" for item in report["not_measured"]]
    if report["notes"]:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in report["notes"]]
    if report["error"]:
        lines += ["", "## The run stopped early", "", "```", report["error"].strip(), "```"]
    return "\n".join(lines) + "\n"
