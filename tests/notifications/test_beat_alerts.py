"""When Celery beat stops, program managers get one email, and one more when it runs
again (issue 22, item 7). Beat cannot announce its own death, so what notices is what beat
does not run: /healthz (polled by the load balancer), the outbox page and the `watch_beat`
command; beat's own sweep announces the return. Time is controlled: the heartbeat is placed
in the past and each check is asked about a given moment."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications import beat_watch, tasks
from notifications import outbox as services
from notifications.delivery import build_email
from notifications.models import Heartbeat, Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def managers(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # a broker configured: beat expected
    factories.staff_user(role="reviewer")
    return [factories.staff_user(role="manager") for _ in range(2)]


def _beat_dies() -> None:
    Heartbeat.objects.filter(name=services.SWEEP_HEARTBEAT).update(
        at=timezone.now() - timedelta(seconds=4 * services.sweep_interval())
    )


def _emails(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_managers_get_one_email_when_beat_stops_and_one_when_it_resumes(client, managers):
    addresses = sorted(m.email for m in managers)
    tasks.sweep()  # beat runs
    assert client.get("/healthz").status_code == 200
    assert not Notification.objects.exists()

    _beat_dies()
    for _ in range(3):  # the load balancer asks every few seconds
        assert client.get("/healthz").status_code == 503
    client.force_login(managers[0])
    assert "The outbox sweep has stopped" in client.get("/reviews/outbox/").content.decode()
    with pytest.raises(CommandError):
        call_command("watch_beat", stdout=StringIO(), stderr=StringIO())
    assert _emails(Kind.BEAT_STOPPED) == addresses  # one each, whoever noticed first
    stopped = build_email(Notification.objects.filter(kind=Kind.BEAT_STOPPED).first())
    assert "has not run since" in stopped.body and "/reviews/outbox/" in stopped.body
    assert not _emails(Kind.BEAT_RESUMED)

    tasks.sweep()  # beat is back: its own sweep says so
    tasks.sweep()
    assert client.get("/healthz").status_code == 200
    assert _emails(Kind.BEAT_RESUMED) == addresses
    assert _emails(Kind.BEAT_STOPPED) == addresses  # no second "stopped"

    _beat_dies()  # a second stop is a new event: told again
    client.get("/healthz")
    assert len(_emails(Kind.BEAT_STOPPED)) == 4


def test_watching_twice_at_the_same_moment_tells_once(managers):
    tasks.sweep()
    later = timezone.now() + timedelta(hours=2)
    assert beat_watch.watch(now=later)[0] is False
    assert beat_watch.watch(now=later)[0] is False
    assert len(_emails(Kind.BEAT_STOPPED)) == 2
    # The outbox keeps one row per event and recipient even if the marker were lost.
    Heartbeat.objects.filter(name=beat_watch.STOPPED_MARKER).delete()
    beat_watch.watch(now=later)
    assert len(_emails(Kind.BEAT_STOPPED)) == 2


def test_without_a_broker_nobody_is_told(settings, client):
    settings.REDIS_URL = ""
    factories.staff_user(role="manager")
    _beat_dies()
    client.get("/healthz")
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_the_command_says_what_it_found(managers):
    tasks.sweep()
    out = StringIO()
    call_command("watch_beat", stdout=out)
    assert "ok" in out.getvalue()
    _beat_dies()
    out = StringIO()
    with pytest.raises(CommandError, match="stale"):
        call_command("watch_beat", stdout=out, stderr=StringIO())
