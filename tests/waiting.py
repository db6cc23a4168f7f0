"""Waiting for something another thread or process does: poll for it, with a generous
bound, and fail saying what never happened. Never a fixed sleep."""

import time

import pytest


def wait_for(condition, *, what: str, limit: float = 30.0, poll: float = 0.1):
    """Poll until `condition()` is true; fail saying what never happened."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    pytest.fail(f"Timed out waiting for {what}")
