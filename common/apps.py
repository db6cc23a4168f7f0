from celery.signals import task_postrun
from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate

from . import jobs


def create_cache_tables(sender, using, **kwargs):
    """`migrate` alone prepares the database: the database cache tables (the throttles')
    are made with it. createcachetable skips tables that exist, so running it again is
    harmless."""
    call_command("createcachetable", database=using, verbosity=0)


class CommonConfig(AppConfig):
    """Pieces every app uses (the throttle, form helpers); the bottom layer with config."""

    name = "common"
    verbose_name = "Common"

    def ready(self):
        post_migrate.connect(
            create_cache_tables, sender=self, dispatch_uid="common.create_cache_tables"
        )
        # A timed job Celery beat queued has run in a worker: recorded as the commands' runs.
        task_postrun.connect(jobs.record_beat_run, dispatch_uid="common.jobs.beat_run")
