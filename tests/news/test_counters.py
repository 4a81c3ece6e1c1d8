"""Read counts: counted in Redis per read, written to PostgreSQL per minute."""

import os
import threading
import time

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

    # Reads only: SELECTs, some of them run as prepared statements.
    reads = ("SELECT", "PREPARE hp_", "EXECUTE hp_")
    assert not [q for q in context.captured_queries if not q["sql"].startswith(reads)]
    assert all(" AS SELECT " in q["sql"] for q in context.captured_queries if q["sql"].startswith("PREPARE"))
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


# --- The web process's buffer of reads --------------------------------------------


@pytest.fixture
def buffered(settings):
    """Reads gathered by the process for a fifth of a second, as in
    production (where it is a second)."""
    settings.NEWS_VIEW_BUFFER_SECONDS = 0.2
    counters._local.forget()
    yield
    with counters._local.lock:
        if counters._local.timer is not None:
            counters._local.timer.cancel()
    counters._local.forget()


def in_redis(item):
    return int(counters._redis().hget(counters._pending_key(), str(item.pk)) or 0)


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_buffered_reads_reach_redis_in_one_round_trip(buffered, monkeypatch):
    item, other = NewsItemFactory(published=True), NewsItemFactory(published=True)
    pipelines = []
    real_pipeline = counters._redis().pipeline

    def counting_pipeline(*args, **kwargs):
        pipelines.append(1)
        return real_pipeline(*args, **kwargs)

    monkeypatch.setattr(counters._redis(), "pipeline", counting_pipeline)
    for _ in range(5):
        counters.record_view(item.pk)
    counters.record_view(other.pk)

    # Not sent yet, but the page already shows them.
    assert in_redis(item) == 0
    assert counters.pending_views(item.pk) == 5

    assert wait_until(lambda: in_redis(item) == 5)
    assert in_redis(other) == 1
    assert counters._local.held(item.pk) == 0
    assert counters.pending_views(item.pk) == 5
    assert pipelines == [1]


def test_reads_arriving_after_a_send_are_sent_by_the_next_timer(buffered):
    item = NewsItemFactory(published=True)
    counters.record_view(item.pk)
    assert wait_until(lambda: in_redis(item) == 1)
    counters.record_view(item.pk)
    counters.record_view(item.pk)
    assert wait_until(lambda: in_redis(item) == 3)


def test_no_read_is_lost_between_threads(buffered):
    item = NewsItemFactory(published=True)

    def read_many():
        for _ in range(500):
            counters.record_view(item.pk)

    threads = [threading.Thread(target=read_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert wait_until(lambda: in_redis(item) == 4000)
    assert counters._local.held(item.pk) == 0


def test_reads_are_kept_while_redis_does_not_answer(buffered, monkeypatch):
    item = NewsItemFactory(published=True)
    for _ in range(3):
        counters.record_view(item.pk)
    real_client = counters._redis()

    class Down:
        def pipeline(self, **kwargs):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(counters, "_redis", lambda: Down())
    assert counters.send_local_reads() == 0
    assert counters._local.held(item.pk) == 3
    counters.record_view(item.pk)

    monkeypatch.setattr(counters, "_redis", lambda: real_client)
    assert wait_until(lambda: in_redis(item) == 4)


def test_the_flush_applies_what_this_process_still_holds(buffered):
    item = NewsItemFactory(published=True, view_count=1)
    counters.record_view(item.pk)
    counters.record_view(item.pk)
    assert counters.flush_view_counts() == 2
    assert stored(item) == 3
    assert counters.pending_views(item.pk) == 0


def test_a_kept_page_counts_its_reads_through_the_buffer(buffered, client):
    item = NewsItemFactory(published=True)
    for _ in range(3):
        assert client.get(item.get_absolute_url(), headers={"user-agent": BROWSER}).status_code == 200
    assert counters.pending_views(item.pk) == 3
    assert wait_until(lambda: in_redis(item) == 3)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_does_not_inherit_its_parents_reads(buffered):
    item = NewsItemFactory(published=True)
    counters.record_view(item.pk)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it holds and leave at once
        held = counters._local.held(item.pk)
        os.write(write_end, str(held).encode())
        os._exit(0)
    os.close(write_end)
    child_held = int(os.read(read_end, 16))
    os.close(read_end)
    os.waitpid(pid, 0)

    assert child_held == 0
    assert wait_until(lambda: in_redis(item) == 1)
