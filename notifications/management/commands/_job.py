"""What every timed job's command shares: run the job once, now, in this process, and record
the run (notifications.jobs). Safe from cron: each job is safe to run twice or at once."""

from django.core.management.base import BaseCommand

from notifications import jobs


class JobCommand(BaseCommand):
    job = ""  # a key of notifications.jobs.JOBS

    @property
    def help(self):
        return f"Run {jobs.JOBS[self.job].about} once, now (safe from cron)."

    def handle(self, *args, **options):
        result = jobs.run_job(self.job)
        self.stdout.write(f"{self.job}: {result}")
