"""The cache on Redis, failing soft: while Redis is unreachable the cache behaves as an empty cache
that forgets what it is given, so pages keep working (docs/reliability.md, *Faults*).

Django's ``RedisCache`` raises on a connection error, and every page that touches the cache (the
sign-in pages through allauth's rate limits, the API throttle) would fail with it. Here a
connection error or time-out is logged once, the call returns what an empty cache returns, and
Redis is left alone for ``RETRY_AFTER`` seconds, so a Redis that hangs costs one time-out per
process now and then, not one per call. What degrades meanwhile: rate limits count nothing (they
let requests through), and a TOTP code's single use is not remembered.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
"""What Redis clients raise when the server is down, restarting or too slow (redis-py wraps most
socket errors in its own ``ConnectionError``; the built-in ones cover the rest)."""

_down_until: dict[tuple[str, ...], float] = {}
"""Per Redis location: until when (``time.monotonic()``) this process leaves it alone."""
_lock = threading.Lock()


class FailSoftRedisCache(RedisCache):
    RETRY_AFTER = 2.0
    """Seconds after a failed call during which no call goes to Redis."""

    def _down(self) -> bool:
        until = _down_until.get(tuple(self._servers))
        return until is not None and time.monotonic() < until

    def _call(self, method: str, fallback, *args, **kwargs):
        if self._down():
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except REDIS_UNREACHABLE as error:
            with _lock:
                first = tuple(self._servers) not in _down_until
                _down_until[tuple(self._servers)] = time.monotonic() + self.RETRY_AFTER
            if first:
                log.warning("cache: Redis unreachable (%s: %s); serving as an empty cache", type(error).__name__, error)
            return fallback
        if tuple(self._servers) in _down_until:
            with _lock:
                if _down_until.pop(tuple(self._servers), None) is not None:
                    log.warning("cache: Redis reachable again")
        return result

    # An unreachable Redis is an empty cache that accepts every write and keeps none. ``add``
    # succeeds (the key was absent): allauth's rate limits take a lock with ``add`` and would
    # refuse every sign-in if it failed.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
