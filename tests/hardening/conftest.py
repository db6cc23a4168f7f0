from importlib.util import find_spec

import pytest

from .production import manage, production_env


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected as a deployment does (hashed names, a manifest), so that
    production settings can render pages in a separate process."""
    root = tmp_path_factory.mktemp("static")
    manage("collectstatic", "--noinput", env=production_env(DJANGO_STATIC_ROOT=root))
    return root


# These files test the reviewer workspace (issue 4), notifications (issue 5) and the
# directory (issue 3) as well: on a branch without them they are not collected.
WORKSPACE_MODULES = ("reviews.models", "notifications.models", "meetups.listing")
WORKSPACE_TESTS = [
    "test_escaping_workspace.py",
    "test_headers_workspace.py",
    "test_hostile_comments.py",
    "test_listing_hostile.py",
]
collect_ignore = [] if all(find_spec(m) for m in WORKSPACE_MODULES) else WORKSPACE_TESTS
