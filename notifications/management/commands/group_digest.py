from ._job import JobCommand


class Command(JobCommand):
    job = "group-digest"
