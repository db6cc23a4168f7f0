from django.apps import AppConfig

from common import jobs as timed_jobs


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "The program in figures"

    def ready(self):
        # Imported here, not at the top: models load only once the apps registry is ready.
        from . import jobs, tasks  # noqa: F401  (tasks: the beat task)

        timed_jobs.register(*jobs.JOBS)
