"""The timed jobs' scheduler for a deployment without Celery beat (`manage.py run_scheduler`,
which `make run` starts beside the server): every tick it runs the jobs that are due by
their beat schedule, one after another, in this process. Due is read from each job's last
recorded run (notifications.heartbeats), so a restart, a run from cron or one by beat counts."""

import logging
import threading

from django.db import close_old_connections
from django.utils import timezone

from common import jobs

from . import heartbeats

logger = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, *, clock=timezone.now, log=None):
        self.clock = clock
        self.started = clock()
        self.log = log or logger.info
        self.failed: dict = {}  # name -> when it last failed, so it waits for its next time

    def run_due(self) -> list[str]:
        """Run every job due now; returns their names. A job that fails is logged and tried
        again at its next time: the others still run."""
        ran = []
        last = heartbeats.last_runs()
        for name in jobs.JOBS:
            now = self.clock()
            tried = max(filter(None, (last[name], self.failed.get(name))), default=None)
            if not jobs.is_due(name, last=tried, started=self.started, now=now):
                continue
            try:
                result = jobs.run(name, clock=self.clock)
            except Exception:
                logger.exception("Timed job %s failed", name)
                self.failed[name] = now
                continue
            self.log(f"{name}: {result}")
            ran.append(name)
        return ran

    def run_forever(self, *, stop: threading.Event, tick: float) -> None:
        while not stop.is_set():
            close_old_connections()
            self.run_due()
            stop.wait(tick)  # wakes at once when stopped
