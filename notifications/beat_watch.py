"""Telling program managers when scheduled work stops, and when it resumes: one email each.

Who notices has to be something beat does not run. Three callers do: /healthz (polled by
the load balancer; docker-compose's web healthcheck asks every 15 s), the outbox page, and
the `watch_beat` command (for cron). The sweep task, run by beat, calls it too: that is how
a revived beat is announced even if nobody polls. Every caller is safe to run at once and
again: the "stopped" marker is a Heartbeat row with a unique name, created once and deleted
once, each in the transaction that records its email, and the outbox keeps one row per
event key and recipient."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .links import absolute
from .models import Heartbeat, Kind
from .outbox import SWEEP_HEARTBEAT, beat_status
from .recording import record_manager_alert

# Present while a stop has been announced and no resumption yet; `at` is the last sweep
# before the stop (or when the stop was noticed, if beat never ran).
STOPPED_MARKER = "beat-stopped"


def _last_sweep():
    return Heartbeat.objects.filter(name=SWEEP_HEARTBEAT).values_list("at", flat=True).first()


def _announce(kind: str, key: str, *, since, now) -> None:
    record_manager_alert(
        kind=kind,
        event_key=key,
        extra={
            "since": since,
            "noticed_at": now,
            "outbox_link": absolute(reverse("notifications:outbox")),
        },
    )


def watch(*, now=None) -> tuple[bool, str]:
    """beat_status, and if it changed since the last look, the email that says so.
    Returns what beat_status returned."""
    now = now or timezone.now()
    ok, detail = beat_status(now=now)
    if not settings.REDIS_URL:
        return ok, detail  # no broker, no beat: nothing to watch (and no query)
    if not ok:
        if not Heartbeat.objects.filter(name=STOPPED_MARKER).exists():
            since = _last_sweep() or now
            with transaction.atomic():
                _, created = Heartbeat.objects.get_or_create(
                    name=STOPPED_MARKER, defaults={"at": since}
                )
                if created:
                    _announce(
                        Kind.BEAT_STOPPED, f"beat-stopped:{since.isoformat()}", since=since, now=now
                    )
    elif Heartbeat.objects.filter(name=STOPPED_MARKER).exists():
        with transaction.atomic():
            marker = Heartbeat.objects.select_for_update().filter(name=STOPPED_MARKER).first()
            if marker is not None:
                marker.delete()
                _announce(
                    Kind.BEAT_RESUMED,
                    f"beat-resumed:{marker.at.isoformat()}",
                    since=marker.at,
                    now=now,
                )
    return ok, detail


def health_check() -> tuple[bool, str]:
    return watch()
