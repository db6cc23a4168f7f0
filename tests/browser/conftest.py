"""A real browser against a live server of the project.

One headless Chromium (the system's, at /usr/bin/chromium: Playwright never downloads one
here) serves each test module; each test gets a fresh context, so no cookie or session
leaks between tests. Test modules here set `pytestmark = BROWSER`: the `browser` marker
(skip without Chromium, fail under REQUIRE_SERVICES=1) and a transactional database, so the
server thread sees the test's data; serialized rollback restores the rows migrations make
(role groups, program pages) that each transactional test's flush removes."""

import os
import shutil

import pytest
from playwright.sync_api import expect

from .helpers import DESKTOP

# Assertions wait for what they expect as long as actions do: on a busy two-core machine a
# page after a form post took over the 5 s Playwright waits by default.
expect.set_options(timeout=10_000)

# The live server listens on the loopback address only.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="module")
def _playwright(django_db_setup):
    """Playwright, for one test module at a time: its sync API leaves an asyncio loop running
    in this thread, which changes how Django behaves, so it stops before other tests run."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    saved = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Django refuses ORM calls from a thread with a running loop unless told that this is
    # deliberate: here the loop only drives the browser, never Django's code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        # With a loop running, Django keeps database connections per context rather than
        # per thread, so this thread now gets new connection objects. They must learn the
        # data serialized after migrations, or serialized_rollback cannot restore the rows
        # migrations made (role groups, program pages) after each test's flush.
        for alias, contents in saved.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        yield playwright
        # Close those connections while they can still be reached, so that none is left
        # open when the test database is dropped.
        connections.close_all()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_playwright):
    path = chromium_path()
    if path is None:  # the `browser` marker has already skipped or failed the test
        pytest.skip("needs Chromium")
    browser = _playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """A factory of pages, each in its own context (its own cookies: one person each)."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="en-US", java_script_enabled=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
