"""Shared fixtures, and the rule for tests that need real services.

A test marked `postgres`, `redis` or `browser` skips, saying why, when that service is not
here. With REQUIRE_SERVICES=1 (set by .ci/run) such a skip becomes a failure instead."""

import os
import shutil
import socket
import time

import hypothesis
import pytest
from django.conf import settings
from django.core.cache import caches

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in ("1", "true", "yes")

# Property tests explore new inputs on every run on a developer's machine; in CI they replay
# the same ones, so a landing never hangs on what a random draw happened to find.
hypothesis.settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL") or settings.REDIS_URL or "redis://127.0.0.1:6379/0"


def _missing_service(marker: str) -> str | None:
    if marker == "postgres":
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
    elif marker == "redis":
        from urllib.parse import urlparse

        parsed = urlparse(redis_url())
        if not _port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379):
            return f"needs Redis at {redis_url()}"
    elif marker == "browser" and not (
        shutil.which(os.environ.get("CHROMIUM", "chromium")) or os.path.exists("/usr/bin/chromium")
    ):
        return "needs Chromium (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(items):
    """Every test that commits (live servers, worker threads and processes) starts from the
    rows migrations made (role groups, program pages, content types) and leaves none of its
    own: serialized rollback for all of them. A plain flush would run post_migrate, which
    recreates content types under new ids, and the next test's restore would collide with
    them; which tests broke then depended on the order they ran in."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (
            (marker is not None and marker.kwargs.get("transaction"))
            or "transactional_db" in fixtures
            or "live_server" in fixtures
        )
        if transactional and not (marker is not None and marker.kwargs.get("serialized_rollback")):
            kwargs = {**(marker.kwargs if marker is not None else {})}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES is set but this test {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_caches(db):
    """Throttle counters and cached pages never leak from one test into another."""
    from intake import overlap
    from meetups.cache import RENDERED, forget_directory_state
    from reviews import queue_counts

    for alias in settings.CACHES:
        caches[alias].clear()
    # Each test's rollback takes the directory's version back: what this process last read
    # of it must not outlive the test.
    forget_directory_state()
    RENDERED.forget()
    queue_counts.forget()  # the queue's counts, kept per version of the proposals
    overlap.forget_index()  # the overlap check's index of the candidates
    yield


class MonotonicClock:
    """time.monotonic, moved on by the test instead of waited for."""

    def __init__(self, real):
        self.real = real
        self.offset = 0.0

    def __call__(self) -> float:
        return self.real() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def monotonic_clock(monkeypatch):
    """A controlled clock for time-driven behaviour measured with time.monotonic (the
    directory's recheck interval): `monotonic_clock.advance(seconds)` instead of a sleep.
    It only runs ahead of the real clock, so it stays monotonic for everything else."""
    clock = MonotonicClock(time.monotonic)
    monkeypatch.setattr(time, "monotonic", clock)
    return clock


@pytest.fixture
def public_paths(db) -> list[str]:
    """Every public page a visitor who is not signed in opens, a listed group's own included
    (the pages that are compressed, and rendered once per version)."""
    from tests import factories

    group = factories.meetup(is_listed=True)
    return [
        "/",
        "/guidelines/",
        "/meetups/",
        f"/meetups/{group.slug}/",
        "/meetups.json",
        "/propose/",
    ]
