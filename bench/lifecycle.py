"""Benchmark of listed groups' timed work: the nightly lifecycle pass and the weekly link
check, over many groups (10,000 by default) against a local HTTP server on loopback.

For each it reports wall time, database queries, peak memory (the process's resident
high-water mark above its size at the start) and queries per group, measured at two sizes (a tenth, then all): queries per group must not
grow with the number of groups, or some step queries once per group per group.

What is measured is the task's own work, up to handing its emails to the broker: the pass
opens every group's check-in (a history row and an email to each of its two organizers, in
the outbox; program managers hear of a group only when it lapses or is archived); the link check requests every group's address from
the loopback server (200) and stores each result. Delivering the emails is the email
scenario's to measure.

From bench.run: `run(size=...)` in the benchmark's Django process (bench.scenarios.lifecycle
adds its rows to the report). Standalone, in a database of your own with migrations applied
and a Redis database of your own (the emails' tasks are queued there and left; flush it):
    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/N DJANGO_SECRET_KEY=x \
        python -m bench.lifecycle --size 10000
"""

import argparse
import ctypes
import ctypes.util
import gc
import os
import subprocess
import sys
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.stack import Stack

PREFIX = "bench-life-"


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD


def _groups(size: int, *, due_on, url: str) -> list[int]:
    """`size` groups of this benchmark (created once, then reused), each with two people
    keeping its page, all due for their check-in notice on `due_on`, pointing at `url`."""
    from django.db import transaction
    from django.utils import timezone

    from meetups.models import GroupContact, Lifecycle, Meetup, MeetupEvent, MeetupOrganizer

    # The history is append-only (a trigger on PostgreSQL), so groups of an earlier
    # measurement are renamed out of the way rather than reset.
    used = MeetupEvent.objects.filter(meetup__slug__startswith=PREFIX)
    if used.exists():
        stamp = time.time_ns()
        Meetup.objects.filter(slug__startswith=PREFIX).update(
            slug=_prefixed(f"old{stamp}-"), is_listed=False
        )
    existing = Meetup.objects.filter(slug__startswith=PREFIX).count()
    with transaction.atomic():
        for first in range(existing, size, 1000):
            batch = Meetup.objects.bulk_create(
                Meetup(
                    name=f"Bench Life {i:05d}",
                    slug=f"{PREFIX}{i:05d}",
                    description="A benchmark group.",
                    position=100_000 + i,
                    check_in_due_on=due_on,
                )
                for i in range(first, min(first + 1000, size))
            )
            MeetupOrganizer.objects.bulk_create(
                MeetupOrganizer(meetup=m, name=f"Ada {m.pk}") for m in batch
            )
            GroupContact.objects.bulk_create(
                GroupContact(meetup=m, name=f"Ada {m.pk}", email=f"ada{m.pk}@bench.example.org")
                for m in batch
            )
            GroupContact.objects.bulk_create(
                GroupContact(
                    meetup=m, name=f"Bo {m.pk}", email=f"bo{m.pk}@bench.example.org", position=1
                )
                for m in batch
            )
    pks = list(
        Meetup.objects.filter(slug__startswith=PREFIX).order_by("pk").values_list("pk", flat=True)
    )[:size]
    # In their state since yesterday: the pass moves no group on the day it entered its
    # state (meetups.nightly), and these were made today.
    since = timezone.now() - timedelta(days=1)
    Meetup.objects.filter(pk__in=pks).update(
        check_in_due_on=due_on, url=url, is_listed=True, state_since=since
    )
    Meetup.objects.filter(slug__startswith=PREFIX).exclude(pk__in=pks).update(is_listed=False)
    assert Meetup.objects.filter(pk__in=pks, lifecycle=Lifecycle.ACTIVE).count() == len(pks)
    return pks


def _prefixed(prefix: str):
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    return Concat(Value(prefix), F("slug"))


class _Counter:
    """Counts the queries of this thread's connection without keeping their SQL (which
    would count in the peak memory: a batch's INSERT of emails is large)."""

    def __init__(self):
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


try:
    _LIBC = ctypes.CDLL(ctypes.util.find_library("c"))
    _LIBC.malloc_trim  # noqa: B018 -- glibc only
except (OSError, AttributeError, TypeError):
    _LIBC = None


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _measure(work, *, groups: int) -> dict:
    """Wall time, queries and peak memory of `work`. Memory is the process's resident
    high-water mark (reset first, through /proc/self/clear_refs) above its size at the
    start: tracemalloc would see Python's allocations only, and slow the work fivefold."""
    from django.db import connection
    from django.test.utils import override_settings

    counter = _Counter()
    connection.ensure_connection()
    backend = getattr(getattr(connection.connection, "info", None), "backend_pid", None)
    backend_pids = [backend] if backend else []
    cpu_before, ticks_before = time.process_time(), Stack.cpu_ticks(backend_pids)
    # Hand memory freed by earlier work back to the system first, or the task would reuse
    # it unseen and its growth would read smaller than it is.
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    start_kib = _rss_kib("VmRSS")
    started = time.perf_counter()
    # DEBUG would keep every query's SQL in memory; production runs without it.
    with override_settings(DEBUG=False), connection.execute_wrapper(counter):
        result = work()
    seconds = time.perf_counter() - started
    ticks = Stack.cpu_ticks(backend_pids)
    cpu = time.process_time() - cpu_before
    cpu += sum(t - ticks_before.get(pid, 0) for pid, t in ticks.items()) / os.sysconf("SC_CLK_TCK")
    high_kib = _rss_kib("VmHWM")
    return {
        "groups": groups,
        "seconds": round(seconds, 2),
        # CPU time of this process (all its threads) and of its PostgreSQL backend: what
        # the work costs, which other programs on the machine hardly move, unlike `seconds`.
        "cpu_seconds": round(cpu, 2),
        "queries": counter.queries,
        "queries_per_group": round(counter.queries / groups, 3),
        "peak_mib": round((high_kib - start_kib) / 1024, 1),
        "process_peak_mib": round(high_kib / 1024, 1),
        "result": str(result),
    }


def _pass_once(size: int, *, url: str) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from meetups import nightly

    due_on = timezone.localdate() + timedelta(days=settings.CHECK_IN_NOTICE_DAYS)
    _groups(size, due_on=due_on, url=url)
    measured = _measure(nightly.run_pass, groups=size)
    if not measured["result"].startswith(f"{size} check-ins opened"):
        raise RuntimeError(f"the pass did not open {size} check-ins: {measured['result']}")
    return measured


def _links_once(size: int, *, url: str) -> dict:
    from django.test import override_settings
    from django.utils import timezone

    from meetups import linkcheck
    from meetups.models import LinkCheck, Meetup

    _groups(size, due_on=timezone.localdate() + timedelta(days=365), url=url)
    LinkCheck.objects.filter(meetup__slug__startswith=PREFIX).delete()
    # Other listed groups (the pages scenario's) count as checked just now: the check
    # requests only the loopback server, and no request leaves the machine.
    others = Meetup.objects.listed().exclude(slug__startswith=PREFIX).exclude(url="")
    now = timezone.now()
    LinkCheck.objects.bulk_create(
        [
            LinkCheck(meetup_id=pk, url=u, checked_at=now)
            for pk, u in others.values_list("pk", "url")
        ],
        ignore_conflicts=True,
    )
    LinkCheck.objects.filter(meetup__in=others).update(checked_at=now)
    # The loopback server is private: the check reaches it only with this setting on.
    with override_settings(LINK_CHECK_ALLOW_PRIVATE=True):
        measured = _measure(linkcheck.check_links, groups=size)
    if not measured["result"].startswith(f"{size} addresses checked, 0 failing"):
        raise RuntimeError(f"the check did not find {size} addresses working: {measured['result']}")
    return measured


def _serve() -> None:
    """The loopback server, in a process of its own (so that it does not share the measured
    process's interpreter lock): prints its port, then answers until stopped."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


def _program_manager() -> None:
    """One program manager, as a real program has (emailed when a group lapses or is
    archived, so not by the check-ins this pass opens)."""
    from bench.fixtures import staff_user

    staff_user("manager@bench.example.org", role="manager")


def run(*, size: int = 10_000, log=print) -> dict:
    """Both measurements at size/10 and at size, against a loopback server."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.lifecycle", "--serve"],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{int(server.stdout.readline())}/group"
    _program_manager()
    small = max(size // 10, 1)
    report = {"size": size, "small": small}
    try:
        for name, once in (("lifecycle_pass", _pass_once), ("link_check", _links_once)):
            once(10, url=url)  # warm: imports, templates, connections, as a worker has them
            report[name] = {}
            for key, groups in (("small", small), ("full", size)):
                report[name][key] = measured = once(groups, url=url)
                log(
                    f"{name}, {groups:,} groups: {measured['seconds']} s "
                    f"({measured['cpu_seconds']} s CPU), "
                    f"{measured['queries']:,} queries, {measured['peak_mib']} MiB peak"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    for name in ("lifecycle_pass", "link_check"):
        small_q = report[name]["small"]["queries_per_group"]
        full_q = report[name]["full"]["queries_per_group"]
        # Constant: no more per group at ten times the groups (a run's fixed few queries,
        # shared by more groups, only make the full run's figure smaller).
        report[name]["constant_queries_per_group"] = full_q <= small_q * 1.05
    return report


def markdown_lines(report: dict) -> list[str]:
    lines = [
        f"### Listed groups' timed work ({report['size']:,} groups, loopback server)",
        "",
        "| task | groups | time | CPU time | queries | queries/group | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, label in (("lifecycle_pass", "nightly lifecycle pass"), ("link_check", "link check")):
        for key in ("small", "full"):
            m = report[name][key]
            lines.append(
                f"| {label} | {m['groups']:,} | {m['seconds']:.1f} s | {m['cpu_seconds']:.1f} s "
                f"| {m['queries']:,} | "
                f"{m['queries_per_group']} | {m['peak_mib']} MiB |"
            )
        constant = "yes" if report[name]["constant_queries_per_group"] else "NO"
        lines.append(f"| {label}: queries per group constant | | | | | {constant} | |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        _serve()
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        parser.error(
            "set REDIS_URL to a Redis database of yours: without a broker the emails would be "
            "sent in-process, and the figures would be the email pipeline's"
        )
    report = run(size=args.size)
    print("\n".join(markdown_lines(report)))
    ok = all(report[n]["constant_queries_per_group"] for n in ("lifecycle_pass", "link_check"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
