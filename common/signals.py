"""Signals of the bottom layer, for the apps above it to listen to."""

from django.dispatch import Signal

# A timed job ran to its end (common.jobs). Arguments: name (the job's), at (when it ended).
# notifications records it as the job's heartbeat, which /healthz and the outbox page read.
job_ran = Signal()
