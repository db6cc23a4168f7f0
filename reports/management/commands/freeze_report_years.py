from notifications.management.commands._job import JobCommand


class Command(JobCommand):
    job = "report-freeze"
