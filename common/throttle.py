"""A fixed-window counter per key, in the shared "throttle" cache (every web worker sees it),
or in another cache named by `store` ("process_throttle": in each process's memory, no query,
for a limit that guards each process's time rather than a secret).

Counting and checking are one atomic step (`take`): under concurrency a limit of N lets at
most N events through, where "check, then count" let every simultaneous request pass."""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


def _trusted(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request) -> str:
    """The address the throttles count. X-Forwarded-For is believed only when the request
    came from a trusted proxy (DJANGO_TRUSTED_PROXIES): the client is the right-most entry
    that is not itself a trusted proxy, since each proxy appends what it saw and anything to
    its left may have been typed by the client."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    try:
        if not settings.TRUSTED_PROXIES or not _trusted(ipaddress.ip_address(remote)):
            return remote
    except ValueError:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([e.strip() for e in forwarded.split(",") if e.strip()]):
        try:
            address = ipaddress.ip_address(entry)
        except ValueError:
            return remote  # not written by a proxy we trust: fall back to what we know
        if not _trusted(address):
            return str(address)
    return remote


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(time.time() // window)
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{bucket}"


STORE = "throttle"


def count(scope: str, ident: str, *, window: int, store: str = STORE) -> int:
    return caches[store].get(_key(scope, ident, window), 0)


def _add_locked(cache: DatabaseCache, key: str, delta: int, timeout: int) -> int:
    """incr for the database cache, whose own incr is a read then a write: the row is
    locked (SELECT ... FOR UPDATE where the database has it) for the read and the write."""
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    with transaction.atomic(using=db):
        if connection.features.has_select_for_update:
            table = connection.ops.quote_name(cache._table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                    [cache.make_and_validate_key(key)],
                )
        value = max((cache.get(key) or 0) + delta, 0)
        cache.set(key, value, timeout=timeout)
    return value


def _add(scope: str, ident: str, *, window: int, delta: int, store: str = STORE) -> int:
    cache = caches[store]
    key = _key(scope, ident, window)
    timeout = window + 5
    if delta > 0 and cache.add(key, delta, timeout=timeout):  # atomic: an INSERT
        return delta
    if isinstance(cache, DatabaseCache):
        return _add_locked(cache, key, delta, timeout)
    try:
        return cache.incr(key, delta)  # atomic on Redis and memcached
    except ValueError:  # expired in between
        value = max(delta, 0)
        cache.set(key, value, timeout=timeout)
        return value


def record(scope: str, ident: str, *, window: int, store: str = STORE) -> int:
    """Count one more event; returns the count in the current window."""
    return _add(scope, ident, window=window, delta=1, store=store)


def take(scope: str, ident: str, *, limit: int, window: int, store: str = STORE) -> bool:
    """Count one event and say whether it is within the limit, in one atomic step."""
    return record(scope, ident, window=window, store=store) <= limit


def give_back(scope: str, ident: str, *, window: int) -> None:
    """Undo one `take` (the attempt turned out not to count, e.g. a right password)."""
    _add(scope, ident, window=window, delta=-1)


def is_limited(scope: str, ident: str, *, limit: int, window: int) -> bool:
    return count(scope, ident, window=window) >= limit


def seconds_left(window: int) -> int:
    """Seconds until the current fixed window ends (for Retry-After)."""
    return max(int(window - time.time() % window), 1)
