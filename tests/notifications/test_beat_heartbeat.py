"""A dead Celery beat must not go unnoticed (issue 16, defect 5): the sweep records a
heartbeat; /healthz and the outbox page report it stale after more than two sweep
intervals (of at least a minute) without a run, the rule the timed jobs' "overdue" follows, only when a broker is configured. Time is controlled: the heartbeat is
placed in the past and the check is asked about a given moment, never waited for."""

import os
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from notifications import outbox as services
from notifications.models import Heartbeat
from tests import factories
from tests.conftest import redis_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def last_sweep_ago(seconds: float) -> None:
    Heartbeat.objects.filter(name=services.SWEEP_HEARTBEAT).update(
        at=timezone.now() - timedelta(seconds=seconds)
    )


@pytest.mark.redis
def test_a_dead_beat_turns_healthz_and_the_outbox_stale_after_two_intervals(client, settings):
    settings.REDIS_URL = redis_url()
    interval = services.sweep_interval()
    assert interval == 60  # the beat schedule in settings
    services.sweep()  # what beat runs: records the heartbeat
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["beat"] == "ok"

    last_sweep_ago(2 * interval - 5)  # not yet two intervals: still fine
    assert client.get("/healthz").status_code == 200

    last_sweep_ago(2 * interval + 5)  # beat died two intervals ago
    health = client.get("/healthz")
    assert health.status_code == 503
    body = health.json()
    assert body["status"] == "degraded" and body["database"] == "ok" and body["broker"] == "ok"
    assert body["beat"].startswith("stale:") and "125 s ago" in body["beat"]

    client.force_login(factories.staff_user(role="manager"))
    outbox = client.get("/reviews/outbox/").content.decode()
    assert "The outbox sweep has stopped" in outbox and "celery beat" in outbox

    services.sweep()  # beat is back
    assert client.get("/healthz").status_code == 200
    assert "The outbox sweep has stopped" not in client.get("/reviews/outbox/").content.decode()


def test_the_stale_limit_follows_the_beat_schedule(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.CELERY_BEAT_SCHEDULE = {
        "sweep-notifications": {"task": "notifications.sweep", "schedule": timedelta(seconds=100)}
    }
    services.sweep()
    ran = Heartbeat.objects.get(name=services.SWEEP_HEARTBEAT).at
    assert services.beat_status(now=ran + timedelta(seconds=200)) == (True, "ok")
    ok, detail = services.beat_status(now=ran + timedelta(seconds=201))
    assert not ok and "201 s ago" in detail


def test_a_beat_that_never_ran_is_reported(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    ok, detail = services.beat_status(now=timezone.now() + timedelta(hours=1))
    assert not ok and "no outbox sweep has run" in detail


def test_without_a_broker_there_is_no_beat_and_healthz_does_not_complain(client, settings):
    settings.REDIS_URL = ""
    last_sweep_ago(10_000)  # no row at all, and no beat to run one
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["beat"] == "not configured (tasks run in-process)"
    client.force_login(factories.staff_user(role="manager"))
    assert "The outbox sweep has stopped" not in client.get("/reviews/outbox/").content.decode()


def test_make_worker_runs_beat_as_its_own_process():
    """`make worker` starts `celery beat` beside `celery worker` (not `worker --beat`, whose
    beat child can die unseen), as docker-compose does."""
    commands = subprocess.run(
        ["make", "-n", "worker"],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert re.search(r"celery -A config beat\b", commands)
    assert re.search(r"celery -A config worker\b", commands)
    assert "--beat" not in commands and " -B " not in commands
