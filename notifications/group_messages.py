"""A member's message to a group's organizers (meetups.meetings.relay_message announces it):
one email to each organizer through the outbox, with the member's address as Reply-To. The
member never learns the organizers' addresses; the organizers learn the member's, as the
form says."""

import uuid

from . import emails
from .links import absolute
from .models import Kind, Notification
from .recipients import AddressBook


def relay(sender, *, meetup, name: str, email: str, message: str, **kwargs) -> list[Notification]:
    book = AddressBook()
    names = dict(book.people(meetup))
    return emails.record(
        event_key=f"group-message:{uuid.uuid4().hex}",
        messages=emails.messages(Kind.GROUP_MESSAGE, meetup=meetup, book=book),
        context={
            "group_name": meetup.name,
            "sender_name": name,
            "sender_email": email,
            "message": message,
            "page_link": absolute(meetup.get_absolute_url()),
        },
        # Each greeted by the name they keep on the group's page.
        personal=lambda address: {"greeting_name": names.get(address) or address.split("@")[0]},
        reply_to=email,
    )
