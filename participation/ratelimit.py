"""Fixed-window counters in the cache, for the public feedback forms and password resets.

Each key names its window (`<prefix>:<window number>:<hash>`) and is created with its expiry in
the same command (`cache.add`, Redis `SET NX EX`), then incremented (`INCR` keeps the expiry). So
no bucket can live on without an expiry, and even one that did would never be read again: the
next window has another key. Buckets are hashed, so no address or email sits in the cache.

A cache that fails (Redis restarting, a network blip) counts nothing and limits nothing: a child
sending feedback must never get an error page because the limiter could not count."""

import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(prefix: str, bucket: str, window: int, now: float | None) -> str:
    number = int((time.time() if now is None else now) // window)
    return f"{prefix}:{number}:{hashlib.sha256(bucket.encode()).hexdigest()}"


def hit(prefix: str, bucket: str, *, window: int, now: float | None = None) -> int:
    """Count one in this window and return the count so far (0 if the cache failed)."""
    key = _key(prefix, bucket, window, now)
    try:
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: the window just turned
            cache.add(key, 1, timeout=window)
            return 1
    except Exception as error:  # whatever the cache client raises
        logger.warning("rate limit %s not counted: cache failed (%s)", prefix, type(error).__name__)
        return 0


def seen(prefix: str, bucket: str, *, window: int, now: float | None = None) -> int:
    """The count so far in this window, without counting (0 if the cache failed)."""
    try:
        return int(cache.get(_key(prefix, bucket, window, now)) or 0)
    except Exception as error:
        logger.warning("rate limit %s not read: cache failed (%s)", prefix, type(error).__name__)
        return 0
