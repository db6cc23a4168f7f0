"""What intake announces, for the layers above it (notifications) to act on without intake
importing them. Both are sent inside the database transaction of the change, with
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
