"""Benchmark of listed groups' timed work: the nightly lifecycle pass and the weekly link
check, over many groups (10,000 by default) against a local HTTP server on loopback.

For each it reports wall time, database queries, peak Python memory (tracemalloc) and
queries per group, measured at two sizes (a tenth, then all): queries per group must be the
same at both, or some step does a query per group per group.

Standalone (its own database; needs migrations applied):
    DJANGO_SETTINGS_MODULE=config.settings python -m bench.lifecycle --size 10000
From bench.run: call `run(size=...)` in the benchmark's Django process and put the returned
dict in the report (`markdown_lines(result)` gives the report's lines)."""

import argparse
import threading
import time
import tracemalloc
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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

    from meetups.models import GroupContact, Lifecycle, Meetup, MeetupEvent, MeetupOrganizer

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
    # Each measurement starts from active groups due on `due_on`, with no history: the
    # history is append-only (a trigger on PostgreSQL), so earlier runs' groups are renamed
    # out of the way rather than reset.
    used = MeetupEvent.objects.filter(meetup_id__in=pks).values_list("meetup_id", flat=True)
    if used.exists():
        stamp = int(time.time())
        Meetup.objects.filter(slug__startswith=PREFIX).update(
            slug=F_concat(f"old{stamp}-"), is_listed=False
        )
        return _groups(size, due_on=due_on, url=url)
    Meetup.objects.filter(pk__in=pks).update(check_in_due_on=due_on, url=url, is_listed=True)
    Meetup.objects.filter(slug__startswith=PREFIX).exclude(pk__in=pks).update(is_listed=False)
    assert Meetup.objects.filter(pk__in=pks, lifecycle=Lifecycle.ACTIVE).count() == len(pks)
    return pks


def F_concat(prefix: str):  # noqa: N802 -- reads as the expression it builds
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    return Concat(Value(prefix), F("slug"))


def _measure(work) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = work()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": round(seconds, 3),
        "queries": len(queries),
        "peak_mib": round(peak / 2**20, 1),
        "result": str(result),
    }


def _pass_once(size: int, *, url: str) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from meetups import lifecycle

    today = timezone.localdate()
    _groups(size, due_on=today + timedelta(days=settings.CHECK_IN_NOTICE_DAYS), url=url)
    measured = _measure(lambda: lifecycle.run_pass())
    measured["queries_per_group"] = round(measured["queries"] / size, 2)
    return measured


def _links_once(size: int, *, url: str) -> dict:
    from django.utils import timezone

    from meetups import linkcheck
    from meetups.models import LinkCheck, Meetup

    _groups(size, due_on=timezone.localdate() + timedelta(days=365), url=url)
    # Only this benchmark's groups are listed with an address to check; none checked yet.
    LinkCheck.objects.filter(meetup__slug__startswith=PREFIX).delete()
    other = Meetup.objects.listed().exclude(slug__startswith=PREFIX).exclude(url="").count()
    measured = _measure(lambda: linkcheck.check_links())
    measured["queries_per_group"] = round(measured["queries"] / (size + other), 2)
    return measured


def run(*, size: int = 10_000) -> dict:
    """Both measurements at size/10 and at size, against a loopback server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/group"
    try:
        small = max(size // 10, 1)
        report = {
            "size": size,
            "lifecycle_pass": {
                "small": _pass_once(small, url=url),
                "full": _pass_once(size, url=url),
            },
            "link_check": {
                "small": _links_once(small, url=url),
                "full": _links_once(size, url=url),
            },
        }
    finally:
        server.shutdown()
        server.server_close()
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
        "| task | groups | time | queries | queries/group | peak memory |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in (("lifecycle_pass", "nightly lifecycle pass"), ("link_check", "link check")):
        for key, groups in (("small", max(report["size"] // 10, 1)), ("full", report["size"])):
            m = report[name][key]
            lines.append(
                f"| {label} | {groups:,} | {m['seconds']:.1f} s | {m['queries']:,} | "
                f"{m['queries_per_group']} | {m['peak_mib']} MiB |"
            )
        constant = "yes" if report[name]["constant_queries_per_group"] else "NO"
        lines.append(f"| {label}: queries per group constant | | | | {constant} | |")
    return lines


def main(argv=None) -> int:
    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args(argv)
    django.setup()
    report = run(size=args.size)
    print("\n".join(markdown_lines(report)))
    ok = all(report[n]["constant_queries_per_group"] for n in ("lifecycle_pass", "link_check"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
