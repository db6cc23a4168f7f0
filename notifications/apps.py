from django.apps import AppConfig

from accounts.signals import sign_in_throttled
from common import jobs as timed_jobs
from common.signals import job_ran
from config import health
from intake.signals import (
    access_links_requested,
    draft_started,
    introduction_requested,
    proposal_transitioned,
)
from reviews.signals import comment_posted


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Imported here, not at the top: models and tasks load only once the apps registry is
        # ready (Django's rule for ready(), not an import cycle).
        from . import beat_watch, group_messages, heartbeats, jobs, outbox, receivers, tasks  # noqa: F401  (tasks: registers the Celery tasks by name)

        proposal_transitioned.connect(
            receivers.on_proposal_transitioned, dispatch_uid="notifications.transition"
        )
        comment_posted.connect(receivers.on_comment_posted, dispatch_uid="notifications.comment")
        access_links_requested.connect(
            receivers.on_access_links_requested, dispatch_uid="notifications.access_links"
        )
        draft_started.connect(receivers.on_draft_started, dispatch_uid="notifications.draft")
        introduction_requested.connect(
            receivers.on_introduction_requested, dispatch_uid="notifications.introduction"
        )
        sign_in_throttled.connect(
            receivers.on_sign_in_throttled, dispatch_uid="notifications.sign_in"
        )
        # Asking is also how a dead beat gets announced (notifications.beat_watch).
        health.register("beat", beat_watch.health_check)
        health.register("timed_jobs", heartbeats.health)
        timed_jobs.register(*jobs.JOBS)
        job_ran.connect(heartbeats.record_run, dispatch_uid="notifications.heartbeats")
        # Receivers for the reminders intake and reviews announce, and the beat tasks.
        # Emails about listed groups: receivers of meetups' signals (meetups.events).
        from . import (
            erasure,  # noqa: F401
            groups,  # noqa: F401
            reminders,  # noqa: F401
        )
