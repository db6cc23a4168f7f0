"""Work done away from requests: Celery (the broker, or in-process without one), the timed
jobs' schedule (CELERY_BEAT_SCHEDULE: each app's jobs.py declares its jobs, common.jobs runs
them; see docs/timed-jobs.md), and email delivery's holds and retries. Star-imported by
config.settings."""

from celery.schedules import crontab

from .env import env_int, env_str

# Celery: with REDIS_URL, tasks go to Redis; without it they run in-process (eager).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only after it ran, one at a time per worker process, and handed
# back if the worker dies: a killed worker's email is redelivered (claiming the row makes a
# second delivery send nothing twice).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A dead or half-open Redis must not hang a web request: short socket timeouts and a
# bounded publish retry (about 2 s in all); the outbox sweep sends what could not be queued.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 1,
    "retry_on_timeout": False,
    "max_retries": 1,
    # Longer than the longest retry backoff, so a waiting retry is not redelivered early.
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery closes the worker's database connections before and after every task unless told
# to reuse them: a new PostgreSQL connection per email cost a third of each delivery.
# config.celery closes old or broken connections around each task instead, as Django does
# around each request; Celery then forces a reconnect only every this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULE = {
    "sweep-notifications": {"task": "notifications.sweep", "schedule": 60.0},
    # Both are safe to run twice: each reminder and digest is recorded once per period.
    "send-reminders": {"task": "notifications.send_reminders", "schedule": 3600.0},
    "send-digests": {"task": "notifications.send_digests", "schedule": 900.0},
    # Both are safe to run twice or at once: each step and each email happens once.
    "group-lifecycle": {
        "task": "meetups.lifecycle_pass",
        "schedule": crontab(hour=6, minute=0),
    },
    "group-digest": {
        "task": "notifications.group_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "group-link-check": {
        "task": "meetups.check_links",
        "schedule": crontab(hour=4, minute=30, day_of_week=1),
    },
    # Safe to run twice: a closed year's figures are stored once and never again.
    "report-freeze": {
        "task": "reports.freeze_closed_years",
        "schedule": crontab(hour=2, minute=15),
    },
}

# A "reviewed" email waits this long before it is sent: a decision on the same proposal in
# that time (changes requested, approved, declined) replaces it, so organizers do not get
# "reviewed" seconds before the decision (notifications.recording). 0 sends it at once.
REVIEWED_EMAIL_HOLD_MINUTES = env_int("REVIEWED_EMAIL_HOLD_MINUTES", 30, minimum=0)

# Email delivery: attempts before an email is marked failed, the first retry delay (it
# doubles each time), how long one attempt may hold a row, and how long a pending row waits
# before the sweep queues it again.
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5, minimum=1)
NOTIFICATION_RETRY_SECONDS = env_int("NOTIFICATION_RETRY_SECONDS", 30, minimum=0)
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 300, minimum=5)
NOTIFICATION_SWEEP_AFTER_SECONDS = env_int("NOTIFICATION_SWEEP_AFTER_SECONDS", 60, minimum=0)
# Emails one worker task claims and sends over one mail server connection (notifications.batches).
NOTIFICATION_BATCH_SIZE = env_int("NOTIFICATION_BATCH_SIZE", 50, minimum=1)
