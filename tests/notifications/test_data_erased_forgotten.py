"""A "data erased" email keeps no address once it is finished with: sent, or failed for good
(refused, out of attempts, or given up by the sweep)."""

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import delivery
from notifications.models import Kind, Notification, Status
from notifications.outbox import sweep
from notifications.recording import record_data_erased

pytestmark = pytest.mark.django_db

ADDRESS = "pat.erased@example.org"


def erased_row() -> Notification:
    (row,) = record_data_erased(
        reference="MP-ERASED", erased_at=timezone.now(), addresses=[ADDRESS]
    )
    assert row.kind == Kind.DATA_ERASED and row.recipient == ADDRESS
    return row


def assert_forgotten(row: Notification) -> None:
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert ADDRESS not in (row.recipient, row.body_text, row.body_html, row.event_key)
    assert "pat.erased" not in f"{row.recipient}{row.body_text}{row.body_html}{row.event_key}"


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"5.1.1 No such mailbox")}),
        smtplib.SMTPServerDisconnected("the server went away"),  # out of attempts
        ValueError("a bug while building the message"),
    ],
    ids=["refused", "out-of-attempts", "not-a-delivery-problem"],
)
def test_a_data_erased_email_that_fails_for_good_forgets_the_address(error, monkeypatch, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1

    def refuse(message):
        raise error

    monkeypatch.setattr(delivery, "send_message", refuse)
    row = erased_row()
    assert delivery.deliver(notification_id=row.pk) is None
    assert_forgotten(row)


def test_a_data_erased_email_the_sweep_gives_up_on_forgets_the_address(settings):
    row = erased_row()
    long_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(
        attempts=settings.NOTIFICATION_MAX_ATTEMPTS, next_attempt_at=long_ago
    )
    sweep()
    assert_forgotten(row)


def test_other_failed_emails_keep_their_address_for_a_resend(monkeypatch, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    row = erased_row()
    Notification.objects.filter(pk=row.pk).update(kind=Kind.INTRODUCTION)

    def refuse(message):
        raise smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"5.1.1 No such mailbox")})

    monkeypatch.setattr(delivery, "send_message", refuse)
    delivery.deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.recipient == ADDRESS
