"""docker-compose.yml and the Dockerfile (Docker itself cannot run in CI): parse them and
check the parts the notifications rely on."""

from pathlib import Path

import dj_email_url
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_every_part_with_a_healthcheck():
    services = compose()["services"]
    assert set(services) == {"web", "worker", "beat", "db", "backup", "redis", "mailpit"}
    for name, service in services.items():
        assert service["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    assert "8025:8025" in services["mailpit"]["ports"]


def test_the_app_services_use_postgres_redis_and_mailpit():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["EMAIL_URL"] == "${EMAIL_URL:-smtp://mailpit:1025}"
        backing = {"db", "redis", "mailpit"}
        # The worker and beat also wait for web, which migrates the database on start.
        expected = backing if name == "web" else backing | {"web"}
        assert set(services[name]["depends_on"]) == expected
    email = dj_email_url.parse("smtp://mailpit:1025")
    assert email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (email["EMAIL_HOST"], email["EMAIL_PORT"]) == ("mailpit", 1025)


def test_the_web_container_prepares_the_database_and_static_files_then_serves():
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    steps = ["migrate", "createcachetable", "collectstatic", "gunicorn config.wsgi"]
    positions = [command.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "-c requirements.lock" in dockerfile


def test_beat_sweeps_the_outbox_every_minute():
    schedule = settings.CELERY_BEAT_SCHEDULE
    (entry,) = [e for e in schedule.values() if e["task"] == "notifications.sweep"]
    assert entry["schedule"] <= 60


def test_celery_is_set_up_so_no_task_is_lost_and_redis_cannot_hang_a_request():
    from config.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    options = conf.broker_transport_options
    assert 0 < options["socket_timeout"] <= 5 and 0 < options["socket_connect_timeout"] <= 5
    assert 0 < conf.broker_connection_timeout <= 5
    assert conf.task_publish_retry_policy["max_retries"] <= 2


def test_the_tasks_take_acks_late_and_ignore_result_from_the_settings():
    from notifications.tasks import deliver, sweep

    assert settings.CELERY_TASK_ACKS_LATE is True and settings.CELERY_TASK_IGNORE_RESULT is True
    for task in (deliver, sweep):
        assert task.acks_late is True and task.ignore_result is True, task.name
