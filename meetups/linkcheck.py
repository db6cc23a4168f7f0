"""The weekly check of every listed group's web address.

Each address gets a HEAD request (a GET where HEAD is refused with 405 or 501), following
up to MAX_REDIRECTS redirects, with LINK_CHECK_TIMEOUT_SECONDS per request and a user agent
that names the program; LINK_CHECK_CONCURRENCY addresses are fetched at once (threads: the
work is waiting on the network). Only the standard library is used. Every hop connects
only to a public address (meetups.addresses: resolved once, the address checked is the
one connected to), and failures are told in fixed words that say nothing of the inside.

Results are kept per group (meetups.LinkCheck). After LINK_CHECK_FAILURES failures in a row
the link is "broken": the directory stops showing it, staff see "broken since", and the
organizers are asked to fix it (a history row, so notifications emails them, once per run
of failures). A permanent redirect to another address is kept as the address to offer.

Safe to run twice or at once: each group is claimed for a run under its row's lock
(checked_at older than half a week, then stamped), so a second run finds nothing to check.
Claims and results are written BATCH groups at a time, so the check costs the same few
queries per group whatever the number of groups."""

import http.client
import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from common.actors import SYSTEM

from . import addresses, lifecycle
from .cache import mark_directory_changed
from .fields import web_address_problem
from .locks import lock_directory
from .models import EventKind, LinkCheck, Meetup

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
# A group checked more recently than this is not checked again: a second run of the weekly
# task (or a second worker) does nothing.
RECHECK_AFTER = timedelta(days=3)
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def user_agent() -> str:
    return f"{settings.PROGRAM_NAME} link checker (+{settings.SITE_URL}/meetups/)"


@dataclass
class Outcome:
    status_code: int | None = None
    error: str = ""
    final_url: str = ""
    moved_to: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def problem(self) -> str:
        return self.error or f"HTTP {self.status_code}"


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address resolved and checked beforehand, never resolving the name
    again (a second DNS answer could point elsewhere), and checks the peer it reached."""

    def __init__(self, host, port, *, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses

    def _pinned_socket(self) -> socket.socket:
        error: OSError = OSError("no address")
        for family, sockaddr in self._addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(sockaddr)
                addresses.check_peer(sock)
            except BaseException as exc:
                sock.close()
                if not isinstance(exc, OSError):
                    raise
                error = exc
                continue
            return sock
        raise error

    def connect(self):
        self.sock = self._pinned_socket()


class _PinnedHTTPS(_PinnedHTTP, http.client.HTTPSConnection):
    def __init__(self, host, port, *, addresses, timeout):
        http.client.HTTPSConnection.__init__(
            self, host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self._addresses = addresses

    def connect(self):
        # The certificate is checked against the name, the connection made to the address.
        self.sock = self._context.wrap_socket(self._pinned_socket(), server_hostname=self.host)


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    """(status, Location header) of one request; the body is never read."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host, port = parts.hostname, parts.port or (443 if https else 80)
    if not host:
        raise ValueError("no host")
    pinned = addresses.resolve_public(host, port)
    connection_class = _PinnedHTTPS if https else _PinnedHTTP
    conn = connection_class(host, port, addresses=pinned, timeout=timeout)
    try:
        path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        conn.request(method, path, headers={"User-Agent": user_agent()})
        response = conn.getresponse()
        return response.status, response.getheader("Location", "") or ""
    finally:
        conn.close()


# What organizers and staff read about a failure: fixed words that say nothing of the
# network behind the address (no exception text: "Connection refused" maps ports).
UNREACHABLE = "the address could not be reached"
TIMED_OUT = "timed out"


def fetch(url: str, *, timeout: float | None = None) -> Outcome:
    """Check one address: HEAD (GET where HEAD is refused), redirects followed up to
    MAX_REDIRECTS, each hop to a public address only. Never raises."""
    timeout = timeout or settings.LINK_CHECK_TIMEOUT_SECONDS
    current, permanent_so_far = url, True
    for hop in range(MAX_REDIRECTS + 1):
        if urlsplit(current).scheme not in ("http", "https"):
            return Outcome(error="not a web address", final_url=current)
        try:
            status, location = _request(current, "HEAD", timeout)
            if status in (405, 501):
                status, location = _request(current, "GET", timeout)
        except TimeoutError:
            return Outcome(error=TIMED_OUT, final_url=current)
        except (addresses.NotPublic, OSError, http.client.HTTPException, ValueError):
            return Outcome(error=UNREACHABLE, final_url=current)
        if status in REDIRECTS and location:
            permanent_so_far = permanent_so_far and status in PERMANENT
            current = urljoin(current, location)
            continue
        outcome = Outcome(status_code=status, final_url=current)
        moved = outcome.ok and hop and permanent_so_far and current != url
        # Offered to the organizers as their new address: only one a form would take.
        if moved and not web_address_problem(current):
            outcome.moved_to = current
        return outcome
    return Outcome(error=f"more than {MAX_REDIRECTS} redirects", final_url=current)


@dataclass
class CheckReport:
    checked: int = 0
    failed: list[int] = field(default_factory=list)
    broken: list[int] = field(default_factory=list)

    def __str__(self):
        return (
            f"{self.checked} addresses checked, {len(self.failed)} failing, "
            f"{len(self.broken)} newly broken"
        )


# Groups claimed, and results stored, per transaction: a few queries per batch.
BATCH = 200


def _claim(*, now) -> list[tuple[int, str]]:
    """The listed groups with an address that are due a check, claimed for this run: per
    batch, the due rows are locked and stamped with this run's time in one transaction, so
    a second run (waiting on the locks, then reading them again) finds them checked."""
    groups = dict(Meetup.objects.listed().exclude(url="").order_by("pk").values_list("pk", "url"))
    if not groups:
        return []
    LinkCheck.objects.bulk_create(
        [LinkCheck(meetup_id=pk, url=url, checked_at=NEVER) for pk, url in groups.items()],
        ignore_conflicts=True,
    )
    pks, claimed = list(groups), []
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        with transaction.atomic():
            if not connection.features.has_select_for_update:
                # SQLite: a write first takes the database's write lock (see meetups.locks).
                LinkCheck.objects.filter(meetup_id__in=batch).update(checked_at=F("checked_at"))
            due = list(
                LinkCheck.objects.select_for_update()
                .filter(meetup_id__in=batch, checked_at__lt=now - RECHECK_AFTER)
                .order_by("meetup_id")
                .values_list("meetup_id", flat=True)
            )
            LinkCheck.objects.filter(meetup_id__in=due).update(checked_at=now)
        claimed += [(pk, groups[pk]) for pk in due]
    return claimed


_STORED_FIELDS = [
    "url",
    "checked_at",
    "status_code",
    "error",
    "final_url",
    "moved_to",
    "failures",
    "failing_since",
    "broken_since",
]


def _update(check: LinkCheck, url: str, outcome: Outcome, *, now) -> str:
    """Put one outcome on its group's row; "broken" when the link is newly broken, "mended"
    when a broken link answers again (both go into the group's history), else ""."""
    same_address = check.url == url
    was_broken_since = check.broken_since
    check.url, check.checked_at = url, now
    check.status_code, check.error = outcome.status_code, outcome.error[:300]
    check.final_url, check.moved_to = outcome.final_url[:500], outcome.moved_to[:500]
    if outcome.ok or not same_address:
        check.failures, check.failing_since, check.broken_since = 0, None, None
    if outcome.ok:
        return "mended" if was_broken_since else ""
    check.failures += 1
    check.failing_since = check.failing_since or now
    if check.failures >= settings.LINK_CHECK_FAILURES and not check.broken_since:
        check.broken_since = now
        return "broken"
    return ""


def _store(results: list[tuple[int, str, Outcome]], *, now, report: CheckReport) -> None:
    """One batch of outcomes, in one transaction: the rows locked and read in one query,
    written in one; newly broken links recorded in the groups' history at once."""
    with transaction.atomic():
        pks = [pk for pk, _url, _outcome in results]
        checks = (
            LinkCheck.objects.select_for_update().filter(meetup_id__in=pks).order_by("meetup_id")
        )
        checks = {check.meetup_id: check for check in checks}
        stored, broken, mended = [], {}, {}
        for pk, url, outcome in results:
            check = checks.get(pk)
            if check is None:
                continue  # the group was deleted since it was claimed
            broken_since = check.broken_since
            change = _update(check, url, outcome, now=now)
            if change == "broken":
                broken[pk] = (check, url, outcome)
            elif change == "mended":
                mended[pk] = (url, broken_since)
            if not outcome.ok:
                report.failed.append(pk)
            stored.append(check)
        LinkCheck.objects.bulk_update(stored, _STORED_FIELDS)
        if mended:
            # For the program's figures (reports): a broken link that works again, keyed by
            # when it broke so a second run records it once. The directory shows it again.
            lock_directory()
            lifecycle.record_many(
                [
                    lifecycle.new_event(
                        meetup=group,
                        kind=EventKind.LINK_MENDED,
                        actor=SYSTEM,
                        details={"url": mended[group.pk][0]},
                        key=f"link_mended:{mended[group.pk][1].isoformat()}",
                        now=now,
                    )
                    for group in lifecycle.lock_groups(mended)
                ]
            )
            if not broken:
                mark_directory_changed()
        if not broken:
            return
        report.broken += list(broken)
        # Organizers are asked to fix it (the history row's emails, through notifications),
        # and the directory stops showing the link.
        lock_directory()
        events = []
        for group in lifecycle.lock_groups(broken):
            check, url, outcome = broken[group.pk]
            events.append(
                lifecycle.new_event(
                    meetup=group,
                    kind=EventKind.LINK_BROKEN,
                    actor=SYSTEM,
                    details={"url": url, "problem": outcome.problem, "failures": check.failures},
                    key=f"link_broken:{check.failing_since.isoformat()}",
                    now=now,
                )
            )
        lifecycle.record_many(events)
        Meetup.objects.filter(pk__in=broken).update(updated_at=timezone.now())
        mark_directory_changed()  # a queryset update sends no post_save (meetups.signals)


def check_links(*, now=None, timeout: float | None = None) -> CheckReport:
    now = now or timezone.now()
    report = CheckReport()
    claimed = _claim(now=now)
    if not claimed:
        return report
    with ThreadPoolExecutor(max_workers=settings.LINK_CHECK_CONCURRENCY) as pool:
        outcomes = pool.map(lambda item: fetch(item[1], timeout=timeout), claimed)
        # Stored here, in this thread, a batch at a time as results arrive: the threads only
        # wait on sockets.
        results = []
        for (pk, url), outcome in zip(claimed, outcomes, strict=True):
            results.append((pk, url, outcome))
            report.checked += 1
            if len(results) == BATCH:
                _store(results, now=now, report=report)
                results = []
        if results:
            _store(results, now=now, report=report)
    return report
