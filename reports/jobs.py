"""The report's timed job (common.jobs; registered in ReportsConfig.ready()). Its beat task is
reports.tasks.freeze_closed_years."""

from common.jobs import Job

from . import services

JOBS = (
    Job(
        "report-freeze",
        "freeze_report_years",
        "storing the report's figures of each closed year",
        services.freeze_closed_years,
    ),
)
