"""Delivery in batches: one worker task claims up to NOTIFICATION_BATCH_SIZE due rows with a
single conditional UPDATE ... RETURNING, then sends them one after the other over the one
kept mail server connection (delivery.send_message), recording each row's outcome on its
own as it goes (delivery.attempt): what was sent is marked sent before the next is tried,
so a worker dying mid-batch can duplicate at most the one message in flight, as before.

Most of an email's cost was the task around it (broker round trip, claiming, acknowledging);
one task now carries many emails, and the tasks queued for rows a batch already sent find
nothing to claim and end after one query."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import delivery, links
from .models import Notification, Status

logger = logging.getLogger(__name__)


def claim_batch(first_id: int, *, limit: int) -> list[Notification]:
    """Claim `first_id` (when due) and other due rows, up to `limit`, oldest due first, in
    one statement: two workers can never claim the same row (PostgreSQL skips rows another
    worker is claiming; SQLite runs one writing statement at a time), and the outer
    conditions are checked again on each row as it is updated."""
    now = timezone.now()
    ops = connection.ops
    table = connection.ops.quote_name(Notification._meta.db_table)
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    # Same grace for a retry delivered a moment early as delivery.claim.
    due_by = ops.adapt_datetimefield_value(now + timedelta(seconds=1))
    lease = ops.adapt_datetimefield_value(
        now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    )
    # The batch is chosen once, in a materialized CTE: as a plain IN (subquery) PostgreSQL
    # may run the subquery again while updating, and claim more than `limit` rows.
    sql = (
        f"WITH batch AS MATERIALIZED (SELECT id FROM {table} "
        f"WHERE status = %s AND next_attempt_at <= %s "
        f"ORDER BY CASE WHEN id = %s THEN 0 ELSE 1 END, next_attempt_at, id LIMIT %s"
        f"{skip_locked}) "
        f"UPDATE {table} SET attempts = attempts + 1, next_attempt_at = %s "
        f"WHERE id IN (SELECT id FROM batch) AND status = %s AND next_attempt_at <= %s "
        f"RETURNING id"
    )
    params = [Status.PENDING, due_by, first_id, limit, lease, Status.PENDING, due_by]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    rows = {row.pk: row for row in Notification.objects.filter(pk__in=ids)}
    return sorted(rows.values(), key=lambda row: (row.pk != first_id, row.next_attempt_at, row.pk))


def release(rows: list[Notification]) -> None:
    """Give back claimed rows not attempted: due at once, the attempt not counted."""
    for row in rows:
        Notification.objects.filter(pk=row.pk, status=Status.PENDING, attempts=row.attempts).update(
            attempts=F("attempts") - 1, next_attempt_at=timezone.now()
        )


def build_all(rows: list[Notification]) -> dict:
    """The batch's emails, built in one transaction with their private links made together
    (links.prepare_links): one commit, one query and one insert for all of them instead
    of each per email, which was a third of an email's cost.
    They are committed before any is sent, so every link a sent email holds exists. If any
    fails to build, none is kept (they rolled back): each row is then built on its own as
    it is sent, and a failure recorded on that row alone."""
    try:
        with transaction.atomic():
            made = links.prepare_links(rows)
            return {row.pk: delivery.build_email(row, made=made[row.pk]) for row in rows}
    except Exception:
        logger.warning("Building a batch of emails failed; building them one by one", exc_info=True)
        return {}


def deliver_batch(*, notification_id: int) -> dict[int, float]:
    """Claim a batch starting with `notification_id` and send it. Returns {row id: delay} for
    rows to try again later (a retry, or a row given back unsent): the caller queues them."""
    rows = claim_batch(notification_id, limit=settings.NOTIFICATION_BATCH_SIZE)
    built = build_all(rows) if len(rows) > 1 else {}
    again: dict[int, float] = {}
    started = time.monotonic()
    for index, row in enumerate(rows):
        # A slow mail server must not make a batch outlive its lease (another worker would
        # then claim, and send again, rows still waiting here): past a third of it, the rest
        # go back to the outbox, due at once.
        if time.monotonic() - started > settings.NOTIFICATION_LEASE_SECONDS / 3:
            release(rows[index:])
            again.update(dict.fromkeys((r.pk for r in rows[index:]), 0.0))
            logger.info("Gave back %d notification(s) to a later batch", len(rows) - index)
            break
        delay = delivery.attempt(row, message=built.get(row.pk))
        if delay is not None:
            again[row.pk] = delay
    return again
