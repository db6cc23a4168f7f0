"""Reminder, warning and digest emails, and the beat tasks that make them.

Receivers (plain functions, connected in NotificationsConfig.ready()):
  - intake.reminders.reminder_due: a reminder was claimed (once per period) by intake or
    reviews; record its email to the organizers in the same transaction.
  - intake.reminders.draft_deleting: a draft is about to be deleted with its personal data.
    The outbox lets go of it: unsent emails about it are deleted; sent ones are kept as a
    count but blanked (no recipient, subject or body), since their address, the organizers'
    names and the group's answers are exactly what the deletion removes.

The staff's digests (the timed job send-digests, notifications.jobs; safe to run twice, or
twice at once): on DIGEST_WEEKDAY from DIGEST_HOUR, one digest per staff member per week; the
event key names the week and the person, and the outbox's unique (event, recipient) makes a
second run record nothing. The reminders themselves are claimed by the timed job
send-reminders (reviews.jobs).

Emails greet the organizer by name, carry the program's name and contact address, and a
private link (made when the email is sent) wherever they must act.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from intake.business_days import clock_text
from intake.models import ReminderKind
from reviews import digests as review_digests

from . import emails
from .erasure import blank
from .links import absolute, proposal_link
from .models import Kind, Notification, Status

logger = logging.getLogger(__name__)

# Which email each reminder sends to the organizers.
REMINDER_EMAILS = {
    ReminderKind.NUDGE: Kind.NUDGE,
    ReminderKind.STALE_WARNING: Kind.STALE_WARNING,
    ReminderKind.STALE_WITHDRAWN: Kind.STALE_WITHDRAWN,
    ReminderKind.DRAFT_REMINDER: Kind.DRAFT_REMINDER,
    ReminderKind.DRAFT_WARNING: Kind.DRAFT_WARNING,
    ReminderKind.ENDED_WARNING: Kind.ENDED_WARNING,
}


# Reminders to organizers


def record_reminder(sender, reminder, proposal, **kwargs) -> list[Notification]:
    kind = REMINDER_EMAILS.get(reminder.kind)
    if kind is None:
        return []
    context = {
        "reference": proposal.reference,
        "name": proposal.name,
        "status_link": proposal_link(proposal.pk, "status"),
        "edit_link": proposal_link(proposal.pk, "edit"),
        "action_on": reminder.action_on,
        "created_on": timezone.localdate(proposal.created_at),
        "nudge_days": settings.NUDGE_DAYS,
        "stale_days": settings.STALE_WITHDRAW_DAYS,
        "retention_days": settings.DRAFT_RETENTION_DAYS,
    }
    # Each organizer greeted by the name they gave (the first one giving an address).
    names = {}
    for organizer in proposal.organizers.all():
        names.setdefault(organizer.email.strip().lower(), organizer.name)
    return emails.record(
        event_key=f"reminder:{reminder.pk}",
        proposal=proposal,
        messages=emails.messages(kind, proposal=proposal),
        context=context,
        personal=lambda address: {"greeting_name": names.get(address, "")},
    )


def forget_draft(sender, proposal, **kwargs) -> None:
    """Let go of a draft being deleted, and of its organizers' personal data: rows about it
    (its reminders) and "find my proposals" emails that link to it."""
    about_it = Notification.objects.filter(
        Q(proposal=proposal) | Q(body_text__contains=proposal_link(proposal.pk, "")[:-2])
    )
    about_it.exclude(status=Status.SENT).delete()
    blank(
        about_it.filter(status=Status.SENT),
        subject="(erased: it was about a draft deleted with its personal data)",
    )


# Digests to staff


def _digest_rows(proposals, *, today) -> list[dict]:
    return [
        {
            "reference": p.reference,
            "name": p.name,
            "clock": clock_text(p.reply_due, today=today) if p.reply_due else "",
            "reply_due": p.reply_due,
            "link": absolute(p.staff_url()),
        }
        for p in proposals
    ]


def record_digest(*, digest, period: str, today) -> list[Notification]:
    user = digest.user
    return emails.record(
        event_key=f"digest:{period}:{user.pk}",
        messages=emails.messages(Kind.DIGEST, named=[user.email]),
        context={
            "greeting_name": user.get_full_name() or "",
            "to_review": _digest_rows(digest.to_review, today=today),
            "to_review_more": digest.to_review_more,
            "to_decide": _digest_rows(digest.to_decide, today=today),
            "to_decide_more": digest.to_decide_more,
            "queue_link": absolute(reverse("reviews:queue")) + "?mine=on&sort=due",
            "decide_link": absolute(reverse("reviews:queue")) + "?state=reviewed&sort=due",
            "settings_link": absolute(reverse("reviews:settings")),
        },
    )


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """The week's digests, if it is the day and hour for them. Returns how many were
    recorded by this run (none when another run already did)."""
    now = now or timezone.now()
    if not review_digests.is_digest_time(now):
        return 0
    period = review_digests.digest_period(now)
    today = timezone.localdate(now)
    already = set(
        Notification.objects.filter(event_key__startswith=f"digest:{period}:").values_list(
            "event_key", flat=True
        )
    )
    recorded = 0
    for digest in review_digests.digests(
        exclude_user_ids=[int(key.rsplit(":", 1)[1]) for key in already]
    ):
        with transaction.atomic():
            recorded += len(record_digest(digest=digest, period=period, today=today))
    return recorded
