"""Delivery without a broker (tasks in-process): claiming, retries, failure, the sweep."""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import delivery, outbox
from notifications.models import Notification, Status
from tests import factories

from .helpers import closed_port, organizer, transition

pytestmark = pytest.mark.django_db


def pending_rows(count: int = 1) -> list[Notification]:
    """Rows recorded for a real submit whose after-commit delivery has not run."""
    for _ in range(count):
        factories.staff_user(role="reviewer")
    proposal, _ = factories.draft()
    with transaction.atomic():
        transition(proposal, "submit", organizer())
    return list(Notification.objects.filter(status=Status.PENDING).order_by("pk"))


@pytest.fixture
def refusing_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    return settings


def test_the_same_row_delivered_twice_sends_one_email():
    row = pending_rows()[0]
    delivery.deliver(notification_id=row.pk)
    delivery.deliver(notification_id=row.pk)
    assert [m.to for m in mail.outbox] == [[row.recipient]]
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1


def test_a_row_being_sent_by_another_worker_is_not_claimed():
    row = pending_rows()[0]
    assert delivery.claim(row.pk) is not None
    assert delivery.claim(row.pk) is None
    delivery.deliver(notification_id=row.pk)
    assert mail.outbox == []


def test_a_network_error_schedules_a_retry_with_growing_delays(refusing_smtp):
    refusing_smtp.NOTIFICATION_RETRY_SECONDS = 30
    row = pending_rows()[0]
    first = delivery.deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert first == 30
    assert row.status == Status.PENDING and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > timezone.now()
    # Not due yet: a duplicate task does nothing.
    assert delivery.deliver(notification_id=row.pk) is None
    assert Notification.objects.get(pk=row.pk).attempts == 1
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver(notification_id=row.pk) == 60


def test_after_the_last_attempt_the_row_is_failed_with_the_error(refusing_smtp):
    refusing_smtp.NOTIFICATION_MAX_ATTEMPTS = 2
    row = pending_rows()[0]
    delivery.deliver(notification_id=row.pk)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver(notification_id=row.pk) is None
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 2
    assert "ConnectionRefusedError" in row.last_error


def test_without_a_broker_a_failed_send_is_final_and_the_change_still_happens(
    refusing_smtp, django_capture_on_commit_callbacks
):
    factories.staff_user(role="reviewer")
    proposal, _ = factories.draft()
    with django_capture_on_commit_callbacks(execute=True):
        transition(proposal, "submit", organizer())
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    statuses = set(Notification.objects.values_list("status", flat=True))
    assert statuses == {Status.FAILED}
    assert all("ConnectionRefusedError" in n.last_error for n in Notification.objects.all())


def test_sweep_sends_rows_left_pending_for_over_a_minute(settings):
    old, recent = pending_rows(count=1)[:2]
    Notification.objects.filter(pk=old.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=61)
    )
    assert outbox.sweep() == 1
    assert [m.to for m in mail.outbox] == [[old.recipient]]
    assert Notification.objects.get(pk=recent.pk).status == Status.PENDING


def test_sweep_recovers_a_row_whose_worker_died_while_sending(settings):
    row = pending_rows()[0]
    delivery.claim(row.pk)  # the worker claimed it, then was killed
    assert outbox.sweep() == 0  # its lease still runs
    lease_over = timezone.now() - timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS + 1)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=lease_over)
    assert outbox.sweep() == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2
    assert len(mail.outbox) == 1


def test_sweep_gives_up_on_a_row_whose_last_attempt_died(settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    row = pending_rows()[0]
    delivery.claim(row.pk)
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=61)
    )
    outbox.sweep()
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert "may or may not have gone out" in row.last_error
    assert mail.outbox == []


def test_every_attempt_carries_the_same_message_id():
    row = pending_rows()[0]
    first = delivery.build_email(row).extra_headers["Message-ID"]
    assert first == delivery.build_email(row).extra_headers["Message-ID"]
    assert str(row.pk) in first


class CountingMailServer:
    """A local SMTP server that counts the connections (EHLO) it serves."""

    def __init__(self):
        self.connections = 0
        self.received: list[list[str]] = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.received.append(list(envelope.rcpt_tos))
        return "250 OK"


def test_emails_share_one_mail_server_connection_and_outlive_its_restart(settings):
    server, port = CountingMailServer(), closed_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        first = pending_rows(count=2)
        for row in first:
            delivery.deliver(notification_id=row.pk)
        assert len(server.received) == len(first) >= 3
        assert server.connections == 1

        # The mail server restarts: the connection kept open is gone. The next email goes
        # out on a new one, at its first attempt.
        controller.stop()
        controller = Controller(server, hostname="127.0.0.1", port=port)
        controller.start()
        second = [row for row in pending_rows() if row.pk not in {r.pk for r in first}]
        for row in second:
            delivery.deliver(notification_id=row.pk)
    finally:
        controller.stop()
        delivery.close_mail_connection()
    assert len(server.received) == len(first) + len(second)
    assert server.connections == 2
    assert set(Notification.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
