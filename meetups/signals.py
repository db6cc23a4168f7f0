"""What the meetups app announces. meetups sits below notifications, so it never calls it:
notifications connects receivers to these signals (notifications.apps) and records the
emails inside the sender's database transaction."""

from django.dispatch import Signal

# A row was appended to a group's history (meetups.MeetupEvent): a lifecycle change, a
# check-in notice or reminder, an edit, an organizer change, a handover, an invitation, a
# broken link. Sent inside the transaction that wrote it. Arguments: meetup, event.
meetup_event_recorded = Signal()

# Many such rows appended at once (meetups.lifecycle.record_many: the nightly pass, the link
# check), announced once so that receivers can do their work for all of them in bulk. Sent
# inside the transaction that wrote them. Arguments: events (each with its `meetup`).
meetup_events_recorded = Signal()

# Someone asked for their private links ("Find my proposal"): the groups whose contacts
# have this address. Arguments: email, meetups (a list, possibly empty).
group_links_requested = Signal()

# A member wrote to a group's organizers from its public page. notifications relays it
# through the outbox. Arguments: meetup, name, email (the Reply-To), message.
organizers_contacted = Signal()

# The nightly pass (meetups.nightly.run_pass) has finished: notifications sends program
# managers one summary of the groups whose state it changed that night. Sent after the pass's
# transactions, once per run (a second run the same night finds the summary sent). Arguments:
# day (the local date of the run), now.
nightly_pass_finished = Signal()

# A group without a proposal (an imported one): its people download and erase their data
# from the group's private page (meetups.erasure). Apps above add what they hold about
# `addresses` to `into` (group_people_requested), and let go of it inside the erasure
# (group_people_erasing).
group_people_requested = Signal()
group_people_erasing = Signal()
