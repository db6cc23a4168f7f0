"""The Celery app. Without REDIS_URL, settings make every task run in-process (eager)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("meetup_proposals")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(task=None, **kwargs):
    """Around each task, what Django does around each request: keep a healthy connection
    until CONN_MAX_AGE, drop a broken or expired one (the health check at its next use
    reconnects after PostgreSQL restarts). Celery's own fixup would otherwise open a new
    connection for every email (settings.CELERY_DB_REUSE_MAX)."""
    if task is not None and getattr(task.request, "is_eager", False):
        return  # in-process: the caller's connection, perhaps inside its transaction
    from django.db import close_old_connections

    close_old_connections()
