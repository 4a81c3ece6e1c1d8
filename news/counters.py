"""How often each news item was read, without a database write per reader.

A read increments a pending counter: a field of one Redis hash (the Django
cache when no Redis is configured). A beat task
(``news.tasks.flush_view_counts``) adds the pending counts to
``NewsItem.view_count`` every minute with one UPDATE per batch of items. A
viral item read by thousands at once thus costs PostgreSQL one row update a
minute instead of thousands of contended ones.
"""

from __future__ import annotations

import functools
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, PositiveBigIntegerField, Value, When

from .models import NewsItem

logger = logging.getLogger(__name__)

# Crawlers fetch every page; counting them would make the numbers meaningless.
_BOT_PATTERN = re.compile(r"bot|crawler|spider|crawling|slurp|facebookexternalhit|^whatsapp/", re.IGNORECASE)

FLUSH_BATCH_SIZE = 500
# A flush that died after taking the counts leaves them under a temporary key;
# it expires rather than being applied twice by a later flush.
_FLUSHING_TTL_SECONDS = 24 * 3600

_CACHE_IDS_KEY = "news:views:ids"


def is_bot(user_agent: str | None) -> bool:
    return bool(user_agent) and bool(_BOT_PATTERN.search(user_agent))


def _key_prefix() -> str:
    # Reuses the cache's key prefix so parallel test runs (and several
    # portals on one Redis) keep their counts apart.
    return settings.CACHES["default"].get("KEY_PREFIX", "") or "humas"


def _pending_key() -> str:
    return f"{_key_prefix()}:news:views:pending"


@functools.lru_cache(maxsize=4)
def _client_for(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _redis():
    url = settings.REDIS_URL
    return _client_for(url) if url else None


def _cache_key(item_id: int) -> str:
    return f"news:views:{item_id}"


def record_view(item_id: int) -> None:
    """Count one read of the item. Never raises: a counter that is down must
    not take the news page down with it."""
    client = _redis()
    try:
        if client is None:
            _cache_record(item_id)
        else:
            client.hincrby(_pending_key(), str(item_id), 1)
    except Exception:  # noqa: BLE001 - losing one count beats a 500
        logger.warning("View of news item %s not counted", item_id, exc_info=True)


def _cache_record(item_id: int) -> None:
    # The file cache has no atomic increment or set. A lost race here only
    # delays a count: the per-item counter keeps growing and the item is
    # registered again on its next read.
    key = _cache_key(item_id)
    cache.add(key, 0, timeout=None)
    cache.incr(key)
    ids = cache.get(_CACHE_IDS_KEY) or set()
    if item_id not in ids:
        ids.add(item_id)
        cache.set(_CACHE_IDS_KEY, ids, timeout=None)


def pending_views(item_id: int) -> int:
    """Reads counted since the last flush (shown on top of the stored count)."""
    client = _redis()
    try:
        if client is not None:
            return int(client.hget(_pending_key(), str(item_id)) or 0)
        return int(cache.get(_cache_key(item_id)) or 0)
    except Exception:  # noqa: BLE001
        return 0


def flush_view_counts() -> int:
    """Add the pending counts to the stored ones; returns the reads applied.

    With Redis the pending hash is taken atomically with RENAME, so reads
    arriving during the flush go to a fresh hash and nothing is applied
    twice, even with two flushes running at once. If the database update
    fails, the counts are put back for the next flush.
    """
    client = _redis()
    if client is None:
        return _flush_from_cache()
    import redis

    taken = f"{_pending_key()}:flushing:{uuid.uuid4().hex}"
    try:
        client.rename(_pending_key(), taken)
    except redis.ResponseError:  # no such key: nobody read anything
        return 0
    client.expire(taken, _FLUSHING_TTL_SECONDS)
    counts = {int(k): int(v) for k, v in client.hgetall(taken).items() if int(v) > 0}
    try:
        _apply(counts)
    except Exception:
        pipe = client.pipeline()
        for item_id, n in counts.items():
            pipe.hincrby(_pending_key(), str(item_id), n)
        pipe.delete(taken)
        pipe.execute()
        raise
    client.delete(taken)
    return sum(counts.values())


def _flush_from_cache() -> int:
    ids = cache.get(_CACHE_IDS_KEY) or set()
    cache.delete(_CACHE_IDS_KEY)
    counts = {}
    for item_id in ids:
        key = _cache_key(item_id)
        n = int(cache.get(key) or 0)
        if n > 0:
            # Reads that arrive meanwhile stay in the counter for next time.
            cache.decr(key, n)
            counts[item_id] = n
    _apply(counts)
    return sum(counts.values())


def _apply(counts: dict[int, int]) -> None:
    """One UPDATE ... SET view_count = view_count + CASE id WHEN ... per batch."""
    ordered = sorted(counts.items())
    with transaction.atomic():
        for start in range(0, len(ordered), FLUSH_BATCH_SIZE):
            batch = ordered[start : start + FLUSH_BATCH_SIZE]
            increment = Case(
                *(When(pk=item_id, then=Value(n)) for item_id, n in batch),
                default=Value(0),
                output_field=PositiveBigIntegerField(),
            )
            NewsItem.objects.filter(pk__in=[item_id for item_id, _ in batch]).update(
                view_count=F("view_count") + increment
            )
