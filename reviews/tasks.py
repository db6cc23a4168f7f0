"""The beat task of the proposals' timed job (reviews.jobs)."""

from celery import shared_task

from . import jobs


# Named as when notifications ran it: tasks already queued under that name still run.
@shared_task(name="notifications.send_reminders")
def send_reminders() -> dict:
    return {str(k): v for k, v in jobs.send_reminders().items()}
