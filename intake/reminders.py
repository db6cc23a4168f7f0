"""Time-driven care of proposals left alone: the once-per-period record every reminder
goes through, and the drafts' reminders and deletion.

Run by the timed job send-reminders (reviews.jobs) with the current time passed
in, so tests control the clock. Safe to run twice or twice at once: each reminder is a
`Reminder` row unique per (kind, proposal, period), claimed before anything is announced,
and each proposal is handled under its row lock, re-read.

This app never imports notifications: it announces with signals (intake.signals:
reminder_due, draft_deleting), and notifications (listening since its AppConfig.ready())
records the emails in the same transaction.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Proposal, Reminder, ReminderKind, State
from .signals import draft_deleting, reminder_due

logger = logging.getLogger(__name__)


# Warnings go out this long before a withdrawal or deletion, which never comes sooner.
WARNING_NOTICE = datetime.timedelta(days=7)


def period_for(idle_since: datetime.datetime) -> str:
    """The name of a stretch of silence: when it started, to the microsecond."""
    return idle_since.astimezone(datetime.UTC).isoformat()


def claim(*, kind: str, proposal: Proposal, period: str, action_on=None, now=None):
    """Record that `kind` was done for this proposal and period, and announce it; None when
    it was done already. Must run inside the caller's transaction."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                kind=kind,
                proposal=proposal,
                reference=proposal.reference,
                period=period,
                action_on=action_on,
                created_at=now or timezone.now(),
            )
    except IntegrityError:
        return None  # done already, by an earlier run or one running now
    reminder_due.send(sender=Reminder, reminder=reminder, proposal=proposal)
    return reminder


def claimed(*, kind: str, proposal: Proposal, period: str) -> Reminder | None:
    return Reminder.objects.filter(kind=kind, reference=proposal.reference, period=period).first()


def warned_long_enough(warning: Reminder | None, *, now) -> bool:
    """A withdrawal or deletion waits for a warning at least WARNING_NOTICE old, so nobody
    loses a proposal without a week's notice, even after the beat task was stopped."""
    return warning is not None and warning.created_at <= now - WARNING_NOTICE


def action_date(deadline: datetime.datetime, *, now) -> datetime.date:
    """The day a warned action will happen: its deadline, or a week from the warning."""
    return timezone.localdate(max(deadline, now + WARNING_NOTICE))


# Drafts


def run_draft_reminders(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind, warn or delete each draft whose organizers have not touched it for a while.
    Returns how many of each kind were done."""
    now = now or timezone.now()
    first = now - datetime.timedelta(days=min(settings.DRAFT_REMINDER_DAYS, _warn_after_days()))
    done = {ReminderKind.DRAFT_REMINDER: 0, ReminderKind.DRAFT_WARNING: 0, "deleted": 0}
    ids = Proposal.objects.filter(state=State.DRAFT, updated_at__lte=first).values_list(
        "pk", flat=True
    )
    for pk in list(ids):
        outcome = _care_for_draft(pk, now=now)
        if outcome:
            done[outcome] += 1
    return done


def _warn_after_days() -> int:
    return settings.DRAFT_RETENTION_DAYS - WARNING_NOTICE.days


def _care_for_draft(pk: int, *, now) -> str | None:
    with transaction.atomic():
        draft = Proposal.objects.select_for_update().filter(pk=pk, state=State.DRAFT).first()
        if draft is None:
            return None  # submitted, withdrawn or deleted since the list was read
        idle_since = draft.updated_at
        period = period_for(idle_since)
        delete_at = idle_since + datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS)
        warn_at = delete_at - WARNING_NOTICE
        remind_at = idle_since + datetime.timedelta(days=settings.DRAFT_REMINDER_DAYS)
        if now >= warn_at:
            warning = claimed(kind=ReminderKind.DRAFT_WARNING, proposal=draft, period=period)
            if now >= delete_at and warned_long_enough(warning, now=now):
                _delete_draft(draft, period=period, now=now)
                return "deleted"
            if warning is None and claim(
                kind=ReminderKind.DRAFT_WARNING,
                proposal=draft,
                period=period,
                action_on=action_date(delete_at, now=now),
                now=now,
            ):
                return ReminderKind.DRAFT_WARNING
            return None
        if now >= remind_at and claim(
            kind=ReminderKind.DRAFT_REMINDER,
            proposal=draft,
            period=period,
            action_on=timezone.localdate(delete_at),
            now=now,
        ):
            return ReminderKind.DRAFT_REMINDER
    return None


def _delete_draft(draft: Proposal, *, period: str, now) -> None:
    """Delete a draft with its organizers' names and addresses, answers and private links
    (cascaded). What is kept: a DRAFT_DELETED reminder naming only the reference, and the
    earlier reminders, now without their proposal. The outbox lets go first (signal)."""
    reference = draft.reference
    Reminder.objects.create(
        kind=ReminderKind.DRAFT_DELETED,
        proposal=draft,
        reference=reference,
        period=period,
        created_at=now,
    )
    draft_deleting.send(sender=Proposal, proposal=draft)
    draft.delete()
    logger.info(
        "Deleted draft %s after %s days untouched", reference, settings.DRAFT_RETENTION_DAYS
    )
