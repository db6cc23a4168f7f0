"""`make bench`: what each page and the email pipeline cost, against this machine's limit.

Starts the whole production stack on loopback, in a database of its own (bench.stack):
  - PostgreSQL database `bench_<pid>_<random>`, created here and dropped at the end;
  - Redis database 8 (BENCH_REDIS_URL), flushed before and after;
  - a local SMTP sink (bench.smtp_sink, its own process, optional delay per message);
  - a Celery worker (one process, concurrency 1) with beat;
  - gunicorn with 2 sync workers, DJANGO_DEBUG off, a generated secret key, and the
    benchmark's settings (bench.settings: production settings plus the baseline views of
    bench.baselines under /_bench/).
Then fills the database at chosen sizes, runs each scenario (bench.scenarios: pages,
submit, overlap, reviews, email, report, lighthouse), drives load from a separate process
(bench.load), measures the listed groups' nightly lifecycle pass and weekly link check
over 10,000 groups against a loopback server (bench.lifecycle), and writes
bench/results/latest.md and latest.json (bench.report).

Every figure is the median of several runs with their spread, and a ratio to a baseline
measured in the same round through the same server (a bare view; a bare 20-field form).
Ratios are taken round by round, so a burst of noise from other processes hits both sides.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import traceback

from bench.harness import Bench
from bench.report import write_report
from bench.stack import BenchError

# In the order they run; bench.scenarios holds their code (imported once Django is set up).
# The lifecycle scenario stops the worker, so it runs last.
SCENARIO_NAMES = (
    "pages",
    "submit",
    "overlap",
    "reviews",
    "email",
    "report",
    "meetings",
    "lighthouse",
    "lifecycle",
)


def run(bench: Bench) -> int:
    load_before = os.getloadavg()
    error = ""
    try:
        bench.stack.setup()
        # The scenarios import models: only now is Django configured, by the stack's setup.
        from bench.scenarios import SCENARIOS

        for name in SCENARIO_NAMES:
            scenario = SCENARIOS[name]
            if bench.opts.only and name not in bench.opts.only:
                continue
            title = scenario.__doc__.splitlines()[0] if scenario.__doc__ else scenario.__name__
            bench.log(f"scenario: {title}")
            try:
                scenario(bench)
            except BenchError as exc:
                bench.notes.append(f"{scenario.__name__} stopped: {exc}")
                bench.log(f"{scenario.__name__} stopped: {exc}")
    except BenchError as exc:
        error = str(exc)
        bench.log(f"benchmark stopped: {exc}")
    except Exception:
        error = traceback.format_exc()
        bench.log(error)
    finally:
        load_after = os.getloadavg()
        try:
            bench.stack.teardown()
        except Exception as exc:  # never hide the report behind a cleanup failure
            bench.notes.append(f"cleanup: {exc}")
        write_report(bench, load_before, load_after, error)
        if error:
            bench.log(f"logs of the server, worker and sink are kept in {bench.stack.tmp}")
        else:
            shutil.rmtree(bench.stack.tmp, ignore_errors=True)
    return 1 if error else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmark and write the report.")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without a database name",
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    )
    parser.add_argument("--rounds", type=int, default=5, help="runs per figure (at least 3)")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per throughput run")
    parser.add_argument("--latency-duration", type=float, default=1.5)
    parser.add_argument("--warmup", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--sizes", default="10,100,1000", help="listed groups")
    parser.add_argument("--review-sizes", default="100,10000,100000", help="proposals")
    parser.add_argument("--submissions", type=int, default=10, help="per run")
    parser.add_argument("--emails", type=int, default=1000, help="per email run")
    parser.add_argument("--email-runs", type=int, default=3)
    parser.add_argument("--direct-emails", type=int, default=200)
    parser.add_argument("--single-changes", type=int, default=10)
    parser.add_argument(
        "--lifecycle-groups",
        type=int,
        default=10_000,
        help="groups for the lifecycle pass and the link check (also measured at a tenth)",
    )
    parser.add_argument("--budget", type=float, default=2400, help="seconds before skipping")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short smoke run; its report is written as partial.md and partial.json",
    )
    parser.add_argument("--note", default="", help="a line for the report's header")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenarios (pages, submit, overlap, reviews, email, report, "
        "meetings, lighthouse, lifecycle); the report is then written as partial.md and partial.json, leaving "
        "latest.* alone",
    )
    opts = parser.parse_args(argv)
    if opts.quick:
        opts.rounds, opts.duration, opts.latency_duration, opts.warmup = 3, 1.0, 1.0, 0.3
        opts.review_sizes, opts.submissions, opts.emails = "100,1000", 5, 100
        opts.email_runs, opts.direct_emails, opts.single_changes = 3, 50, 3
        opts.lifecycle_groups = 1000
    if opts.rounds < 3:
        parser.error("--rounds must be at least 3")
    for name in ("postgres", "redis"):
        host = re.sub(r"^\w+://(?:[^@/]*@)?", "", getattr(opts, name)).split(":")[0].split("/")[0]
        if host not in ("127.0.0.1", "localhost", "[::1]"):
            parser.error(f"--{name} must be on loopback, not {host}")
    opts.only = {name.strip() for name in opts.only.split(",") if name.strip()}
    unknown = opts.only - set(SCENARIO_NAMES)
    if unknown:
        parser.error(f"--only: no scenario named {', '.join(sorted(unknown))}")
    opts.sizes = [int(s) for s in opts.sizes.split(",")]
    opts.review_sizes = [int(s) for s in opts.review_sizes.split(",")]
    return run(Bench(opts))


if __name__ == "__main__":
    sys.exit(main())
