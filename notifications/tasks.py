"""Celery tasks: deliver one notification, and sweep the outbox for rows left behind."""

import logging

from celery import shared_task
from celery.exceptions import Retry

from . import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="notifications.deliver", acks_late=True, ignore_result=True)
def deliver(self, notification_id: int) -> None:
    # In-process (no broker) there is no worker to come back later: a failed attempt is
    # final and shows in the outbox, where a program manager can resend it.
    delay = services.deliver(notification_id=notification_id, can_retry=not self.request.is_eager)
    if delay is None:
        return
    try:
        self.retry(countdown=delay, max_retries=None)
    except Retry:
        raise  # the retry is queued; Celery records the task as retrying
    except Exception as exc:
        # The broker went away: the row is pending with its retry time, the sweep sends it.
        logger.warning("Could not schedule a retry of notification %s: %s", notification_id, exc)


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep() -> int:
    return services.sweep()
