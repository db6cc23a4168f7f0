"""Ended proposals' personal data erased ENDED_RETENTION_DAYS after they ended (a declined
or withdrawn proposal from its decision; an approved one from its group's archiving; a
group still listed is never erased), warned a week before. Run by the hourly timed job
send-reminders (reviews.jobs) with the time passed in; safe to run
twice: the warning and the erasure are each a Reminder row claimed once per period."""

import datetime

from django.conf import settings
from django.db import transaction

from meetups.models import Lifecycle, Meetup

from . import erasure
from .models import Proposal, Reminder, ReminderKind, State
from .reminders import WARNING_NOTICE, action_date, claim, claimed, period_for, warned_long_enough


def _ended_since(proposal: Proposal) -> datetime.datetime | None:
    """When the proposal's data stopped being needed, or None while its group is listed."""
    if proposal.state == State.APPROVED:
        group = Meetup.objects.filter(proposal=proposal).first()
        if group is None or group.lifecycle != Lifecycle.ARCHIVED:
            return None
        return group.state_since
    return proposal.decided_at


def run_ended_retention(*, now: datetime.datetime) -> dict[str, int]:
    """Warn, then erase, each ended proposal past its retention. Returns the counts."""
    done = {ReminderKind.ENDED_WARNING: 0, "erased": 0}
    warn_after = datetime.timedelta(days=settings.ENDED_RETENTION_DAYS) - WARNING_NOTICE
    erased = Reminder.objects.filter(kind=ReminderKind.ENDED_ERASED).values("reference")
    ids = (
        Proposal.objects.filter(state__in=State.ENDED, decided_at__lte=now - warn_after)
        .exclude(reference__in=erased)
        .values_list("pk", flat=True)
    )
    for pk in list(ids):
        outcome = _care_for_ended(pk, now=now)
        if outcome:
            done[outcome] += 1
    return done


def _care_for_ended(pk: int, *, now) -> str | None:
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().filter(pk=pk).first()
        ended_since = proposal and _ended_since(proposal)
        if ended_since is None:
            return None
        period = period_for(ended_since)
        erase_at = ended_since + datetime.timedelta(days=settings.ENDED_RETENTION_DAYS)
        if now < erase_at - WARNING_NOTICE:
            return None
        warning = claimed(kind=ReminderKind.ENDED_WARNING, proposal=proposal, period=period)
        if now >= erase_at and warned_long_enough(warning, now=now):
            if claim(kind=ReminderKind.ENDED_ERASED, proposal=proposal, period=period, now=now):
                erasure.erase(proposal=proposal)
                return "erased"
            return None
        if warning is None and claim(
            kind=ReminderKind.ENDED_WARNING,
            proposal=proposal,
            period=period,
            action_on=action_date(erase_at, now=now),
            now=now,
        ):
            return ReminderKind.ENDED_WARNING
    return None
