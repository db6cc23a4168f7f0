"""Beat tasks for listed groups (config.settings.CELERY_BEAT_SCHEDULE). Both are safe to run
twice, and on two workers at once: see meetups.nightly and meetups.linkcheck."""

import logging

from celery import shared_task

from . import linkcheck, nightly

logger = logging.getLogger(__name__)


@shared_task(name="meetups.lifecycle_pass")
def lifecycle_pass() -> str:
    report = nightly.run_pass()
    logger.info("Group lifecycle pass: %s", report)
    return str(report)


@shared_task(name="meetups.check_links")
def check_links() -> str:
    report = linkcheck.check_links()
    logger.info("Group link check: %s", report)
    return str(report)
