"""What intake announces, for the layers above it (reviews, notifications) to act on without
intake importing them. Most are sent inside the database transaction of the change, with
`Signal.send`: a receiver's writes commit or roll back with it, and a receiver that raises
undoes the change."""

from django.dispatch import Signal

# A proposal changed state. Sent by the transition runner (intake.services.run_transition) after the audit record is written,
# with `proposal` (saved, locked) and `record` (the ProposalTransition).
proposal_transitioned = Signal()

# Someone asked for fresh private links by email. Sent by email_access_links with `email`
# (as typed) and `proposals` (those naming it, never empty).
access_links_requested = Signal()

# A proposal was first saved, as a draft. Sent by create_draft with `proposal`, so its
# organizers get the private link to come back to it without copying it.
draft_started = Signal()

# Someone warned of an unnamed similar proposal asked staff to pass their details on. Sent
# by introductions.ask_introduction with `request` (the IntroductionRequest saved).
introduction_requested = Signal()

# A reminder or warning was just claimed (intake.reminders, or reviews'), with `reminder` and
# `proposal`: notifications records its email in the same transaction.
reminder_due = Signal()

# A draft is about to be deleted, with `proposal`: whatever refers to it (the outbox) must
# let go of it and of its organizers' personal data now.
draft_deleting = Signal()

# Sent inside an erasure's transaction (intake.erasure) with `proposal` and `addresses`.
personal_data_erasing = Signal()

# Sent by intake.erasure.download_data: apps above add what they hold (`into`: the dict).
personal_data_requested = Signal()

# Sent inside the erasure's transaction once it is done, with `proposal` (its reference and
# erased_at) and `addresses` (the organizers' that were erased): notifications tells them.
personal_data_erased = Signal()

# Someone asked for their data link and the address is named somewhere (intake.my_data):
# sent with `email` inside a transaction; notifications records the email.
my_data_link_requested = Signal()
