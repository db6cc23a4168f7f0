"""The nightly beat task (config.settings.CELERY_BEAT_SCHEDULE): store each closed year's
figures. Safe to run twice: a stored year is never computed again."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="reports.freeze_closed_years")
def freeze_closed_years() -> int:
    stored = services.freeze_closed_years()
    logger.info("Report: %s closed years stored", stored)
    return stored
