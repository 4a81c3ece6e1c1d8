"""The Redis cache backend that keeps its client objects."""

import threading

from django.core.cache import cache, caches

from humas_portal.core.cache import RedisCache


def test_the_portal_uses_the_reusing_backend():
    assert isinstance(caches["default"], RedisCache)


def test_operations_share_one_client_object_per_connection_pool():
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads use the same pool


def test_values_round_trip_through_the_kept_client():
    cache.set("core:cache:test", {"satker": "KUA Bangil"}, 30)
    assert cache.get("core:cache:test") == {"satker": "KUA Bangil"}
    assert cache.get_many(["core:cache:test", "core:cache:missing"]) == {
        "core:cache:test": {"satker": "KUA Bangil"}
    }
    assert cache.add("core:cache:counter", 0, 30)
    assert cache.incr("core:cache:counter") == 1
    cache.delete_many(["core:cache:test", "core:cache:counter"])
    assert cache.get("core:cache:test") is None


def test_threads_share_the_client_safely():
    errors = []

    def work(n):
        try:
            for i in range(50):
                cache.set(f"core:cache:thread:{n}:{i}", i, 30)
                assert cache.get(f"core:cache:thread:{n}:{i}") == i
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    cache.delete_many([f"core:cache:thread:{n}:{i}" for n in range(6) for i in range(50)])
