"""The queue's reply clock, in words ("Due in 3 days", "Overdue by 2 days")."""

from django import template
from django.utils import timezone

from intake.business_days import clock_text, is_overdue
from intake.models import State

register = template.Library()

# Only these wait for staff; a proposal sent back for changes waits for its organizers.
CLOCK_RUNS = (State.SUBMITTED, State.REVIEWED)


@register.inclusion_tag("reviews/_clock.html")
def reply_clock(proposal, today=None):
    today = today or timezone.localdate()
    running = proposal.state in CLOCK_RUNS and proposal.reply_due is not None
    return {
        "due": proposal.reply_due,
        "running": running,
        "text": clock_text(proposal.reply_due, today=today) if running else "",
        "overdue": running and is_overdue(proposal.reply_due, today=today),
        "waiting_for_organizers": proposal.state == State.CHANGES_REQUESTED,
    }
