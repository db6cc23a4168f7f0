from ._job import JobCommand


class Command(JobCommand):
    job = "group-link-check"
