"""The timed jobs that are emails alone (common.jobs; registered in NotificationsConfig.ready()):
the outbox's sweep and the two digests. Their beat tasks are in notifications.tasks."""

from common.jobs import Job

from . import groups, outbox, reminders

JOBS = (
    Job(
        "sweep-notifications",
        "sweep_outbox",
        "queues again emails whose sending stalled",
        outbox.sweep,
    ),
    Job("send-digests", "send_digests", "the staff's weekly digests", reminders.send_digests),
    Job(
        "group-digest",
        "group_digest",
        "the daily digest of group changes",
        groups.record_group_digest,
    ),
)
