"""Delivery through the real Redis broker and a real Celery worker (in a thread).

These start the worker themselves; they are marked `redis`, so without Redis they skip
(and with REQUIRE_SERVICES=1 they fail instead)."""

import asyncio
import logging
import os
import socket
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_failure, task_postrun, task_retry
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection, connections
from django.utils import timezone
from kombu import pools

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP
from config.celery import app
from intake import services
from intake.models import Proposal
from notifications.models import Notification, Status
from notifications.tasks import deliver, sweep
from tests import factories
from tests.conftest import redis_url
from tests.waiting import wait_for

from .helpers import closed_port, organizer, transition

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _role_groups():
    """Transactional tests start from empty tables: put back the groups the migration made."""
    for name in (REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP):
        Group.objects.get_or_create(name=name)


def _reset_connections():
    """Forget pooled broker connections, so the next publish uses the new address."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


# A queue of this run's own, so another test run on the same Redis cannot take its tasks.
QUEUE = f"notifications-test-{uuid.uuid4().hex[:12]}"


@contextmanager
def broker_at(url: str):
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=QUEUE)
    _reset_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_connections()


def _close_worker_thread_connections(**kwargs):
    # The worker thread's own database connection would outlive the thread and keep the
    # test database from being dropped at the end of the run.
    connections.close_all()


@contextmanager
def running_worker():
    with broker_at(redis_url()):
        task_postrun.connect(_close_worker_thread_connections)
        try:
            with start_worker(
                app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=[QUEUE]
            ):
                yield
        finally:
            task_postrun.disconnect(_close_worker_thread_connections)
            client = redis.Redis.from_url(redis_url())
            for key in client.scan_iter(match=f"*{QUEUE}*"):
                client.delete(key)


WORKER_APP_NAME = f"test-worker-{uuid.uuid4().hex[:8]}"


def worker_process(settings, **extra_env) -> subprocess.Popen:
    """`celery worker` as production runs it (its own process, Celery's Django fixup
    included), on this test's database, Redis queue and SMTP server."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "tests-only-not-a-secret",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        "EMAIL_TIMEOUT": "60",
        # Names its PostgreSQL connections, so a test can tell them from any other.
        "PGAPPNAME": WORKER_APP_NAME,
        **extra_env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            QUEUE,
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel=warning",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def statuses() -> set[str]:
    return set(Notification.objects.values_list("status", flat=True))


def submit_through_the_page(client) -> Proposal:
    proposal, token = factories.draft()
    response = client.post(f"/proposals/{token}/check/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    return proposal


class SMTPServer:
    """A local SMTP server that refuses every message while `refusing` is set, with
    `refusal` (a temporary 4xx unless a test says otherwise)."""

    def __init__(self):
        self.refusing = True
        self.refusal = "451 4.7.1 Greylisted, try again later"
        self.hanging = False  # never answer the message, like a stalled server
        self.stalled = threading.Event()
        self.attempts = 0
        self.received: list[tuple[str, list[str]]] = []
        self.bodies: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.hanging:
            self.stalled.set()
            await asyncio.sleep(120)
            return "451 4.3.0 Too late"
        if self.refusing:
            return self.refusal
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.bodies.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    handler = SMTPServer()
    port = closed_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield handler
    finally:
        controller.stop()


def test_a_status_change_is_delivered_by_the_worker(client):
    reviewer = factories.staff_user(role="reviewer")
    with running_worker():
        proposal = submit_through_the_page(client)
        wait_for(lambda: statuses() == {Status.SENT}, what="every email to be sent")
    expected = sorted([o.email for o in proposal.organizers.all()] + [reviewer.email])
    assert sorted(address for m in mail.outbox for address in m.to) == expected
    assert all(n.attempts == 1 for n in Notification.objects.all())


def test_with_redis_unreachable_the_change_succeeds_and_the_sweep_sends_later(
    client, settings, caplog
):
    factories.staff_user(role="reviewer")
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"), caplog.at_level(logging.WARNING):
        proposal = submit_through_the_page(client)
    assert "the sweep will retry" in caplog.text
    assert Notification.objects.count() == 3
    assert statuses() == {Status.PENDING}
    assert mail.outbox == []

    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 0  # rather than wait a minute
    with running_worker():
        sweep.delay()  # what beat runs every minute
        wait_for(lambda: statuses() == {Status.SENT}, what="the sweep to send the emails")
    assert len(mail.outbox) == 3
    assert Proposal.objects.get(pk=proposal.pk).state == "submitted"


def test_a_mail_server_refusing_for_now_gives_retries_then_failed_then_resend_delivers(
    client, settings, smtp_server
):
    settings.NOTIFICATION_RETRY_SECONDS = 0
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    retries, failures = [], []

    def on_retry(sender=None, **kwargs):
        retries.append(kwargs["request"].id)

    def on_failure(sender=None, **kwargs):
        failures.append(kwargs["exception"])

    task_retry.connect(on_retry, weak=False)
    task_failure.connect(on_failure, weak=False)
    try:
        with running_worker():
            proposal = submit_through_the_page(client)  # two organizers, no reviewers
            wait_for(lambda: statuses() == {Status.FAILED}, what="both emails to fail")
    finally:
        task_retry.disconnect(on_retry)
        task_failure.disconnect(on_failure)
    # Each email was tried three times, no more, and no task crashed. (A task sends a batch
    # of due emails, so a retry is scheduled by the task that tried the row, which is not
    # always the row's own: Celery's retry count is not one per failed attempt any more.)
    assert retries and failures == []
    assert smtp_server.attempts == 6
    with running_worker():
        for n in Notification.objects.all():
            assert n.attempts == 3
            assert "451" in n.last_error and "Greylisted" in n.last_error

        client.force_login(factories.staff_user(role="manager"))
        outbox = client.get("/reviews/outbox/").content.decode()
        assert "451" in outbox and "Greylisted" in outbox

        smtp_server.refusing = False
        for n in Notification.objects.all():
            assert client.post(f"/reviews/outbox/{n.pk}/resend/").status_code == 302
        wait_for(lambda: statuses() == {Status.SENT}, what="the resent emails to go out")
    organizers = sorted(o.email for o in proposal.organizers.all())
    assert sorted(to for _, tos in smtp_server.received for to in tos) == organizers
    assert all(n.last_error == "" for n in Notification.objects.all())


def test_the_same_task_delivered_twice_sends_one_email(settings):
    proposal, _ = factories.draft()
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        transition(proposal, "submit", organizer())  # recorded, not queued
    row = Notification.objects.order_by("pk").first()
    runs = []

    def count(sender=None, **kwargs):
        if getattr(sender, "name", "") == deliver.name:
            runs.append(kwargs["task_id"])

    task_postrun.connect(count, weak=False)
    try:
        with running_worker():
            deliver.apply_async((row.pk,), task_id="same-task")
            deliver.apply_async((row.pk,), task_id="same-task")
            wait_for(lambda: len(runs) == 2, what="both deliveries to run")
    finally:
        task_postrun.disconnect(count)
    # One copy of the row's email. (The other organizer's row, due too, goes out in the
    # same batch, once.)
    sent_to = [to for m in mail.outbox for to in m.to]
    assert sent_to.count(row.recipient) == 1
    assert sorted(sent_to) == sorted(Notification.objects.values_list("recipient", flat=True))
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1


def test_a_dead_broker_does_not_hold_up_the_request(client):
    """A broker that accepts connections but never answers (half-open) is cut off by the
    socket timeout; the status change is saved and the email waits for the sweep."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    try:
        with broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
            submit_through_the_page(client)
    finally:
        silent.close()
    assert statuses() == {Status.PENDING}


@pytest.mark.postgres
def test_a_worker_killed_while_sending_loses_nothing(settings, smtp_server):
    """A separate worker process is killed (SIGKILL) in the middle of an SMTP conversation.
    Its row stays leased; when the lease ends the sweep hands it to another worker, which
    sends it. The mail server got no complete message from the killed worker, so the
    recipient gets exactly one."""
    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 0
    factories.draft(organizer_emails=["kim@example.org", "lee@example.org"])
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        services.email_access_links(email="kim@example.org")  # recorded, not queued
    (row,) = Notification.objects.all()

    smtp_server.hanging = True
    worker = worker_process(settings, NOTIFICATION_LEASE_SECONDS="5")
    try:
        with broker_at(redis_url()):
            deliver.apply_async((row.pk,))
        if not smtp_server.stalled.wait(30):
            pytest.fail("The worker never started sending: " + worker.stderr.read1().decode())
    finally:
        worker.kill()
        worker.wait(10)

    row.refresh_from_db()
    assert row.status == Status.PENDING and row.attempts == 1  # claimed, never finished
    assert row.next_attempt_at > timezone.now()  # leased: no one else may take it yet
    smtp_server.hanging = smtp_server.refusing = False
    wait_for(
        lambda: Notification.objects.get(pk=row.pk).next_attempt_at <= timezone.now(),
        what="the lease to end",
    )
    with running_worker():
        sweep.delay()  # what beat runs every minute
        wait_for(lambda: statuses() == {Status.SENT}, what="the sweep to send the email")
    row.refresh_from_db()
    assert row.attempts == 2
    assert [tos for _, tos in smtp_server.received] == [["kim@example.org"]]


def _worker_backends() -> list[tuple[int, object]]:
    """(pid, started at) of the worker process's connections to PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE application_name = %s",
            [WORKER_APP_NAME],
        )
        return cursor.fetchall()


@pytest.mark.postgres
def test_a_worker_keeps_its_database_connection_and_survives_losing_it(settings, smtp_server):
    """One connection serves email after email (not a new one per email), and when
    PostgreSQL drops it (a restart, a failover) the next email still goes out."""
    smtp_server.refusing = False
    factories.draft(organizer_emails=["kim@example.org", "lee@example.org"])
    worker = worker_process(settings)
    try:
        with broker_at(redis_url()):
            for _ in range(3):
                services.email_access_links(email="kim@example.org")
            wait_for(lambda: statuses() == {Status.SENT}, what="the first emails to be sent")
            (before,) = _worker_backends()  # one connection, still open after them
            services.email_access_links(email="kim@example.org")
            wait_for(lambda: statuses() == {Status.SENT}, what="the fourth email to be sent")
            assert _worker_backends() == [before]  # the same connection, reused

            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [before[0]])
            services.email_access_links(email="kim@example.org")
            wait_for(lambda: statuses() == {Status.SENT}, what="the email after the loss")
    finally:
        worker.terminate()  # a warm shutdown: it closes its connections
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)
    assert Notification.objects.filter(status=Status.SENT).count() == 5
    assert Notification.objects.filter(attempts__gt=1).count() == 0
    assert len(smtp_server.received) == 5
