"""A fixed-window counter per key, in the shared "throttle" cache (every web worker sees it)."""

import hashlib
import time

from django.core.cache import caches


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ident: str, window: int) -> str:
    bucket = int(time.time() // window)
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{bucket}"


def count(scope: str, ident: str, *, window: int) -> int:
    return caches["throttle"].get(_key(scope, ident, window), 0)


def record(scope: str, ident: str, *, window: int) -> int:
    """Count one more event; returns the count in the current window."""
    cache = caches["throttle"]
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        return 1


def is_limited(scope: str, ident: str, *, limit: int, window: int) -> bool:
    return count(scope, ident, window=window) >= limit
