from common.jobs import JobCommand


class Command(JobCommand):
    job = "send-reminders"
