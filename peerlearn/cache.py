"""A Redis cache that keeps the site up while Redis is down.

Pages, login rate limits (django-allauth) and API throttling (DRF) all use the cache. With
Django's ``RedisCache`` an unreachable Redis turns each of them into a 500. This backend answers
from a memory cache local to the process while Redis cannot be reached, logs the outage once,
and tries Redis again after ``RETRY_SECONDS``: cached figures are recomputed, and rate limits
keep counting per process instead of failing.

django-redis's ``IGNORE_EXCEPTIONS`` is not enough here: it answers every failed call with
``None``, so ``cache.add`` reports that a lock is held by someone else, and allauth's rate limit,
which takes such a lock, refuses every login while Redis is down.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
T = TypeVar("T")

# When each Redis server was last found unreachable; shared by the threads of a process.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, falling back to a per-process memory cache while Redis is down.

    Extra top-level parameter: ``RETRY_SECONDS`` (default 10), how long to serve from memory
    before trying Redis again. Give ``OPTIONS`` short ``socket_connect_timeout`` and
    ``socket_timeout`` values, so that a Redis that does not answer costs at most that long once
    per ``RETRY_SECONDS``.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._retry_seconds = float(params.get("RETRY_SECONDS", 10))
        self._fallback = LocMemCache(
            f"redis-fallback:{self._location}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                "OPTIONS": {"MAX_ENTRIES": 5000},
            },
        )

    @property
    def redis_is_down(self) -> bool:
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def _guard(self, redis_call: Callable[[], T], fallback_call: Callable[[], T]) -> T:
        if self.redis_is_down:
            return fallback_call()
        try:
            result = redis_call()
        except UNREACHABLE as error:
            with _lock:
                first = self._location not in _down_until  # not still down from before
                _down_until[self._location] = time.monotonic() + self._retry_seconds
            if first:
                logger.warning(
                    "Redis cache at %s is unreachable (%s): serving from a memory cache in this "
                    "process; rate limits count per process until Redis answers again.",
                    self._redacted_location(),
                    error,
                )
            return fallback_call()
        if self._location in _down_until:
            with _lock:
                if _down_until.pop(self._location, None) is not None:
                    logger.warning("Redis cache at %s answers again.", self._redacted_location())
        return result

    def _redacted_location(self) -> str:
        """The server address without a password."""
        scheme, _, rest = self._location.partition("://")
        return f"{scheme}://{rest.rpartition('@')[2]}" if rest else self._location

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self._fallback.add(key, value, timeout, version),
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self._fallback.get(key, default, version),
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guard(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self._fallback.set(key, value, timeout, version),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self._fallback.touch(key, timeout, version),
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self._fallback.delete(key, version),
        )

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._guard(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self._fallback.get_many(keys, version),
        )

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self._fallback.has_key(key, version),
        )

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._guard(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self._fallback.incr(key, delta, version),
        )

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self._fallback.set_many(data, timeout, version),
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._guard(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self._fallback.delete_many(keys, version),
        )

    def clear(self) -> None:
        self._fallback.clear()
        self._guard(lambda: super(ResilientRedisCache, self).clear(), lambda: None)
