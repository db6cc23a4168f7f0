"""The queue's counts by state, counted once per version of the proposals in each web
process. Counting every proposal on every page of the queue cost what the page itself did
at 10,000 proposals and ten times it at 100,000; the version is one row read by primary key.

Every saved or deleted proposal gives the version a new token in its own transaction, so a
count is never kept past a change, in this process or another. Proposals written without
save() (bulk_create, QuerySet.update) do not move it: application code does neither; the
benchmark's fixtures call proposals_changed() themselves."""

import threading
import uuid

from django.db.models.signals import post_delete, post_save

from intake.models import Proposal

from .models import QueueVersion

COUNTER_PK = 1

_lock = threading.Lock()
_kept: tuple[str, object] | None = None  # (token, value) in this process


def current_token() -> str:
    token = QueueVersion.objects.filter(pk=COUNTER_PK).values_list("token", flat=True).first()
    if token is None:
        QueueVersion.objects.get_or_create(pk=COUNTER_PK, defaults={"token": uuid.uuid4().hex})
        return ""  # just made: nothing counted under it yet, so count now
    return token


def kept(compute):
    """compute() once per version of the proposals (in this process)."""
    global _kept
    token = current_token()
    with _lock:
        seen = _kept
    if token and seen is not None and seen[0] == token:
        return seen[1]
    value = compute()
    if token:
        with _lock:
            _kept = (token, value)
    return value


def forget() -> None:
    """Drop what this process kept (tests: a rollback takes the rows back)."""
    global _kept
    with _lock:
        _kept = None


def proposals_changed(sender=None, **kwargs) -> None:
    token = uuid.uuid4().hex
    if not QueueVersion.objects.filter(pk=COUNTER_PK).update(token=token):
        QueueVersion.objects.get_or_create(pk=COUNTER_PK, defaults={"token": token})


def connect() -> None:
    post_save.connect(proposals_changed, sender=Proposal, dispatch_uid="queue-counts-saved")
    post_delete.connect(proposals_changed, sender=Proposal, dispatch_uid="queue-counts-deleted")
