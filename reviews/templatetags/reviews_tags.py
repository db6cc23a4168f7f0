from django import template

from intake.models import State
from reviews import reminders, timeline
from reviews.forms import ReplyForm

register = template.Library()


@register.simple_tag
def withdrawal_date(proposal):
    """The day a proposal waiting for changes is withdrawn if nobody answers (or None)."""
    if proposal.state != State.CHANGES_REQUESTED:
        return None
    return reminders.withdrawal_date(proposal)


@register.inclusion_tag("reviews/_organizer_messages.html", takes_context=True)
def organizer_messages(context, proposal, token):
    """The "Messages" section of the organizers' private page, with the reply form."""
    entries = timeline.organizer_messages(proposal=proposal)
    return {
        # Staff cannot see drafts, so a draft has no conversation yet.
        "show": bool(entries) or proposal.state != State.DRAFT,
        "entries": entries,
        "token": token,
        "can_reply": proposal.state in State.IN_CONVERSATION,
        # Staff write first only while the proposal is being considered.
        "staff_may_ask": proposal.state not in State.ENDED,
        "form": ReplyForm(),
        "csrf_token": context.get("csrf_token"),
    }
