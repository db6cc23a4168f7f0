"""Beat stopping, as /healthz and program managers see it (issue 22, fourth round): the
"beat" field and the timed jobs' "(overdue)" follow one rule (more than two periods without
a run: for the sweep, which runs every minute, two minutes), the "scheduled work stopped"
email goes out once as soon as anything asks after that, and "resumed" once when beat runs
again. The clock is controlled: each check is asked about a given moment."""

from datetime import timedelta

import pytest

from notifications import beat_watch, heartbeats, tasks
from notifications import outbox as services
from notifications.models import Heartbeat, Kind, Notification
from tests import factories
from tests.conftest import redis_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def managers(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/13"  # a broker configured: beat expected
    return sorted(factories.staff_user(role="manager").email for _ in range(2))


def _sweep_overdue(now) -> bool:
    return next(r for r in heartbeats.status(now=now) if r["name"] == "sweep-notifications")[
        "overdue"
    ]


def _emails(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_beat_and_the_timed_jobs_agree_and_managers_are_told_once_each_way(managers):
    tasks.sweep()  # beat runs
    last = Heartbeat.objects.get(name=services.SWEEP_HEARTBEAT).at
    for seconds in (30, 119, 120):
        moment = last + timedelta(seconds=seconds)
        assert beat_watch.watch(now=moment) == (True, "ok")
        assert not _sweep_overdue(moment)
    assert not _emails(Kind.BEAT_STOPPED)

    # Beat stopped: two minutes and a second after the last sweep, both say so and the
    # first look (a /healthz poll, the outbox page, watch_beat) records the email.
    for seconds in (121, 135, 150, 600):
        moment = last + timedelta(seconds=seconds)
        ok, detail = beat_watch.watch(now=moment)
        assert not ok and detail.startswith("stale:")
        assert _sweep_overdue(moment)
    assert _emails(Kind.BEAT_STOPPED) == managers  # once each
    assert not _emails(Kind.BEAT_RESUMED)

    tasks.sweep()  # beat is back: its own sweep announces it
    back = Heartbeat.objects.get(name=services.SWEEP_HEARTBEAT).at
    for seconds in (1, 30, 60):
        assert beat_watch.watch(now=back + timedelta(seconds=seconds)) == (True, "ok")
    assert _emails(Kind.BEAT_RESUMED) == managers  # once each
    assert _emails(Kind.BEAT_STOPPED) == managers


@pytest.mark.redis
@pytest.mark.parametrize(("seconds", "healthy"), [(115, True), (125, False), (400, False)])
def test_healthz_beat_field_agrees_with_the_overdue_sweep(client, settings, seconds, healthy):
    settings.REDIS_URL = redis_url()
    services.sweep()
    Heartbeat.objects.filter(name=services.SWEEP_HEARTBEAT).update(
        at=Heartbeat.objects.get(name=services.SWEEP_HEARTBEAT).at - timedelta(seconds=seconds)
    )
    body = client.get("/healthz").json()
    sweep_line = next(
        part for part in body["timed_jobs"].split("; ") if part.startswith("sweep-notifications")
    )
    assert (body["beat"] == "ok") is healthy
    assert ("(overdue)" not in sweep_line) is healthy
    assert (body["status"] == "ok") is healthy
