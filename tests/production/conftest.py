import pytest

from .helpers import manage, production_env


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected as a deployment does (hashed names, a manifest), so that
    production settings can render pages in a separate process."""
    root = tmp_path_factory.mktemp("static")
    manage("collectstatic", "--noinput", env=production_env(DJANGO_STATIC_ROOT=root))
    return root
