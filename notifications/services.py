"""Recording and delivering email notifications.

Recording: `record_transition` (called by intake.services inside the transition's database
transaction), `record_comment` (called by reviews.services inside the comment's) and
`record_access_links` write one `Notification` row per recipient, with the message rendered
then, and arrange for delivery after commit. A rolled-back change therefore leaves no row
and sends nothing.

Delivery (`deliver`, run by the Celery task): claim the row with one conditional UPDATE,
send it through Django's email backend, mark it sent. SMTP and network errors are retried
with exponential backoff, then the row is marked failed with the error kept.

Trade-off: at least once, not at most once. If a worker dies after the mail server accepted
a message but before the row is marked sent, the lease runs out and the sweep sends it
again. The window is the few milliseconds between the server's "250 OK" and our UPDATE; the
opposite choice (never retry a claimed row) would lose every email whose worker died at any
point of the attempt. Every attempt carries the same Message-ID, so a mail client that sees
both copies can fold them into one.

Private links: an organizer's email links to the private status page. Tokens are stored only
as hashes, so the rendered body holds a placeholder and a fresh link is made when the email
is sent: the outbox never stores or shows a working link.
"""

import logging
import re
import smtplib
import threading
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from intake.actors import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP
from intake.models import ProposalTransition
from reviews.models import Comment, Review

from .group_links import GROUP_LINK_PATTERN, fill_group_links
from .models import Kind, Notification, Status

logger = logging.getLogger(__name__)

ORGANIZER = "organizer"
REVIEWER = "reviewer"
MANAGER = "manager"

# Which messages each transition sends, in priority order: someone who is both an
# organizer and a reviewer of a proposal gets only the organizer's message.
TRANSITION_MESSAGES = {
    "submit": [(Kind.SUBMITTED, ORGANIZER), (Kind.SUBMITTED, REVIEWER)],
    "complete_review": [(Kind.REVIEWED, ORGANIZER), (Kind.REVIEWED, MANAGER)],
    "request_changes": [(Kind.CHANGES_REQUESTED, ORGANIZER)],
    "resubmit": [(Kind.RESUBMITTED, REVIEWER)],
    "approve": [(Kind.APPROVED, ORGANIZER), (Kind.APPROVED, REVIEWER)],
    "decline": [(Kind.DECLINED, ORGANIZER)],
    "withdraw": [(Kind.WITHDRAWN, REVIEWER)],
}

SUBJECTS = {
    (Kind.SUBMITTED, ORGANIZER): "We received your proposal {reference}",
    (Kind.SUBMITTED, REVIEWER): "New proposal to review: {reference} {name}",
    (Kind.REVIEWED, ORGANIZER): "Your proposal {reference} has been reviewed",
    (Kind.REVIEWED, MANAGER): "Ready for a decision: {reference} {name}",
    (Kind.CHANGES_REQUESTED, ORGANIZER): "Changes requested for your proposal {reference}",
    (Kind.RESUBMITTED, REVIEWER): "Proposal resubmitted: {reference} {name}",
    (Kind.APPROVED, ORGANIZER): "Your proposal {reference} is approved",
    (Kind.APPROVED, REVIEWER): "Proposal approved: {reference} {name}",
    (Kind.DECLINED, ORGANIZER): "Decision on your proposal {reference}",
    (Kind.WITHDRAWN, REVIEWER): "Proposal withdrawn: {reference} {name}",
    (Kind.COMMENT_SHARED, ORGANIZER): "New message about your proposal {reference}",
    (Kind.ORGANIZER_REPLY, REVIEWER): "Organizers replied on {reference} {name}",
    (Kind.ACCESS_LINKS, ORGANIZER): "Links to your proposals",
}

# A private link in a rendered body: replaced by a fresh link when the email is sent.
LINK_PLACEHOLDER = "@@private-link:{proposal_id}:{page}@@"
LINK_PATTERN = re.compile(r"@@private-link:(\d+):(status|edit)@@")


# Who receives what


def _clean_addresses(addresses) -> list[str]:
    seen, result = set(), []
    for address in addresses:
        address = (address or "").strip().lower()
        if address and address not in seen:
            seen.add(address)
            result.append(address)
    return result


def organizer_addresses(proposal) -> list[str]:
    return _clean_addresses(o.email for o in proposal.organizers.all())


def _group_addresses(group: str) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=group).order_by("pk")
    return _clean_addresses(users.values_list("email", flat=True))


def reviewer_addresses() -> list[str]:
    """Active members of the Reviewers group. Program managers who want every new proposal
    by email are added to that group too; the role alone sends them only what they decide."""
    return _group_addresses(REVIEWERS_GROUP)


def manager_addresses() -> list[str]:
    return _group_addresses(PROGRAM_MANAGERS_GROUP)


def participant_addresses(proposal) -> list[str]:
    """Active staff who took part: wrote a review, a comment, or a request for changes (a
    message to the organizers, so its author wants to see the answer)."""
    took_part = (
        Q(
            pk__in=ProposalTransition.objects.filter(
                proposal=proposal, transition="request_changes"
            ).values("actor")
        )
        | Q(pk__in=Review.objects.filter(proposal=proposal).values("reviewer"))
        | Q(pk__in=Comment.objects.filter(proposal=proposal).values("author"))
    )
    # Only people who are still staff: someone whose role was removed gets nothing more.
    users = (
        get_user_model()
        .objects.filter(took_part, is_active=True)
        .filter(
            Q(groups__name__in=(REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP)) | Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )
    return _clean_addresses(users.values_list("email", flat=True))


def _addresses_for(audience: str, proposal, *, participants_only: bool = False) -> list[str]:
    if audience == ORGANIZER:
        return organizer_addresses(proposal)
    if audience == MANAGER:
        return manager_addresses()
    if participants_only:
        return participant_addresses(proposal)
    return reviewer_addresses()


# Rendering


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def review_url(proposal) -> str:
    return absolute(f"/reviews/{proposal.reference}/")


def group_url(proposal) -> str:
    """The page of the group listed for an approved proposal (the directory if it has
    none). Its slug never changes, so the link keeps working after staff edits."""
    meetup = getattr(proposal, "meetup", None)  # the reverse one-to-one, set on approve
    return absolute(meetup.get_absolute_url() if meetup else reverse("meetups:directory"))


def _context(*, proposal, extra: dict) -> dict:
    context = {
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
    }
    if proposal is not None:
        context.update(
            reference=proposal.reference,
            name=proposal.name,
            status_link=LINK_PLACEHOLDER.format(proposal_id=proposal.pk, page="status"),
            edit_link=LINK_PLACEHOLDER.format(proposal_id=proposal.pk, page="edit"),
            review_link=review_url(proposal),
        )
    context.update(extra)
    return context


def render_message(*, kind: str, audience: str, proposal, extra: dict) -> tuple[str, str, str]:
    """Subject, text body and HTML body of one message."""
    context = _context(proposal=proposal, extra=extra)
    subject = SUBJECTS[(kind, audience)].format(
        reference=getattr(proposal, "reference", ""), name=getattr(proposal, "name", "")
    )
    subject = f"{settings.PROGRAM_NAME}: {subject}"
    context["subject"] = subject
    template = f"notifications/email/{kind}_{audience}"
    text = render_to_string(f"{template}.txt", context).strip() + "\n"
    html = render_to_string(f"{template}.html", context)
    # Subjects are one line; a proposal name cannot add headers.
    return " ".join(subject.split())[:300], text, html


# Recording (always inside the caller's transaction)


def _record(
    *,
    event_key: str,
    proposal,
    messages: list[tuple[str, str, list[str]]],
    extra: dict,
) -> list[Notification]:
    """One row per recipient for `messages` [(kind, audience, addresses)], the first message
    naming an address winning. Delivery is arranged for after commit."""
    rows, taken = [], set()
    for kind, audience, addresses in messages:
        addresses = [a for a in addresses if a not in taken]
        if not addresses:
            continue
        subject, text, html = render_message(
            kind=kind, audience=audience, proposal=proposal, extra=extra
        )
        for address in addresses:
            taken.add(address)
            rows.append(
                Notification(
                    event_key=event_key,
                    kind=kind,
                    proposal=proposal,
                    recipient=address,
                    audience=audience,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                )
            )
    if not rows:
        return []
    # ignore_conflicts keeps an event from ever yielding a second row for a recipient; the
    # rows are read back because bulk_create cannot return their ids then.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    saved = list(
        Notification.objects.filter(event_key=event_key, status=Status.PENDING).order_by("pk")
    )
    enqueue_after_commit([n.pk for n in saved])
    return saved


def record_transition(*, proposal, record) -> list[Notification]:
    """The emails for one state change (an intake.ProposalTransition `record`)."""
    name = record.transition
    if name == "withdraw" and record.from_state == "draft":
        return []  # reviewers never saw a draft, so its withdrawal is not news to them
    plan = TRANSITION_MESSAGES.get(name, [])
    messages = [
        (kind, audience, _addresses_for(audience, proposal, participants_only=name == "resubmit"))
        for kind, audience in plan
    ]
    extra = {"note": record.note}
    if name == "approve":
        extra["group_link"] = group_url(proposal)
    return _record(
        event_key=f"transition:{record.pk}",
        proposal=proposal,
        messages=messages,
        extra=extra,
    )


def record_comment(*, comment) -> list[Notification]:
    """The emails for a new comment (reviews.Comment): an organizers' reply goes to the staff
    who took part, a staff comment shared with the organizers goes to them, an internal
    comment to no one."""
    proposal = comment.proposal
    if comment.by_organizers:
        message = (Kind.ORGANIZER_REPLY, REVIEWER, participant_addresses(proposal))
    elif comment.is_shared:
        message = (Kind.COMMENT_SHARED, ORGANIZER, organizer_addresses(proposal))
    else:
        return []
    return _record(
        event_key=f"comment:{comment.pk}",
        proposal=proposal,
        messages=[message],
        extra={"comment": comment.body},
    )


def record_access_links(*, email: str, proposals) -> list[Notification]:
    """The "find my proposals" email: a fresh private link for each proposal. `proposals` are
    those naming `email` (intake.services selects them by it); each link is checked again
    when the email is sent, so only an organizer of the proposal gets a working one."""
    email = email.strip().lower()
    links = [(p, LINK_PLACEHOLDER.format(proposal_id=p.pk, page="status")) for p in proposals]
    if not links:
        return []
    return _record(
        event_key=f"access-links:{uuid.uuid4().hex}",
        proposal=None,
        messages=[(Kind.ACCESS_LINKS, ORGANIZER, [email])],
        extra={"links": links},
    )


# Delivery


def enqueue_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: enqueue(ids))


def enqueue(ids: list[int]) -> int:
    """Hand rows to the task queue; returns how many were handed over. A broker that does
    not answer is logged, not raised: the rows stay pending and the sweep sends them later,
    so the person whose action caused them never sees an error for it."""
    from .tasks import deliver

    handed = 0
    for pk in ids:
        try:
            deliver.apply_async((pk,))
        except Exception as exc:  # kombu raises several kinds; any means "not queued"
            logger.warning(
                "Could not queue %d notification(s) (%s: %s); the sweep will retry.",
                len(ids) - handed,
                exc.__class__.__name__,
                exc,
            )
            break  # the broker is down: do not wait for its timeout once per row
        handed += 1
    return handed


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


def _fill_links(body: str, notification: Notification, *, made: dict) -> str:
    """Replace link placeholders with fresh private links, only for proposals that name
    the recipient as an organizer (a placeholder typed into a proposal gives nothing)."""
    from intake.models import Proposal
    from intake.services import issue_access_link

    def replace(match):
        proposal_id, page = int(match.group(1)), match.group(2)
        if proposal_id not in made:
            proposal = Proposal.objects.filter(pk=proposal_id).first()
            if proposal is None or not proposal.has_organizer_email(notification.recipient):
                made[proposal_id] = None
            else:
                made[proposal_id] = issue_access_link(proposal=proposal)
        token = made[proposal_id]
        if token is None:
            return "(link not available)"
        name = "intake:edit" if page == "edit" else "intake:status"
        return absolute(reverse(name, kwargs={"token": token}))

    return LINK_PATTERN.sub(replace, body)


def build_email(notification: Notification) -> EmailMultiAlternatives:
    made: dict = {}
    text = _fill_links(notification.body_text, notification, made=made)
    html = _fill_links(notification.body_html, notification, made=made)
    text = fill_group_links(text, notification, made=made)
    html = fill_group_links(html, notification, made=made)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": _message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    return message


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
    what the backend raises; the connection is then closed."""
    now = time.monotonic()
    if _kept.backend is not None and (
        _kept.opened_with != _mail_settings() or now - _kept.used_at > MAIL_CONNECTION_IDLE_SECONDS
    ):
        close_mail_connection()
    reused = _kept.backend is not None
    try:
        if _kept.backend is None:
            backend = get_connection(fail_silently=False)
            backend.open()
            _kept.backend, _kept.opened_with = backend, _mail_settings()
        _kept.backend.send_messages([message])
    except smtplib.SMTPServerDisconnected:
        close_mail_connection()
        if not reused:
            raise
        send_message(message)  # on a new connection: a second drop is raised
        return
    except BaseException:
        close_mail_connection()
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
    pending = Notification.objects.filter(pk=notification.pk, status=Status.PENDING)
    try:
        send_message(build_email(notification))
    except (smtplib.SMTPException, OSError) as exc:
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
        return None
    except Exception as exc:
        # Not a delivery problem (a bug, a bad address): retrying would not help.
        logger.exception("Notification %s could not be sent", notification.pk)
        pending.update(status=Status.FAILED, last_error=_describe(exc))
        return None
    pending.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return None


def sweep(*, limit: int = 500) -> int:
    """Re-queue pending rows that have been due for a while (their task never reached the
    broker, or their worker died), and give up on rows whose attempts are used up. Runs
    every minute in Celery beat. Returns how many rows were queued."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS)
    Notification.objects.filter(
        status=Status.PENDING,
        next_attempt_at__lte=stale,
        attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS,
    ).update(
        status=Status.FAILED,
        last_error="The worker stopped during the last attempt, so this email may or may not "
        "have gone out. Resend it if the recipient did not get it.",
    )
    ids = list(
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=stale)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    # Due now, and not swept again for another interval while the queued task waits.
    Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(next_attempt_at=now)
    return enqueue(ids)


def resend(*, notification: Notification) -> bool:
    """Try a failed email again, with a fresh set of attempts. Returns False when the row
    is not failed (someone else resent it already)."""
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        if updated:
            enqueue_after_commit([notification.pk])
    return bool(updated)


def display_body(body: str) -> str:
    """A stored body as the outbox shows it: placeholders instead of private links."""
    body = GROUP_LINK_PATTERN.sub("[private link, made when the email is sent]", body)
    return LINK_PATTERN.sub("[private link, made when the email is sent]", body)


def status_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = dict(Notification.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value in Status.values}
