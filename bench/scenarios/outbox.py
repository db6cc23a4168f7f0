"""Waiting for the worker to empty the outbox, between and before scenario runs."""

import time

from bench.harness import Bench
from notifications.models import Notification, Status


def wait_outbox_empty(bench: Bench, *, timeout: float) -> bool:
    """Wait until the outbox has nothing pending (every email sent or failed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Notification.objects.filter(status=Status.PENDING).exists():
            return True
        time.sleep(0.2)
    bench.notes.append(f"emails were still pending after {timeout:.0f} s")
    return False
