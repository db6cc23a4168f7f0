"""Celery tasks: deliver one notification, and the beat tasks of notifications' timed jobs
(notifications.jobs): sweep the outbox for rows left behind, and the two digests."""

import logging

from celery import shared_task
from celery.exceptions import Retry

from . import batches, beat_watch, delivery, groups, outbox, reminders

logger = logging.getLogger(__name__)


# Acknowledged late and no result kept: settings CELERY_TASK_ACKS_LATE, CELERY_TASK_IGNORE_RESULT.
@shared_task(bind=True, name="notifications.deliver")
def deliver(self, notification_id: int) -> None:
    if self.request.is_eager:
        # In-process (no broker) the task runs inside the request that recorded the row: it
        # sends that row alone, so a visitor's request never waits for other people's emails.
        # There is no worker to come back later either: a failed attempt is final and shows
        # in the outbox, where a program manager can resend it.
        delivery.deliver(notification_id=notification_id, can_retry=False)
        return
    # The row this task was queued for, and other due rows with it (notifications.batches).
    again = batches.deliver_batch(notification_id=notification_id)
    delay = again.pop(notification_id, None)
    for other, countdown in again.items():
        try:
            self.apply_async((other,), countdown=countdown)
        except Exception as exc:  # the row is pending with its retry time: the sweep sends it
            logger.warning("Could not schedule a retry of notification %s: %s", other, exc)
    if delay is None:
        return
    try:
        self.retry(countdown=delay, max_retries=None)
    except Retry:
        raise  # the retry is queued; Celery records the task as retrying
    except Exception as exc:
        # The broker went away: the row is pending with its retry time, the sweep sends it.
        logger.warning("Could not schedule a retry of notification %s: %s", notification_id, exc)


@shared_task(name="notifications.sweep")
def sweep() -> int:
    queued = outbox.sweep()
    beat_watch.watch()  # beat runs this task: if a stop was announced, it is over
    return queued


@shared_task(name="notifications.group_digest")
def group_digest() -> int:
    return len(groups.record_group_digest())


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    return reminders.send_digests()
