import pytest

from reports import cache


@pytest.fixture(autouse=True)
def _fresh_report_cache():
    """The report's kept pages and the state it last read never outlive a test."""
    cache.forget()
    yield
    cache.forget()
