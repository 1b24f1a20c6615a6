"""The cache on Redis, failing soft: while Redis is unreachable each process answers from a cache
of its own in memory, so pages keep working (docs/reliability.md, *Faults*).

Django's ``RedisCache`` raises on a connection error, and every page that touches the cache (the
sign-in pages through allauth's rate limits, the API throttle) would fail with it. Here a
connection error or time-out is logged once, the call goes to the process's local cache instead,
and Redis is left alone for ``RETRY_AFTER`` seconds, so a Redis that hangs costs one time-out per
process now and then, not one per call. What degrades meanwhile: rate limits and a TOTP code's
single use are counted per server process rather than for the whole platform, so with N
processes a guesser gets at most N times the limit. When Redis answers again the local cache is
emptied: what was written to it meanwhile is not carried over.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
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


LOCAL_MAX_ENTRIES = 10_000
"""Keys the local stand-in keeps per process (then it culls, as Django's ``LocMemCache`` does)."""


class FailSoftRedisCache(RedisCache):
    RETRY_AFTER = 2.0
    """Seconds after a failed call during which no call goes to Redis."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.local = LocMemCache(f"fail-soft:{server}", {
            "TIMEOUT": self.default_timeout, "KEY_PREFIX": self.key_prefix, "VERSION": self.version,
            "KEY_FUNCTION": self.key_func, "OPTIONS": {"MAX_ENTRIES": LOCAL_MAX_ENTRIES}})
        """The stand-in while Redis is unreachable; keys, versions and time-outs work as on Redis."""

    def _down(self) -> bool:
        until = _down_until.get(tuple(self._servers))
        return until is not None and time.monotonic() < until

    def _call(self, method: str, *args):
        if self._down():
            return getattr(self.local, method)(*args)
        try:
            result = getattr(super(), method)(*args)
        except REDIS_UNREACHABLE as error:
            with _lock:
                first = tuple(self._servers) not in _down_until
                _down_until[tuple(self._servers)] = time.monotonic() + self.RETRY_AFTER
            if first:
                log.warning("cache: Redis unreachable (%s: %s); each process uses a cache of its own meanwhile",
                            type(error).__name__, error)
            return getattr(self.local, method)(*args)
        if tuple(self._servers) in _down_until:
            with _lock:
                back = _down_until.pop(tuple(self._servers), None) is not None
            if back:
                self.local.clear()
                log.warning("cache: Redis reachable again")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
