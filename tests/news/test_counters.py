"""Read counts: counted in Redis per read, written to PostgreSQL per minute."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import counters
from news.models import NewsItem
from news.tasks import flush_view_counts

from .factories import NewsItemFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"


@pytest.fixture(autouse=True)
def _empty_pending_counts():
    redis = counters._redis()
    redis.delete(counters._pending_key())
    yield
    redis.delete(counters._pending_key())


def stored(item):
    return NewsItem.objects.values_list("view_count", flat=True).get(pk=item.pk)


def updates(context):
    return [q["sql"] for q in context.captured_queries if q["sql"].startswith("UPDATE")]


def test_reading_a_news_page_counts_without_writing_to_the_database(client):
    item = NewsItemFactory(published=True)

    with CaptureQueriesContext(connection) as context:
        for _ in range(3):
            assert client.get(item.get_absolute_url(), headers={"user-agent": BROWSER}).status_code == 200

    # Reads only.
    assert not [q for q in context.captured_queries if not q["sql"].startswith("SELECT")]
    assert stored(item) == 0
    assert counters.pending_views(item.pk) == 3


def test_the_page_shows_stored_plus_pending_reads(client):
    item = NewsItemFactory(published=True, view_count=10)
    response = client.get(item.get_absolute_url(), headers={"user-agent": BROWSER})
    assert "Dibaca 11 kali" in response.content.decode()


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "Baiduspider-render/2.0",
        "facebookexternalhit/1.1",
        "WhatsApp/2.24.6 A",
        "SomeCrawler/1.0",
    ],
)
def test_crawlers_and_link_previews_are_not_counted(client, agent):
    item = NewsItemFactory(published=True)
    assert client.get(item.get_absolute_url(), headers={"user-agent": agent}).status_code == 200
    assert counters.pending_views(item.pk) == 0


def test_flush_adds_pending_reads_in_one_update(django_assert_num_queries):
    a, b, c = (NewsItemFactory(published=True, view_count=5) for _ in range(3))
    for item, reads in ((a, 2), (b, 1), (c, 7)):
        for _ in range(reads):
            counters.record_view(item.pk)

    with CaptureQueriesContext(connection) as context:
        assert counters.flush_view_counts() == 10

    assert len(updates(context)) == 1
    assert (stored(a), stored(b), stored(c)) == (7, 6, 12)
    assert counters.pending_views(a.pk) == 0
    # Nothing is applied twice.
    assert counters.flush_view_counts() == 0
    assert stored(c) == 12


def test_flush_updates_in_batches(monkeypatch):
    monkeypatch.setattr(counters, "FLUSH_BATCH_SIZE", 2)
    items = [NewsItemFactory(published=True) for _ in range(5)]
    for item in items:
        counters.record_view(item.pk)

    with CaptureQueriesContext(connection) as context:
        counters.flush_view_counts()

    assert len(updates(context)) == 3
    assert [stored(i) for i in items] == [1] * 5


def test_reads_during_a_flush_wait_for_the_next_one(monkeypatch):
    item = NewsItemFactory(published=True)
    counters.record_view(item.pk)
    real_apply = counters._apply

    def apply_while_a_reader_arrives(counts):
        counters.record_view(item.pk)  # lands in a fresh pending hash
        real_apply(counts)

    monkeypatch.setattr(counters, "_apply", apply_while_a_reader_arrives)
    assert counters.flush_view_counts() == 1
    monkeypatch.setattr(counters, "_apply", real_apply)

    assert stored(item) == 1
    assert counters.pending_views(item.pk) == 1
    assert counters.flush_view_counts() == 1
    assert stored(item) == 2


def test_counts_are_kept_when_the_database_update_fails(monkeypatch):
    item = NewsItemFactory(published=True)
    for _ in range(4):
        counters.record_view(item.pk)

    def broken(counts):
        raise RuntimeError("database went away")

    monkeypatch.setattr(counters, "_apply", broken)
    with pytest.raises(RuntimeError):
        counters.flush_view_counts()
    monkeypatch.undo()

    assert counters.pending_views(item.pk) == 4
    assert counters.flush_view_counts() == 4
    assert stored(item) == 4


def test_reads_of_a_deleted_item_are_dropped_quietly():
    item = NewsItemFactory(published=True)
    counters.record_view(item.pk)
    item.delete()
    assert counters.flush_view_counts() == 1
    assert counters.pending_views(item.pk) == 0


def test_the_beat_task_flushes():
    item = NewsItemFactory(published=True)
    counters.record_view(item.pk)
    counters.record_view(item.pk)
    flush_view_counts.delay()
    assert stored(item) == 2


def test_without_redis_the_django_cache_keeps_the_counts(settings):
    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    item, other = NewsItemFactory(published=True), NewsItemFactory(published=True)
    for _ in range(3):
        counters.record_view(item.pk)
    counters.record_view(other.pk)
    assert counters.pending_views(item.pk) == 3

    assert counters.flush_view_counts() == 4

    assert (stored(item), stored(other)) == (3, 1)
    assert counters.pending_views(item.pk) == 0
    assert counters.flush_view_counts() == 0


def test_a_broken_counter_does_not_break_the_page(client, monkeypatch):
    item = NewsItemFactory(published=True)

    class Down:
        def hincrby(self, *args):
            raise ConnectionError("redis is down")

        def hget(self, *args):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(counters, "_redis", lambda: Down())
    assert client.get(item.get_absolute_url(), headers={"user-agent": BROWSER}).status_code == 200


def test_no_read_is_lost_between_threads():
    """The threads of a web worker count reads of one item at once."""
    item = NewsItemFactory(published=True)

    def read_many():
        for _ in range(100):
            counters.record_view(item.pk)

    threads = [threading.Thread(target=read_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert counters.pending_views(item.pk) == 800
