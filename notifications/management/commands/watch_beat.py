"""Check that Celery beat runs, and email program managers when it stops or comes back
(notifications.beat_watch). For cron, beside /healthz: it needs no beat and no worker."""

from django.core.management.base import BaseCommand, CommandError

from notifications import beat_watch


class Command(BaseCommand):
    help = "Check Celery beat's heartbeat; email program managers once when it stops or resumes."

    def handle(self, *args, **options):
        ok, detail = beat_watch.watch()
        if ok:
            self.stdout.write(f"beat: {detail}")
            return
        # Exit status 1, so cron (or a monitor) sees the failure too.
        raise CommandError(f"beat: {detail}")
