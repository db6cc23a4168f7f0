"""Run the timed jobs on their beat schedule in this process, for a deployment (or `make run`)
without Celery beat. Stops on Ctrl+C or SIGTERM."""

import contextlib
import signal
import threading

from django.core.management.base import BaseCommand

from notifications import scheduler


class Command(BaseCommand):
    help = "Run the timed jobs on their schedule (for when no Celery beat runs them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tick", type=float, default=15.0, help="seconds between looks at what is due"
        )

    def handle(self, *args, tick, **options):
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write("Scheduler: running the timed jobs on their schedule.")
        with contextlib.suppress(KeyboardInterrupt):
            scheduler.Scheduler(log=self.stdout.write).run_forever(stop=stop, tick=tick)
        self.stdout.write("Scheduler stopped.")
