"""A member's message to a group's organizers (meetups.meetings.relay_message announces it):
one email to each organizer through the outbox, with the member's address as Reply-To. The
member never learns the organizers' addresses; the organizers learn the member's, as the
form says."""

import uuid

from django.conf import settings
from django.dispatch import receiver

from meetups.events import organizers_contacted

from .groups import organizer_addresses, organizer_names
from .models import Kind, Notification
from .recipients import ORGANIZER
from .recording import notification_row, save_rows
from .rendering import absolute, render_message


@receiver(organizers_contacted, dispatch_uid="notifications.group_messages.relay")
def relay(sender, *, meetup, name: str, email: str, message: str, **kwargs) -> list[Notification]:
    context = {
        "group_name": meetup.name,
        "sender_name": name,
        "sender_email": email,
        "message": message,
        "page_link": absolute(meetup.get_absolute_url()),
        "program_name": settings.PROGRAM_NAME,
    }
    names = organizer_names(meetup)
    event_key = f"group-message:{uuid.uuid4().hex}"
    rows = []
    for address in organizer_addresses(meetup):
        # One email each, greeting its organizer by the name they keep on the group's page.
        rendered = render_message(
            kind=Kind.GROUP_MESSAGE,
            audience=ORGANIZER,
            proposal=None,
            extra={**context, "greeting_name": names.get(address) or address.split("@")[0]},
        )
        row = notification_row(
            event_key=event_key,
            kind=Kind.GROUP_MESSAGE,
            proposal=None,
            recipient=address,
            audience=ORGANIZER,
            rendered=rendered,
        )
        row.reply_to = email
        rows.append(row)
    return save_rows(rows)
