from ._job import JobCommand


class Command(JobCommand):
    job = "sweep-notifications"
