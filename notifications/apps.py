from django.apps import AppConfig

from accounts.signals import sign_in_throttled
from common import jobs as timed_jobs
from common.signals import job_ran
from config import health
from intake.signals import (
    access_links_requested,
    draft_deleting,
    draft_started,
    introduction_requested,
    my_data_link_requested,
    personal_data_erased,
    personal_data_erasing,
    personal_data_requested,
    proposal_transitioned,
    reminder_due,
)
from meetups.signals import (
    group_links_requested,
    group_people_erasing,
    group_people_requested,
    meetup_event_recorded,
    meetup_events_recorded,
    nightly_pass_finished,
    organizers_contacted,
)
from reviews.signals import comment_posted


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Imported here, not at the top: models and tasks load only once the apps registry is
        # ready (Django's rule for ready(), not an import cycle).
        from . import (  # noqa: F401  (tasks: registers the Celery tasks by name)
            beat_watch,
            erasure,
            group_messages,
            groups,
            heartbeats,
            jobs,
            receivers,
            reminders,
            tasks,
        )

        # Notifications listens to the layers below it: each announcement becomes the
        # emails it calls for, recorded inside the announcing transaction.
        for signal, receiver, uid in (
            (proposal_transitioned, receivers.on_proposal_transitioned, "transition"),
            (comment_posted, receivers.on_comment_posted, "comment"),
            (access_links_requested, receivers.on_access_links_requested, "access_links"),
            (draft_started, receivers.on_draft_started, "draft"),
            (introduction_requested, receivers.on_introduction_requested, "introduction"),
            (sign_in_throttled, receivers.on_sign_in_throttled, "sign_in"),
            (reminder_due, reminders.record_reminder, "record_reminder"),
            (draft_deleting, reminders.forget_draft, "forget_draft"),
            # A group's history, links to its pages, messages to its organizers.
            (meetup_event_recorded, groups.record_group_event, "groups.record_group_event"),
            (meetup_events_recorded, groups.record_group_events, "groups.record_group_events"),
            (group_links_requested, groups.record_group_links, "groups.record_group_links"),
            (nightly_pass_finished, groups.record_nightly_summary, "groups.record_nightly_summary"),
            (organizers_contacted, group_messages.relay, "group_messages.relay"),
            # People's control of their data (intake.erasure, meetups.erasure).
            (personal_data_requested, erasure.add_emails, "erasure.download"),
            (personal_data_erasing, erasure.erase_emails, "erasure.erase"),
            (personal_data_erased, erasure.tell_organizers, "erasure.erased"),
            (my_data_link_requested, erasure.send_my_data_link, "erasure.my_data_link"),
            (group_people_requested, erasure.add_group_emails, "erasure.group_download"),
            (group_people_erasing, erasure.erase_group_emails, "erasure.group_erase"),
            # Every timed job's run is kept as its heartbeat (common.jobs announces it).
            (job_ran, heartbeats.record_run, "heartbeats"),
        ):
            signal.connect(receiver, dispatch_uid=f"notifications.{uid}")
        # Asking is also how a dead beat gets announced (notifications.beat_watch).
        health.register("beat", beat_watch.health_check)
        health.register("timed_jobs", heartbeats.health)
        timed_jobs.register(*jobs.JOBS)
