"""Celery tasks of the intake app."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="intake.email_access_links")
def email_access_links(email: str) -> int:
    """The "find my proposals" search and email, away from the request that asked, so the
    answer takes as long whether or not the address has proposals."""
    return services.email_access_links(email=email)


def queue_access_links(email: str) -> None:
    """Hand the search to the worker (in-process without a broker). A broker that does not
    answer is logged: the visitor was already told to check their inbox and can ask again."""
    try:
        email_access_links.delay(email)
    except Exception as exc:  # kombu raises several kinds; any means "not queued"
        logger.warning("Could not queue a find-my-proposals email: %s", exc.__class__.__name__)


@shared_task(name="intake.email_my_data_link")
def email_my_data_link(email: str) -> bool:
    """The "your data" link, away from the request that asked (as find my proposals)."""
    from . import my_data

    return my_data.send_link(email=email)


def queue_my_data_link(email: str) -> None:
    try:
        email_my_data_link.delay(email)
    except Exception as exc:  # kombu raises several kinds; any means "not queued"
        logger.warning("Could not queue a your-data email: %s", exc.__class__.__name__)
