"""A slow, refusing or silent mail server (issue 16, defect 4): an email the server may
already have is never sent again without a person choosing to; a permanent refusal is not
retried; transient trouble before the message is handed over keeps its retries."""

import asyncio
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from notifications import delivery as notifications
from notifications.models import Notification, Status
from notifications.outbox import sweep
from tests import factories

from .helpers import closed_port, organizer, transition
from .test_worker import running_worker, statuses, submit_through_the_page, wait_for


class FaultyMailServer:
    """A local SMTP server that can answer the message late (after the client's timeout,
    having accepted it), refuse recipients or messages, or answer at once."""

    def __init__(self):
        self.delay = 0.0  # seconds before answering DATA (the message is already received)
        self.rcpt_reply = ""  # e.g. "450 ..." to refuse recipients
        self.data_reply = "250 OK"
        self.received: list[tuple[list[str], str]] = []  # (recipients, Message-ID)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message_id = ""
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("message-id:"):
                message_id = line.split(":", 1)[1].strip()
        if self.data_reply.startswith("250"):
            with self.lock:
                self.received.append((list(envelope.rcpt_tos), message_id))
        if self.delay:
            await asyncio.sleep(self.delay)
        return self.data_reply


@pytest.fixture
def mail_server(settings):
    handler = FaultyMailServer()
    port = closed_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    settings.NOTIFICATION_RETRY_SECONDS = 0
    try:
        yield handler
    finally:
        notifications.close_mail_connection()
        controller.stop()


def pending_rows() -> list[Notification]:
    factories.staff_user(role="reviewer")
    proposal, _ = factories.draft()
    with transaction.atomic():
        transition(proposal, "submit", organizer())
    return list(Notification.objects.filter(status=Status.PENDING).order_by("pk"))


def deliver_like_a_worker(row) -> None:
    """Every attempt the worker would make, each as soon as it is due."""
    for _ in range(10):
        Notification.objects.filter(pk=row.pk, status=Status.PENDING).update(
            next_attempt_at=Notification.objects.get(pk=row.pk).created_at
        )
        if notifications.deliver(notification_id=row.pk) is None:
            return


@pytest.mark.django_db
def test_a_slow_mail_server_gets_one_copy_and_the_row_says_delivery_unknown(
    mail_server, client, django_capture_on_commit_callbacks
):
    mail_server.delay = 2.5  # accepts the message, answers after EMAIL_TIMEOUT
    row = pending_rows()[0]
    deliver_like_a_worker(row)
    row.refresh_from_db()
    assert len(mail_server.received) == 1
    assert row.status == Status.UNKNOWN and row.attempts == 1
    assert "may or may not have arrived" in row.last_error
    # Not sent again by the sweep or a duplicate task.
    assert sweep() == 0
    assert notifications.deliver(notification_id=row.pk) is None
    assert len(mail_server.received) == 1

    client.force_login(factories.staff_user(role="manager"))
    outbox = client.get("/reviews/outbox/?status=unknown").content.decode()
    assert "Delivery unknown" in outbox and "Resend" in outbox
    # A person chooses to resend: the copy carries the same Message-ID.
    mail_server.delay = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/reviews/outbox/{row.pk}/resend/").status_code == 302
    row.refresh_from_db()
    assert row.status == Status.SENT
    (first_to, first_id), (second_to, second_id) = mail_server.received
    assert first_to == second_to == [row.recipient]
    assert first_id == second_id == notifications.build_email(row).extra_headers["Message-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["rcpt", "data"])
def test_a_permanent_refusal_is_not_retried_and_the_outbox_says_why(mail_server, client, where):
    if where == "rcpt":
        mail_server.rcpt_reply = "550 5.1.1 No such mailbox here"
    else:
        mail_server.data_reply = "554 5.7.1 Message refused by policy"
    row = pending_rows()[0]
    assert notifications.deliver(notification_id=row.pk) is None
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 1
    assert "refused this email for good" in row.last_error
    client.force_login(factories.staff_user(role="manager"))
    outbox = client.get("/reviews/outbox/").content.decode()
    assert "refused this email for good" in outbox
    assert ("No such mailbox" if where == "rcpt" else "refused by policy") in outbox


@pytest.mark.django_db
def test_a_temporary_refusal_before_the_message_is_retried(mail_server):
    mail_server.rcpt_reply = "450 4.2.1 Mailbox busy, try later"
    row = pending_rows()[0]
    assert notifications.deliver(notification_id=row.pk) == 0  # a retry, at once here
    row.refresh_from_db()
    assert row.status == Status.PENDING and "450" in row.last_error
    mail_server.rcpt_reply = ""
    deliver_like_a_worker(row)
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2
    assert len(mail_server.received) == 1


@pytest.mark.django_db
def test_a_silent_mail_server_is_retried_since_nothing_was_handed_over(settings):
    """It accepts the connection and never says a word: nothing was sent, so retrying
    cannot make a copy."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        settings.NOTIFICATION_RETRY_SECONDS = 0
        row = pending_rows()[0]
        started = time.monotonic()
        assert notifications.deliver(notification_id=row.pk) == 0
        assert time.monotonic() - started < 10
    row.refresh_from_db()
    assert row.status == Status.PENDING and row.attempts == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_slow_mail_server_behind_the_worker_gets_one_copy_of_each_email(
    mail_server, client, settings
):
    """The fault as production meets it: a worker over Redis, five emails, a server that
    takes each message and answers after EMAIL_TIMEOUT. Before the fix: 25 copies."""
    mail_server.delay = 2.5
    for _ in range(3):
        factories.staff_user(role="reviewer")
    with running_worker():
        submit_through_the_page(client)  # two organizers and three reviewers: five emails
        assert Notification.objects.count() == 5
        wait_for(lambda: statuses() == {Status.UNKNOWN}, what="every row to settle", limit=120)
    assert len(mail_server.received) == 5
    assert all(n.attempts == 1 for n in Notification.objects.all())
