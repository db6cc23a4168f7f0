"""The proposals' timed job (common.jobs; registered in ReviewsConfig.ready()): reminders,
warnings and the automatic steps for drafts and for proposals waiting for changes. It lives
here, above intake, because it runs intake's steps and the reviewers' alike. Its beat task is
reviews.tasks.send_reminders."""

import datetime

from django.utils import timezone

from common.jobs import Job
from intake import reminders as intake_reminders
from intake import retention as intake_retention

from . import reminders


def send_reminders(*, now: datetime.datetime | None = None) -> dict:
    """Everything time-driven about proposals: drafts, then proposals waiting for their
    organizers' changes, then ended proposals' retention."""
    now = now or timezone.now()
    done = {}
    done.update(intake_reminders.run_draft_reminders(now=now))
    done.update(reminders.run_change_request_reminders(now=now))
    done.update(intake_retention.run_ended_retention(now=now))
    return done


JOBS = (
    Job(
        "send-reminders",
        "send_reminders",
        "reminders, warnings and automatic steps for proposals and drafts",
        send_reminders,
    ),
)
