"""Delivery in batches against a real local SMTP server: one task claims many due rows in
one statement and sends them over one connection, each row keeping its own outcome (sent,
refused for good, delivery unknown); no row is claimed twice; the real worker delivers a
burst of emails, each once."""

import asyncio
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.db import connections, transaction
from django.utils import timezone

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP
from notifications import batches, delivery
from notifications.models import Notification, Status
from notifications.outbox import enqueue
from tests import factories

from .helpers import closed_port, organizer, transition
from .test_worker import broker_at, running_worker, statuses, wait_for


class MailServer:
    """Counts connections; can refuse one recipient for good, or answer one recipient's
    message only after the client's timeout (having received it)."""

    def __init__(self):
        self.connections = 0
        self.received: list[str] = []
        self.messages: list[bytes] = []
        self.refuse = ""  # a recipient answered 550
        self.slow = ""  # a recipient whose message is answered late
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
            self.messages.append(envelope.original_content or envelope.content)
        if self.slow in envelope.rcpt_tos:
            await asyncio.sleep(2.5)
        return "250 OK"


@pytest.fixture
def mail_server(settings):
    handler, port = MailServer(), closed_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield handler
    finally:
        delivery.close_mail_connection()
        controller.stop()


def pending(proposals: int) -> list[Notification]:
    """Rows recorded for real submissions (two organizers and one reviewer each), not
    queued: their broker is down."""
    for name in (REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP):
        Group.objects.get_or_create(name=name)  # transactional tests start without them
    factories.staff_user(role="reviewer")
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        for _ in range(proposals):
            proposal, _ = factories.draft()
            with transaction.atomic():
                transition(proposal, "submit", organizer())
    return list(Notification.objects.filter(status=Status.PENDING).order_by("pk"))


@pytest.mark.django_db
def test_one_batch_sends_every_due_row_over_one_connection(mail_server, settings):
    settings.NOTIFICATION_BATCH_SIZE = 50
    rows = pending(5)
    later = rows[-1]
    Notification.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)  # waiting for its retry
    )
    assert batches.deliver_batch(notification_id=rows[2].pk) == {}
    assert mail_server.connections == 1
    due = [r.recipient for r in rows if r.pk != later.pk]
    assert sorted(mail_server.received) == sorted(due)
    assert Notification.objects.get(pk=later.pk).status == Status.PENDING
    assert set(Notification.objects.exclude(pk=later.pk).values_list("status", "attempts")) == {
        (Status.SENT, 1)
    }
    # The tasks queued for the rows the batch sent find nothing left to send.
    for row in rows[:-1]:
        assert batches.deliver_batch(notification_id=row.pk) == {}
    assert len(mail_server.received) == len(due)


@pytest.mark.django_db
def test_a_batch_takes_its_own_row_first_and_at_most_its_size(mail_server, settings):
    rows = pending(3)
    claimed = batches.claim_batch(rows[-1].pk, limit=4)
    assert [r.pk for r in claimed] == [rows[-1].pk, *[r.pk for r in rows[:3]]]
    assert all(r.attempts == 1 for r in claimed)
    # Claimed rows are leased: a second batch takes only the others.
    again = batches.claim_batch(rows[0].pk, limit=50)
    assert {r.pk for r in again} == {r.pk for r in rows} - {r.pk for r in claimed}


@pytest.mark.django_db
def test_each_row_of_a_batch_keeps_its_own_outcome(mail_server, settings):
    settings.NOTIFICATION_RETRY_SECONDS = 30
    rows = pending(2)
    refused, slow = rows[0].recipient, rows[1].recipient
    mail_server.refuse, mail_server.slow = refused, slow
    batches.deliver_batch(notification_id=rows[0].pk)
    outcome = {n.recipient: n for n in Notification.objects.all()}
    assert outcome[refused].status == Status.FAILED and "550" in outcome[refused].last_error
    # Handed over, then no answer in time: maybe delivered, so never sent again by itself.
    assert outcome[slow].status == Status.UNKNOWN
    others = [n for r, n in outcome.items() if r not in (refused, slow)]
    assert others and all(n.status == Status.SENT and n.attempts == 1 for n in others)
    assert mail_server.received.count(slow) == 1 and refused not in mail_server.received


@pytest.mark.django_db
def test_rows_given_back_by_a_batch_past_its_time_are_due_at_once(settings):
    rows = pending(1)
    claimed = batches.claim_batch(rows[0].pk, limit=50)
    batches.release(claimed[1:])
    for row in claimed[1:]:
        row.refresh_from_db()
        assert row.status == Status.PENDING and row.attempts == 0
        assert row.next_attempt_at <= timezone.now()


@pytest.mark.django_db(transaction=True)
def test_batches_claimed_at_the_same_time_never_share_a_row():
    rows = pending(10)
    taken: list[list[int]] = []
    start = threading.Barrier(4)

    def claim(first):
        try:
            start.wait()
            taken.append([r.pk for r in batches.claim_batch(first, limit=12)])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(rows[i].pk,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    every = [pk for batch in taken for pk in batch]
    assert len(every) == len(set(every)) == len(rows)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_a_burst_each_once_over_few_connections(mail_server, client):
    rows = pending(10)
    assert mail_server.received == []
    with running_worker():
        enqueue([r.pk for r in rows])
        wait_for(lambda: statuses() == {Status.SENT}, what="every email to be sent")
    assert sorted(mail_server.received) == sorted(r.recipient for r in rows)
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    # Batches share the worker's kept connection rather than one per email.
    assert mail_server.connections < len(rows)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_burst_larger_than_a_batch_is_sent_each_once_by_one_task_per_batch(mail_server, settings):
    from celery.signals import task_prerun

    settings.NOTIFICATION_BATCH_SIZE = 4
    rows = pending(4)  # three emails each: more rows than fit in one batch
    ran = []

    def count(sender=None, **kwargs):
        if sender is not None and sender.name == "notifications.deliver":
            ran.append(kwargs.get("args"))

    task_prerun.connect(count, weak=False)
    try:
        with running_worker():
            assert enqueue([r.pk for r in rows]) == len(rows)
            wait_for(lambda: statuses() == {Status.SENT}, what="every email to be sent")
    finally:
        task_prerun.disconnect(count)
    assert sorted(mail_server.received) == sorted(r.recipient for r in rows)
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
    # One task per batch of rows, not one per row.
    assert len(ran) == -(-len(rows) // settings.NOTIFICATION_BATCH_SIZE)


@pytest.mark.django_db
def test_the_links_a_batch_makes_open_each_recipients_proposal(mail_server, client, settings):
    import email
    import re

    settings.NOTIFICATION_BATCH_SIZE = 50
    rows = pending(2)
    assert batches.deliver_batch(notification_id=rows[0].pk) == {}
    opened = 0
    for raw in mail_server.messages:
        message = email.message_from_bytes(raw)
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        body = text.get_payload(decode=True).decode()
        for path in re.findall(r"https?://[^/\s]+(/proposals/[^\s]+/)", body):
            assert client.get(path).status_code == 200, path
            opened += 1
    # Every organizer's email carried a link of its own, and each one works.
    assert opened >= 4
