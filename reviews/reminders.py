"""Nudges to organizers asked for changes, and the withdrawal of proposals whose organizers
never answer.

A proposal in changes_requested waits for its organizers. Their silence starts at the later
of the request (or their last edit: both save the proposal) and their last message to
staff; that is why this lives here, where messages are known, and not in intake. After
NUDGE_DAYS of silence they get one reminder; a week before STALE_WITHDRAW_DAYS a warning;
at STALE_WITHDRAW_DAYS (and never less than a week after the warning) the system withdraws
the proposal through intake's transition service, with the usual withdrawal emails. Each
step is recorded once per stretch of silence (intake.reminders.claim), so beat may run this
twice, or twice at once. `now` is passed in: tests control the clock.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from accounts.roles import Actor
from intake import reminders
from intake import services as intake_services
from intake.models import Proposal, ReminderKind, State
from intake.workflow import Transition

from .models import Comment


def idle_since(proposal: Proposal) -> datetime.datetime:
    """When the organizers last acted on a proposal waiting for their changes."""
    last_message = Comment.objects.filter(proposal=proposal, by_organizers=True).aggregate(
        last=Max("created_at")
    )["last"]
    return max(proposal.updated_at, last_message) if last_message else proposal.updated_at


def withdrawal_date(proposal: Proposal) -> datetime.date:
    """The day a proposal waiting for changes is withdrawn automatically if its organizers
    stay silent (neither resubmit, edit nor write) until then."""
    withdraw_at = idle_since(proposal) + datetime.timedelta(days=settings.STALE_WITHDRAW_DAYS)
    return timezone.localdate(withdraw_at)


def withdrawal_note(days: int) -> str:
    return (
        f"Withdrawn automatically: the organizers did not answer the request for changes "
        f"in {days} days."
    )


def run_change_request_reminders(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Nudge, warn or withdraw each proposal whose organizers have not answered a request
    for changes. Returns how many of each were done."""
    now = now or timezone.now()
    soonest = min(settings.NUDGE_DAYS, settings.STALE_WITHDRAW_DAYS - 7)
    since = now - datetime.timedelta(days=soonest)
    # Proposals whose latest organizer message (if any) is old enough too.
    recent_message = Comment.objects.filter(
        proposal=OuterRef("pk"), by_organizers=True, created_at__gt=since
    )
    ids = (
        Proposal.objects.filter(state=State.CHANGES_REQUESTED, updated_at__lte=since)
        .exclude(Exists(recent_message))
        .values_list("pk", flat=True)
    )
    done = {ReminderKind.NUDGE: 0, ReminderKind.STALE_WARNING: 0, "withdrawn": 0}
    for pk in list(ids):
        outcome = _care_for(pk, now=now)
        if outcome:
            done[outcome] += 1
    return done


def _care_for(pk: int, *, now) -> str | None:
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update()
            .filter(pk=pk, state=State.CHANGES_REQUESTED)
            .first()
        )
        if proposal is None:
            return None  # resubmitted or withdrawn since the list was read
        silent_since = idle_since(proposal)
        period = reminders.period_for(silent_since)
        withdraw_at = silent_since + datetime.timedelta(days=settings.STALE_WITHDRAW_DAYS)
        warn_at = withdraw_at - reminders.WARNING_NOTICE
        nudge_at = silent_since + datetime.timedelta(days=settings.NUDGE_DAYS)
        if now >= warn_at:
            warning = reminders.claimed(
                kind=ReminderKind.STALE_WARNING, proposal=proposal, period=period
            )
            if now >= withdraw_at and reminders.warned_long_enough(warning, now=now):
                withdrawn = intake_services.run_transition(
                    proposal=proposal,
                    name=Transition.WITHDRAW,
                    actor=Actor.automatic(),
                    note=withdrawal_note(settings.STALE_WITHDRAW_DAYS),
                    expected_state=State.CHANGES_REQUESTED,
                )
                reminders.claim(
                    kind=ReminderKind.STALE_WITHDRAWN, proposal=withdrawn, period=period, now=now
                )
                return "withdrawn"
            if warning is None and reminders.claim(
                kind=ReminderKind.STALE_WARNING,
                proposal=proposal,
                period=period,
                action_on=reminders.action_date(withdraw_at, now=now),
                now=now,
            ):
                return ReminderKind.STALE_WARNING
            return None
        if now >= nudge_at and reminders.claim(
            kind=ReminderKind.NUDGE,
            proposal=proposal,
            period=period,
            action_on=timezone.localdate(withdraw_at),
            now=now,
        ):
            return ReminderKind.NUDGE
    return None
