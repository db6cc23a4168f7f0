from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "The program in figures"

    def ready(self):
        # Imported here, not at the top: models load only once the apps registry is ready.
        from notifications import jobs

        from . import services

        jobs.register(
            jobs.Job(
                "report-freeze",
                "freeze_report_years",
                "storing the report's figures of each closed year",
                services.freeze_closed_years,
            )
        )
