"""The directory's HTTP cache, and what makes it stale.

The directory is rendered once per directory version in each web process and kept in memory,
compressed as well: every visitor who is not signed in gets the same bytes. The version lives
in the database (a counter that every change to a group moves on, see meetups.signals), so
every process sees a change; it doubles as the ETag and Last-Modified for conditional
requests."""

import gzip
import secrets
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile

from .models import DirectoryVersion

COUNTER_PK = 1  # the counter is a single row

# The directory's version and its invalidation

# What this process last read of the directory's version: (read at, version, changed_at).
# A busy directory would otherwise spend a query on every request just to learn that nothing
# changed. A change made in this process forgets it at once; one made in another web process
# is seen here within settings.DIRECTORY_RECHECK_SECONDS.
_last_seen_state: tuple[float, int, object] | None = None


def directory_state() -> tuple[int, object]:
    """(version, changed_at) of the directory. Caches and ETags key on it."""
    global _last_seen_state
    seen, now = _last_seen_state, time.monotonic()
    if seen is not None and now - seen[0] < settings.DIRECTORY_RECHECK_SECONDS:
        return seen[1], seen[2]
    row = (
        DirectoryVersion.objects.filter(pk=COUNTER_PK).values_list("version", "changed_at").first()
    )
    if row is None:
        counter, _ = DirectoryVersion.objects.get_or_create(pk=COUNTER_PK)
        row = (counter.version, counter.changed_at)
    _last_seen_state = (now, *row)
    return row


def dated_state() -> tuple[int, object, object]:
    """(version, changed_at, today) for what also changes with the date, not only with edits:
    "next meeting" moves on when a day passes. Pages and ETags keyed on it are rendered once
    a day at least; changed_at is never before today's local midnight, so If-Modified-Since
    cannot keep yesterday's page."""
    version, changed_at = directory_state()
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    return version, max(changed_at, midnight), today


def forget_directory_state() -> None:
    """The next directory_state() reads the database again."""
    global _last_seen_state
    _last_seen_state = None


def mark_directory_changed() -> None:
    """Every cached directory page and ETag is stale from now on, in every process (the
    counter lives in the database, not in one process's memory)."""
    updated = DirectoryVersion.objects.filter(pk=COUNTER_PK).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        DirectoryVersion.objects.get_or_create(pk=COUNTER_PK)
    # Forgotten now, for this transaction's own reads, and again at commit, in case another
    # thread of this process read the old version in between.
    forget_directory_state()
    transaction.on_commit(forget_directory_state)


# What is kept, and how it is answered


def _release() -> str:
    """Changes when the page templates or styles change (a deploy), so an ETag from the
    previous release is never answered with 304."""
    root = Path(settings.BASE_DIR)
    files = [
        root / "templates" / "base.html",
        *sorted((root / "templates" / "meetups").glob("*.html")),
        root / "static" / "css" / "app.min.css",
    ]
    return format(int(sum(f.stat().st_mtime for f in files if f.exists())), "x")


RELEASE = _release()

# Bodies smaller than this gain too little from compression to be worth a second copy.
GZIP_MIN_BYTES = 1024
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")


@dataclass(frozen=True)
class Body:
    """A response body, encoded once, with its gzip copy when it is worth having."""

    content: bytes
    gzipped: bytes | None

    @classmethod
    def of(cls, content: bytes) -> "Body":
        # mtime=0: the same bytes in every process, whatever the hour they were made.
        compressed = gzip.compress(content, 6, mtime=0) if len(content) >= GZIP_MIN_BYTES else None
        return cls(content, compressed)


class RenderedForState:
    """What has been rendered for one directory state, in this process. A new state starts
    an empty set, so nothing stale is ever served and old versions are not kept."""

    def __init__(self):
        self._lock = threading.Lock()
        self._state = None
        self._values = {}

    def get(self, state, name: str, build):
        with self._lock:
            if self._state != state:
                self._state, self._values = state, {}
            values = self._values
        if name not in values:
            # Two threads may both build it once; both results are the same.
            values[name] = build()
        return values[name]

    def forget(self) -> None:
        """Drop everything kept (tests: a rollback can bring an old version back)."""
        with self._lock:
            self._state, self._values = None, {}


RENDERED = RenderedForState()


def conditional_response(request, *, etag: str, changed_at, render_response):
    """Answer 304 when the client's copy is current; otherwise render, with validators."""
    timestamp = int(changed_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = render_response()
    if request.method in ("GET", "HEAD"):
        response.headers.setdefault("ETag", etag)
        response.headers["Last-Modified"] = http_date(timestamp)
        # Browsers may keep a copy but must ask (cheaply, with the ETag) before using it.
        patch_cache_control(response, no_cache=True)
    return response


def body_response(request, body: Body, *, content_type: str) -> HttpResponse:
    """The stored bytes, compressed when the client accepts it. (No secret is ever in these
    public bodies, so compression cannot leak one, as it could a CSRF token.)"""
    if body.gzipped is not None and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(body.gzipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body.content, content_type=content_type)
    if body.gzipped is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    return response


def shared_page(request, *, name: str, render_page) -> HttpResponse:
    """A public page that is the same for every visitor who is not signed in and has no
    message waiting (counting messages does not mark them shown), and that changes only
    when staff edit a group, the directory or a program page (each moves the directory's
    version, see meetups.signals and intake.signals): rendered once per version in this
    process, then served as stored bytes, without a query or a template. Anyone else gets
    `render_page()`. A page that raises (a 404) is not kept."""
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return render_page()
    body = RENDERED.get(dated_state(), name, lambda: Body.of(render_page().content))
    return body_response(request, body, content_type="text/html; charset=utf-8")


# Stands for the visitor's CSRF token in a kept form page (letters only: never escaped).
CSRF_SLOT = "csrfTokenSlotForThisVisitor"


def shared_form_page(request, *, name: str, render_page) -> HttpResponse:
    """Like shared_page, for a page with a form: the page is kept with CSRF_SLOT where the
    token goes, `render_page(csrf_token)` rendering it so, and each visitor gets their own
    (masked anew each time) put in; a browser that accepts gzip gets it compressed from
    pieces kept compressed (FormPage), without compressing the whole page again."""
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return render_page(None)
    form = RENDERED.get(dated_state(), name, lambda: FormPage.of(render_page(CSRF_SLOT)))
    token = get_token(request).encode("ascii")
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(form.gzipped(token), content_type="text/html; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(
            form.before + token + form.after, content_type="text/html; charset=utf-8"
        )
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _deflated(data: bytes, *, last: bool) -> bytes:
    """`data` as raw deflate blocks that refer to nothing before them, so that pieces made
    apart can be joined: a full flush ends a middle piece on a byte boundary."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
    )


@dataclass(frozen=True)
class FormPage:
    """A kept form page, cut where the visitor's token goes, each side compressed once.
    Each visitor's copy is the two kept pieces around their token compressed on its own:
    the token shares no compression context with the page (nothing to guess it by, the
    BREACH attack), and the gzip header carries 0-99 random bytes as Django's GZipMiddleware
    adds, so two copies differ in length."""

    before: bytes
    after: bytes
    before_deflated: bytes
    after_deflated: bytes
    before_crc: int

    @classmethod
    def of(cls, response) -> "FormPage":
        before, after = response.content.split(CSRF_SLOT.encode("ascii"), 1)
        return cls(
            before,
            after,
            _deflated(before, last=False),
            _deflated(after, last=True),
            zlib.crc32(before),
        )

    def gzipped(self, token: bytes) -> bytes:
        crc = zlib.crc32(self.after, zlib.crc32(token, self.before_crc))
        size = len(self.before) + len(token) + len(self.after)
        # Magic, deflate, FNAME flag, no time, no extra flags, unknown OS; then the name.
        header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff"
        name = b"a" * secrets.randbelow(100) + b"\x00"
        return b"".join(
            (
                header,
                name,
                self.before_deflated,
                _deflated(token, last=False),
                self.after_deflated,
                struct.pack("<II", crc, size & 0xFFFFFFFF),
            )
        )
