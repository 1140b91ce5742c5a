"""Django's Redis cache, made optional: while Redis is unreachable the site serves without a cache instead of failing.

Every call that cannot reach Redis (or that Redis refuses to write) answers as an empty cache would (a miss,
nothing stored), and the process then leaves Redis alone for `retry_after` seconds, so an outage costs one failed
connection per process every few seconds rather than one per cache call. What that means for each user of the cache:
- the public page cache and Wagtail's lookups just miss (pages are rendered, a little slower);
- form rate limits and API throttles let requests through (they cannot count);
- `add` reports "not stored", so a TOTP code cannot be proved unused and second-factor sign-in is refused until
  Redis returns: replay protection fails closed, everything else fails open.
"""

import logging
import re
import time
from typing import cast

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

# Unreachable, or reachable but refusing writes (a replica during a failover, or full with `noeviction`): either way
# the cache cannot do its job, and pages that use it (the {% cache %} fragments among them) must not fail for that.
UNREACHABLE = (
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    redis_errors.ReadOnlyError,
    redis_errors.OutOfMemoryError,
)


class ForgivingRedisCache(RedisCache):
    retry_after = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._skip_until = 0.0

    def _attempt(self, fallback, method, *args):
        """`RedisCache.method(self, *args)`, or `fallback` when Redis cannot be reached."""
        if time.monotonic() < self._skip_until:
            return fallback
        try:
            return method(self, *args)
        except UNREACHABLE as exc:
            self._skip_until = time.monotonic() + self.retry_after
            logger.warning("Cache unavailable (%s); serving without it for %ss", exc, self.retry_after)
            return fallback

    def get(self, key, default=None, version=None):
        return self._attempt(default, RedisCache.get, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt({}, RedisCache.get_many, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(False, RedisCache.has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._attempt(None, RedisCache.set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(list(data), RedisCache.set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, RedisCache.add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(False, RedisCache.touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._attempt(missing, RedisCache.incr, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found")  # what Django's caches say for a missing key
        return value

    def delete(self, key, version=None):
        return self._attempt(False, RedisCache.delete, key, version)

    def delete_many(self, keys, version=None):
        self._attempt(None, RedisCache.delete_many, keys, version)

    def clear(self):
        return self._attempt(False, ForgivingRedisCache._clear)

    def _clear(self):
        """Django's RedisCache.clear() flushes the whole Redis database. A cache with a KEY_PREFIX shares that database
        with others (each parallel test worker has its own prefix), so it removes only the keys under its prefix."""
        if not self.key_prefix:
            return RedisCache.clear(self)
        client = self._cache.get_client(None, write=True)
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix) + ":*"
        keys = list(client.scan_iter(match=pattern, count=1000))
        # redis-py types its commands for the sync and async clients at once; this sync client's DEL answers a count
        deleted = sum(cast(int, client.delete(*keys[i : i + 1000])) for i in range(0, len(keys), 1000))
        return bool(deleted)
