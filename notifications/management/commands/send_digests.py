from ._job import JobCommand


class Command(JobCommand):
    job = "send-digests"
