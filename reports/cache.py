"""The public report's cache: each page, file and picture is made once per state of the
histories in each web process and then served as stored bytes, with an ETag for 304s.
The state (reports.services.history_state) is re-read at most once a second per process
(settings.DIRECTORY_RECHECK_SECONDS, as for the directory), so a change shows within a second."""

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.utils import timezone

from meetups.cache import Body, RenderedForState, body_response, conditional_response

from .services import history_state

RENDERED = RenderedForState()
_last_seen: tuple[float, tuple] | None = None


def current_state() -> tuple:
    global _last_seen
    seen, now = _last_seen, time.monotonic()
    if seen is not None and now - seen[0] < settings.DIRECTORY_RECHECK_SECONDS:
        return seen[1]
    state = history_state()
    _last_seen = (now, state)
    return state


def forget() -> None:
    """The next request reads the state again and makes everything anew (tests)."""
    global _last_seen
    _last_seen = None
    RENDERED.forget()


def kept_response(request, *, name: str, content_type: str, build, personal: bool = False):
    """The bytes `build()` makes, kept for this state; `name` says what they are (path,
    query, language). A page (`personal`) is kept only for visitors who are not signed in and
    have no message waiting: anyone else gets it made for them."""
    if personal and (request.user.is_authenticated or len(messages.get_messages(request))):
        return _response(request, Body.of(build()), content_type)
    state = current_state()
    digest = hashlib.sha256(repr((state, name)).encode()).hexdigest()[:20]
    etag = f'"r-{digest}"'
    return conditional_response(
        request,
        etag=etag,
        # When this process first saw the state: Last-Modified only needs to be stable.
        changed_at=RENDERED.get(state, "seen_at", timezone.now),
        render_response=lambda: _response(
            request, RENDERED.get(state, name, lambda: Body.of(build())), content_type
        ),
    )


def _response(request, body: Body, content_type: str):
    return body_response(request, body, content_type=content_type)
