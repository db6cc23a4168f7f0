"""Limits on the public forms that email someone their private links ("find my links",
"your data"): a few requests in a row for one address (a typo, a slow inbox), not a
mailbomb, and a bound per connection. Over a limit, the page says when to try again."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import ngettext

from common import throttle

LIMIT_PER_CONNECTION = 10  # requests an hour from one connection
LIMITS_PER_EMAIL = ((3, 10 * 60), (10, 24 * 60 * 60))  # (requests, seconds)


def allowance(*, kind: str, address: str, email: str) -> tuple[int, str]:
    """Count one request of this kind: (0, "") when it is within every limit, else the
    seconds until the limit that refused it lets requests through again, and whose limit
    it is ("connection" or "email"). A refused request uses up no other allowance."""
    if not throttle.take(kind, address, limit=LIMIT_PER_CONNECTION, window=3600):
        return throttle.seconds_left(3600), "connection"
    taken = []
    for limit, window in LIMITS_PER_EMAIL:
        if not throttle.take(f"{kind}-email-{window}", email, limit=limit, window=window):
            for earlier in taken:
                throttle.give_back(f"{kind}-email-{earlier}", email, window=earlier)
            return throttle.seconds_left(window), "email"
        taken.append(window)
    return 0, ""


def wait_words(seconds: int) -> str:
    minutes = -(-seconds // 60)
    if minutes < 120:
        return ngettext("in %(n)s minute", "in %(n)s minutes", minutes) % {"n": minutes}
    hours = minutes // 60
    return ngettext("in %(n)s hour", "in %(n)s hours", hours) % {"n": hours}


def retry(seconds: int) -> dict:
    """What a refused page says: the next whole minute once the limit lifts ("after
    10:10 a.m.") and how long that is."""
    retry_at = timezone.localtime(timezone.now() + timedelta(seconds=seconds + 59))
    return {"retry_at": retry_at.replace(second=0, microsecond=0), "retry_in": wait_words(seconds)}
