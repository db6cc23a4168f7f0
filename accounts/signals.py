"""Signals the sign-in code sends; upper layers (notifications) listen."""

from django.dispatch import Signal

# Failed sign-ins for one account passed the alert threshold in this throttle window (sent
# at most once per account and window). Arguments: username (the address typed, lower
# case), address (the client address of the latest failure), failures (how many in this
# window), window (seconds).
sign_in_throttled = Signal()
