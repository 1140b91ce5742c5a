"""Redis as the cache stops: pages keep rendering, the health check says so, and the cache is used again when it
returns. Against our own redis-server (stopped and started) and gunicorn with the container's configuration."""

import time
import urllib.request

import pytest

from civtech.cache import HEADER
from civtech.redis_cache import ForgivingRedisCache
from tests.factories import make_challenge

from .conftest import Proxy, Server, get, need_postgresql, server_env


@pytest.fixture
def redis_cache(own_redis):
    cache = ForgivingRedisCache(own_redis.url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}})
    cache.retry_after = 0.5
    return own_redis, cache


def test_the_cache_answers_as_an_empty_cache_while_redis_is_down(redis_cache):
    redis, cache = redis_cache
    cache.set("kept", "value")
    assert cache.get("kept") == "value"
    assert cache.add("n", 1) is True
    assert cache.incr("n") == 2

    redis.stop()
    started = time.monotonic()
    assert cache.get("kept") is None
    assert cache.get("kept", "fallback") == "fallback"
    cache.set("kept", "other")  # does not raise
    assert cache.add("fresh", 1) is False  # nothing was stored
    assert cache.get_many(["kept", "n"]) == {}
    assert cache.has_key("kept") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys that were not stored
    assert cache.delete("kept") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("n")
    assert time.monotonic() - started < 2, "calls while Redis is down must not wait"

    redis.start()  # empty: it keeps nothing on disk
    time.sleep(cache.retry_after)  # the process leaves Redis alone for retry_after after a failure
    cache.set("kept", "back")
    assert cache.get("kept") == "back"


def test_a_redis_that_refuses_writes_is_a_cache_that_stores_nothing(redis_cache):
    """A replica during a failover (or a full Redis with `noeviction`) answers writes with an error: the cache stores
    nothing and says so, rather than failing the page ({% cache %} fragments call set with no guard of their own)."""
    import redis as redis_client

    redis, cache = redis_cache
    cache.set("kept", "value")
    server = redis_client.Redis.from_url(redis.url)
    server.replicaof("127.0.0.1", 1)  # a replica of nothing: read-only
    try:
        cache.set("kept", "other")  # does not raise
        assert cache.add("fresh", 1) is False
        assert cache.set_many({"a": 1}) == ["a"]
    finally:
        server.replicaof("NO", "ONE")
    time.sleep(cache.retry_after)
    cache.set("kept", "back")
    assert cache.get("kept") == "back"


def test_after_one_failure_the_process_leaves_redis_alone_until_retry_after(redis_cache):
    redis, cache = redis_cache
    cache.retry_after = 60
    redis.stop()
    assert cache.get("k") is None  # fails, and opens the 60 s pause
    redis.start()
    cache.set("k", "v")  # skipped: still inside the pause, so not stored
    assert cache.get("k") is None
    cache._skip_until = 0  # the pause is over
    cache.set("k", "v")
    assert cache.get("k") == "v"


def test_a_hung_redis_costs_one_socket_timeout_then_nothing():
    silent = Proxy(("127.0.0.1", 9))  # accepts connections and never answers
    silent.start(stalled=True)
    try:
        cache = ForgivingRedisCache(f"redis://127.0.0.1:{silent.port}/0", {"OPTIONS": {"socket_timeout": 0.5}})
        started = time.monotonic()
        assert cache.get("k", "fallback") == "fallback"
        assert 0.4 < time.monotonic() - started < 2  # waited for the socket timeout, no longer
        started = time.monotonic()
        for _ in range(100):
            cache.set("k", "v")
            assert cache.get("k") is None
        assert time.monotonic() - started < 0.5  # left alone after the failure
    finally:
        silent.cut()


def cache_header(url: str) -> str | None:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.headers.get(HEADER)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_render_while_the_cache_is_down_and_use_it_again_when_it_returns(own_redis):
    need_postgresql()
    make_challenge(title="Cached or not")
    server = Server(server_env(REDIS_URL=own_redis.url, PUBLIC_CACHE_SECONDS="60"))
    try:
        for _ in range(2):  # the first view may create site settings, which supersedes the copy it stored
            cache_header(server.url + "/challenges/")
        assert cache_header(server.url + "/challenges/") == "hit"

        own_redis.stop()
        for path in ("/", "/challenges/", "/accounts/login/"):
            status, body, seconds = get(server.url + path)
            assert status == 200, (path, body[:500])
            assert seconds < 3, f"{path} took {seconds:.1f}s without its cache"
        assert "Cached or not" in get(server.url + "/challenges/")[1]
        status, body, _ = get(server.url + "/healthz")
        assert status == 200
        assert '"status": "degraded"' in body and '"cache": {"status": "down"' in body

        own_redis.start()
        time.sleep(5.5)  # ForgivingRedisCache.retry_after
        cache_header(server.url + "/challenges/")
        assert cache_header(server.url + "/challenges/") == "hit"
        assert get(server.url + "/healthz")[1].startswith('{"status": "ok"')
    finally:
        server.stop()


def test_clearing_a_cache_with_a_key_prefix_leaves_other_prefixes_alone(own_redis):
    """Parallel test workers share one Redis database, each under its own KEY_PREFIX: one worker clearing its cache
    between tests must not flush another's rate limits and page versions (Django's clear() flushes the database)."""
    options = {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    mine = ForgivingRedisCache(own_redis.url, {**options, "KEY_PREFIX": "test-gw0"})
    theirs = ForgivingRedisCache(own_redis.url, {**options, "KEY_PREFIX": "test-gw1"})
    unprefixed = ForgivingRedisCache(own_redis.url, options)
    mine.set("rate", 1)
    theirs.set("rate", 2)
    unprefixed.set("shared", 3)

    assert mine.clear() is True
    assert mine.get("rate") is None
    assert theirs.get("rate") == 2
    assert unprefixed.get("shared") == 3
    assert mine.clear() is False  # nothing left of its own

    assert unprefixed.clear() is True  # no prefix: the whole database, as Django's cache does
    assert theirs.get("rate") is None
