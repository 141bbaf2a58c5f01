"""
The shared cache (Redis in production), degrading to each process's memory while Redis is away.

What the site keeps in the shared cache is worth having everywhere but never worth an error
page: the proof-of-work's used solutions, the CSP report limit, the mail job's retry marker.
With Django's own RedisCache an unreachable Redis raised on every call, so with proof of work
switched on every signature was a 500. `DegradingRedisCache` answers from a per-process
local-memory cache instead, for FALLBACK_SECONDS after a connection error before it tries Redis
again, so an outage costs each process one short timeout every few seconds rather than one per
request. Meanwhile what needs one shared cache is only as good as one process's memory: a
proof-of-work solution could be used once per process, a limit counted per process. That is the
degraded mode `/healthz` reports ("cache": "down").
"""

import logging
import time
from collections.abc import Iterable

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# After a connection error, the local memory answers for this long before Redis is tried again.
FALLBACK_SECONDS = 5.0
# Redis sits next to the app: an answer that takes longer than this is not coming.
SOCKET_CONNECT_TIMEOUT_SECONDS = 0.5
SOCKET_TIMEOUT_SECONDS = 0.5

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

Timeout = float | None | object  # seconds, None for ever, or DEFAULT_TIMEOUT
Version = int | None

# Per process, not per cache object: Django makes one cache object per thread, and every thread
# of a process should stop waiting on Redis as soon as one of them found it gone.
_unreachable_until: dict[str, float] = {}


class DegradingRedisCache(RedisCache):
    """Django's RedisCache, answering from this process's memory while Redis is unreachable."""

    def __init__(self, server: str | list[str], params: dict) -> None:
        params = {**params, "OPTIONS": dict(params.get("OPTIONS", {}))}
        params["OPTIONS"].setdefault("socket_connect_timeout", SOCKET_CONNECT_TIMEOUT_SECONDS)
        params["OPTIONS"].setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self._location = str(server)
        # One LocMemCache per name per process (Django keeps its store by name), so every
        # thread's cache object shares the same fallback memory.
        self._fallback = LocMemCache(
            f"candlelight-shared-cache-fallback:{self._location}",
            {key: value for key, value in params.items() if key != "OPTIONS"},
        )

    def is_degraded(self) -> bool:
        """True while this process answers from its own memory after a connection error."""
        return time.monotonic() < _unreachable_until.get(self._location, 0.0)

    def is_reachable(self) -> bool:
        """Ask Redis itself (the health check); skipped, False, while degraded."""
        if self.is_degraded():
            return False
        try:
            self._cache.get_client(None, write=False).ping()
        except UNREACHABLE as error:
            self._degrade(error)
            return False
        return True

    def _degrade(self, error: Exception) -> None:
        if not self.is_degraded():
            # The error's class only: its text names the server, which the logs do not need.
            logger.warning(
                "Shared cache unreachable (%s): this process uses its own memory for %.0f s",
                type(error).__name__,
                FALLBACK_SECONDS,
            )
        _unreachable_until[self._location] = time.monotonic() + FALLBACK_SECONDS

    def _call(self, name: str, *args: object, **kwargs: object) -> object:
        """Call RedisCache's method `name`, or the fallback's while Redis is unreachable."""
        if not self.is_degraded():
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                self._degrade(error)
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(
        self, key: str, value: object, timeout: Timeout = DEFAULT_TIMEOUT, version: Version = None
    ) -> bool:
        return self._call("add", key, value, timeout, version)

    def get(self, key: str, default: object = None, version: Version = None) -> object:
        return self._call("get", key, default, version)

    def set(
        self, key: str, value: object, timeout: Timeout = DEFAULT_TIMEOUT, version: Version = None
    ) -> None:
        return self._call("set", key, value, timeout, version)

    def touch(self, key: str, timeout: Timeout = DEFAULT_TIMEOUT, version: Version = None) -> bool:
        return self._call("touch", key, timeout, version)

    def delete(self, key: str, version: Version = None) -> bool:
        return self._call("delete", key, version)

    def get_many(self, keys: Iterable[str], version: Version = None) -> dict:
        return self._call("get_many", keys, version)

    def has_key(self, key: str, version: Version = None) -> bool:
        return self._call("has_key", key, version)

    def incr(self, key: str, delta: int = 1, version: Version = None) -> int:
        return self._call("incr", key, delta, version)

    def set_many(
        self, data: dict, timeout: Timeout = DEFAULT_TIMEOUT, version: Version = None
    ) -> list:
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys: Iterable[str], version: Version = None) -> None:
        return self._call("delete_many", keys, version)

    def clear(self) -> bool:
        return self._call("clear")
