"""Delivery of one row (`deliver`, run by the Celery task in-process; a worker sends rows in
batches through `attempt`, see notifications.batches): claim the row with one conditional
UPDATE, send it through Django's email backend, mark it sent. SMTP and network errors are retried
with exponential backoff, then the row is marked failed with the error kept.

Trade-off: at least once, not at most once. If a worker dies after the mail server accepted
a message but before the row is marked sent, the lease runs out and the sweep sends it
again. The window is the few milliseconds between the server's "250 OK" and our UPDATE; the
opposite choice (never retry a claimed row) would lose every email whose worker died at any
point of the attempt. Every attempt carries the same Message-ID, so a mail client that sees
both copies can fold them into one.
"""

import logging
import smtplib
import threading
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .links import fill_private_links
from .models import Kind, Notification, Status

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt: the base delay, doubled after each failure."""
    return settings.NOTIFICATION_RETRY_SECONDS * 2 ** max(attempts - 1, 0)


def claim(notification_id: int) -> Notification | None:
    """Take the row for one attempt, or None when it is not ours to send (already sent or
    failed, being sent by another worker, or waiting for its retry time). One conditional
    UPDATE, so two workers given the same row cannot both win."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id,
        status=Status.PENDING,
        # A retry delivered a moment early (clocks differ) still counts as due; the grace
        # is far shorter than a lease (at least 5 s), so it never cuts one short.
        next_attempt_at__lte=now + timedelta(seconds=1),
    ).update(
        attempts=F("attempts") + 1,
        next_attempt_at=now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS),
    )
    if not claimed:
        return None
    return Notification.objects.get(pk=notification_id)


def _message_id(notification: Notification) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{notification.pk}.{notification.event_key.replace(':', '-')}@{domain}>"


def build_email(notification: Notification, *, made: dict | None = None) -> EmailMultiAlternatives:
    """The email for a row, its private links made now (notifications.links); `made`:
    links already made for it (links.prepare_links)."""
    made = dict(made or {})
    text = fill_private_links(notification.body_text, notification, made=made)
    html = fill_private_links(notification.body_html, notification, made=made)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        # Answers reach program staff, never the sending address (often unattended), or the
        # member who wrote to a group's organizers.
        reply_to=[notification.reply_to or settings.PROGRAM_CONTACT_EMAIL],
        headers={"Message-ID": _message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    return message


class DeliveryUnknown(Exception):
    """The message was handed to the mail server (after its go-ahead for DATA) but no
    answer came back: it may have been accepted. Sending it again could make a copy."""


class _DataPhase:
    """Remembers whether the message itself has gone to the server: set once the server
    answers DATA with 354, the point after which a lost answer means "maybe delivered"."""

    handed_over = False
    _in_data = False

    def mail(self, *args, **kwargs):  # each message starts with MAIL FROM
        self.handed_over = False
        return super().mail(*args, **kwargs)

    def data(self, msg):
        self.handed_over, self._in_data = False, True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def getreply(self):
        code, text = super().getreply()
        if self._in_data and code == 354:
            self.handed_over = True
        return code, text


class _SMTP(_DataPhase, smtplib.SMTP):
    pass


class _SMTPSSL(_DataPhase, smtplib.SMTP_SSL):
    pass


class _SMTPBackend(SMTPEmailBackend):
    """Django's SMTP backend on connections that know whether DATA was handed over."""

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP


def _open_backend():
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        return _SMTPBackend(fail_silently=False)
    return get_connection(fail_silently=False)


def _handed_over(backend) -> bool:
    return bool(getattr(getattr(backend, "connection", None), "handed_over", False))


def permanent_refusal(exc: Exception) -> str | None:
    """The server's reply when it refused the message for good (5xx), else None."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        if replies and all(500 <= code < 600 for code, _ in replies):
            return "; ".join(f"{code} {_text(reply)}" for code, reply in replies)
        return None
    if isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600:
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return None


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class _KeptConnection(threading.local):
    """This thread's open connection to the mail server, and what it was opened with."""

    backend = None
    opened_with: tuple = ()
    used_at = 0.0


_kept = _KeptConnection()
# A connection idle longer than this is closed, not reused: mail servers drop idle sessions.
MAIL_CONNECTION_IDLE_SECONDS = 30


def _mail_settings() -> tuple:
    return (
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
    )


def close_mail_connection() -> None:
    backend, _kept.backend = _kept.backend, None
    if backend is not None:
        try:
            backend.close()
        except Exception:  # already broken: there is nothing left to close cleanly
            logger.debug("Closing the mail connection failed", exc_info=True)


def send_message(message: EmailMultiAlternatives) -> None:
    """Send one email over this thread's open connection to the mail server, opening one
    when there is none, it has idled, or the settings changed. Opening it (with TLS, a
    handshake every time) was most of what each email cost. A kept connection the server
    has dropped gets one fresh connection at once, which is not a failed attempt. Raises
    what the backend raises (DeliveryUnknown when the message was handed over but not
    confirmed, which is never resent here); the connection is then closed."""
    now = time.monotonic()
    if _kept.backend is not None and (
        _kept.opened_with != _mail_settings() or now - _kept.used_at > MAIL_CONNECTION_IDLE_SECONDS
    ):
        close_mail_connection()
    reused = _kept.backend is not None
    try:
        if _kept.backend is None:
            backend = _open_backend()
            backend.open()
            _kept.backend, _kept.opened_with = backend, _mail_settings()
        _kept.backend.send_messages([message])
    except smtplib.SMTPServerDisconnected as exc:
        handed_over = _handed_over(_kept.backend)
        close_mail_connection()
        if handed_over:
            raise DeliveryUnknown(str(exc) or "no answer after the message was sent") from exc
        if not reused:
            raise
        send_message(message)  # on a new connection: a second drop is raised
        return
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
        close_mail_connection()  # the server answered: whether it took the message is known
        raise
    except BaseException as exc:
        handed_over = _handed_over(_kept.backend)
        close_mail_connection()
        if handed_over and isinstance(exc, OSError):
            raise DeliveryUnknown(str(exc) or exc.__class__.__name__) from exc
        raise
    _kept.used_at = time.monotonic()


def _describe(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def deliver(*, notification_id: int, can_retry: bool = True) -> float | None:
    """One delivery attempt. Returns the delay before the next attempt when the caller
    should schedule one, else None (sent, failed for good, or not ours to send)."""
    notification = claim(notification_id)
    if notification is None:
        return None
    return attempt(notification, can_retry=can_retry)


def attempt(
    notification: Notification,
    *,
    can_retry: bool = True,
    message: EmailMultiAlternatives | None = None,
) -> float | None:
    """Send a claimed row (`message`: its email, already built and committed with its
    links) and record the outcome on it alone (sent, retry later, failed, delivery
    unknown). Returns the delay before a retry, or None."""
    pending = Notification.objects.filter(pk=notification.pk, status=Status.PENDING)
    try:
        send_message(message if message is not None else build_email(notification))
    except DeliveryUnknown as exc:
        # The server may have it: sending again could make copies. A person decides.
        pending.update(
            status=Status.UNKNOWN,
            last_error="The mail server did not confirm this email after it was sent "
            f"(waited {settings.EMAIL_TIMEOUT} s: {exc}), so it may or may not have arrived. "
            "It is not retried automatically; resend it if the recipient did not get it.",
        )
        logger.warning("Notification %s: delivery unknown (%s)", notification.pk, exc)
        return None
    except (smtplib.SMTPException, OSError) as exc:
        refusal = permanent_refusal(exc)
        if refusal is not None:
            # 5xx: the server will refuse it the same way next time.
            pending.update(
                status=Status.FAILED,
                last_error=f"The mail server refused this email for good ({refusal}), so it "
                "was not retried. Check the address, or the message the server gave.",
            )
            logger.warning("Notification %s refused: %s", notification.pk, refusal)
            forget_when_finished(Notification.objects.filter(pk=notification.pk))
            return None
        error = _describe(exc)
        if can_retry and notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS:
            delay = retry_delay(notification.attempts)
            pending.update(
                last_error=error, next_attempt_at=timezone.now() + timedelta(seconds=delay)
            )
            logger.info("Notification %s: %s; retrying in %ss", notification.pk, error, delay)
            return delay
        pending.update(status=Status.FAILED, last_error=error)
        logger.warning("Notification %s failed for good: %s", notification.pk, error)
        forget_when_finished(Notification.objects.filter(pk=notification.pk))
        return None
    except Exception as exc:
        # Not a delivery problem (a bug, a bad address): retrying would not help.
        logger.exception("Notification %s could not be sent", notification.pk)
        pending.update(status=Status.FAILED, last_error=_describe(exc))
        forget_when_finished(Notification.objects.filter(pk=notification.pk))
        return None
    pending.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    forget_when_finished(Notification.objects.filter(pk=notification.pk))
    return None


# Emails to someone whose data was erased: once finished with (sent, or failed for good:
# refused, out of attempts, given up by the sweep), the row keeps no address.
FORGOTTEN_ONCE_FINISHED = {Kind.DATA_ERASED}


def forget_when_finished(rows) -> int:
    """Blank the address (and the words that hold it) of those `rows` that are of a
    forgotten kind and sent or failed for good. Safe to run twice."""
    return (
        rows.filter(kind__in=FORGOTTEN_ONCE_FINISHED, status__in=(Status.SENT, Status.FAILED))
        .exclude(recipient="")
        .update(
            event_key=Concat(Value("erased:"), Cast("pk", output_field=CharField())),
            recipient="",
            body_text="",
            body_html="",
        )
    )
