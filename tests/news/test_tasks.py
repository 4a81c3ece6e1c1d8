"""Publishing by Celery: the task, the beat sweep, retries, and proof that
two workers, a retry or the sweep never publish an item twice.

Tasks run eagerly here (test settings); tests/news/test_worker.py runs the
same tasks in real workers. The concurrent tests use threads, each with its
own database connection, against committed rows (``transaction=True``).
"""

import threading
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from humas_portal.celery import app as celery_app
from humas_portal.core.audit import history_for
from humas_portal.core.workflow import ReviewAction, ReviewStatus
from news import counters, services, tasks
from news.models import NewsItem, NewsSubscription

from .factories import NewsItemFactory

WITA = ZoneInfo("Asia/Makassar")


def approved(people, org, **fields) -> NewsItem:
    """An item the Verifikator approved, to be published at once."""
    defaults = {
        "unit": org.kua_bangil,
        "author": people.kontributor,
        "status": ReviewStatus.APPROVED,
        "submitted_at": timezone.now(),
        "decided_at": timezone.now(),
        "decided_by": people.verifikator,
    }
    return NewsItemFactory(**{**defaults, **fields})


def submitted(people, org, **fields) -> NewsItem:
    return NewsItemFactory(
        unit=org.kua_bangil,
        author=people.kontributor,
        status=ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def subscribers(org):
    """A reader of KUA Bangil's news and a reader of everything."""
    now = timezone.now()
    return [
        NewsSubscription.objects.create(
            email="pembaca.bangil@contoh.id", unit=org.kua_bangil, token="token-bangil", confirmed_at=now
        ),
        NewsSubscription.objects.create(
            email="pembaca.semua@contoh.id", unit=None, token="token-semua", confirmed_at=now
        ),
    ]


def publish_entries(item) -> int:
    return history_for(item).filter(action=ReviewAction.PUBLISH).count()


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def recipients_of_notices(people, subscribers) -> list[str]:
    return [people.kontributor.email] + [s.email for s in subscribers]


# --- The task and the sweep -----------------------------------------------------


@pytest.mark.django_db
def test_the_task_publishes_once_and_a_second_run_changes_nothing(
    people, org, subscribers, django_capture_on_commit_callbacks
):
    item = approved(people, org)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.publish_news.delay(item.pk).get() is True
    item.refresh_from_db()
    first_published_at = item.published_at
    assert item.status == ReviewStatus.PUBLISHED
    assert first_published_at is not None
    assert item.search_vector is not None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.publish_news.delay(item.pk).get() is False
    assert callbacks == []
    item.refresh_from_db()
    assert item.published_at == first_published_at
    assert publish_entries(item) == 1
    for address in recipients_of_notices(people, subscribers):
        assert len(mails_to(address)) == 1, address
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_an_item_not_yet_due_or_taken_down_is_not_published_by_its_task(people, org):
    scheduled = approved(people, org, publish_at=timezone.now() + timedelta(hours=2))
    taken_down = approved(people, org, status=ReviewStatus.UNPUBLISHED)
    draft = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor)
    for item in (scheduled, taken_down, draft):
        assert tasks.publish_news.delay(item.pk).get() is False
        item.refresh_from_db()
        assert item.published_at is None
        assert publish_entries(item) == 0
    assert tasks.publish_news.delay(987_654).get() is False  # deleted meanwhile


@pytest.mark.django_db
def test_the_sweep_publishes_an_approved_item_whose_task_was_never_queued(
    people, org, django_capture_on_commit_callbacks
):
    """Approval commits, but the process dies before its on-commit hook
    queues the task: the item waits, approved, until the sweep comes by."""
    item = submitted(people, org)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.news_approve(item=item, actor=people.verifikator)
    assert callbacks, "approval queues publishing after commit"
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.publish_due_news.delay().get() == 1
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED
    assert publish_entries(item) == 1
    assert len(mails_to(people.kontributor.email)) == 1
    assert tasks.publish_due_news.delay().get() == 0


@pytest.mark.django_db
def test_approval_while_the_broker_is_down_is_kept_and_the_sweep_publishes(
    people, org, django_capture_on_commit_callbacks, caplog
):
    item = submitted(people, org)
    with mock.patch.object(tasks.publish_news, "delay", side_effect=BrokerError("Redis is down")):
        with django_capture_on_commit_callbacks(execute=True):
            services.news_approve(item=item, actor=people.verifikator)
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED
    assert "the sweep will publish it" in caplog.text

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.publish_due_news.delay().get() == 1
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED


@pytest.mark.django_db
def test_a_scheduled_item_is_published_by_the_sweep_at_its_time_and_not_before(
    people, org, django_capture_on_commit_callbacks
):
    """The Verifikator in Makassar schedules 09:00 WITA; the eager task queued
    at approval runs at once, finds the item not due and leaves it."""
    publish_at = datetime(2025, 3, 10, 9, 0, tzinfo=WITA)
    item = submitted(people, org)
    with time_machine.travel(datetime(2025, 3, 10, 7, 30, tzinfo=WITA), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.news_approve(item=item, actor=people.verifikator, publish_at=publish_at)
        item.refresh_from_db()
        assert item.status == ReviewStatus.APPROVED
        assert item.is_scheduled

    with time_machine.travel(datetime(2025, 3, 10, 8, 59, 59, tzinfo=WITA), tick=False):
        assert tasks.publish_due_news.delay().get() == 0
        assert tasks.publish_news.delay(item.pk).get() is False
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED
    assert item.published_at is None

    sweep_time = datetime(2025, 3, 10, 9, 0, 20, tzinfo=WITA)
    with time_machine.travel(sweep_time, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.publish_due_news.delay().get() == 1
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED
    assert item.published_at == sweep_time
    assert publish_entries(item) == 1


@pytest.mark.django_db
def test_the_sweep_pages_through_every_due_item_and_leaves_the_rest(people, org, monkeypatch):
    monkeypatch.setattr(tasks, "SWEEP_BATCH_SIZE", 3)
    due = [approved(people, org) for _ in range(7)]
    due.append(approved(people, org, publish_at=timezone.now() - timedelta(minutes=5)))
    later = approved(people, org, publish_at=timezone.now() + timedelta(days=1))
    waiting = submitted(people, org)
    draft = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor)

    assert tasks.publish_due_news.delay().get() == 8
    assert NewsItem.objects.published().count() == 8
    assert set(NewsItem.objects.published()) == set(due)
    for item, status in ((later, "approved"), (waiting, "submitted"), (draft, "draft")):
        item.refresh_from_db()
        assert item.status == status


@pytest.mark.django_db
def test_one_broken_item_does_not_hold_back_the_sweep(people, org, caplog):
    """An item whose publication fails (here: its author's notice) fails
    the whole set; the sweep then publishes the others one by one and
    leaves it approved."""
    items = [approved(people, org) for _ in range(3)]
    broken = items[1]
    real_notify = services._notify_author

    def notify(item, **kwargs):
        if item.pk == broken.pk:
            raise ValueError("a bug in one item")
        return real_notify(item, **kwargs)

    with mock.patch.object(services, "_notify_author", side_effect=notify):
        assert tasks.publish_due_news.delay().get() == 2
    broken.refresh_from_db()
    assert broken.status == ReviewStatus.APPROVED
    assert publish_entries(broken) == 0
    assert "Publishing due news as a set failed" in caplog.text
    assert f"News item {broken.pk} could not be published" in caplog.text
    for item in (items[0], items[2]):
        item.refresh_from_db()
        assert item.status == ReviewStatus.PUBLISHED
        assert publish_entries(item) == 1
    # Once the bug is gone the next sweep publishes it.
    assert tasks.publish_due_news.delay().get() == 1


# --- Publishing as a set -----------------------------------------------------------


@pytest.mark.django_db
def test_the_first_task_of_items_due_together_publishes_them_all(
    people, org, subscribers, django_capture_on_commit_callbacks
):
    """A thousand items scheduled for one minute: the first of their tasks
    publishes every due item; the others find theirs published."""
    due = [approved(people, org, publish_at=timezone.now() - timedelta(seconds=1)) for _ in range(5)]
    later = approved(people, org, publish_at=timezone.now() + timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.publish_news.delay(due[2].pk).get() is True
    published_at = set(
        NewsItem.objects.filter(pk__in=[i.pk for i in due]).values_list("published_at", flat=True)
    )
    assert len(published_at) == 1 and None not in published_at, "published together, at one time"
    later.refresh_from_db()
    assert later.status == ReviewStatus.APPROVED

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert [tasks.publish_news.delay(item.pk).get() for item in due] == [False] * 5
    assert callbacks == []
    for item in due:
        item.refresh_from_db()
        assert item.status == ReviewStatus.PUBLISHED
        assert item.search_vector is not None
        assert publish_entries(item) == 1
    entry = history_for(due[0]).get(action=ReviewAction.PUBLISH)
    assert (entry.from_state, entry.to_state, entry.actor, entry.unit) == (
        "approved",
        "published",
        None,
        org.kua_bangil,
    )
    for address in recipients_of_notices(people, subscribers):
        assert len(mails_to(address)) == len(due), address
    # Each reader's notice names its own item and carries the reader's link.
    bangil_notices = mails_to("pembaca.bangil@contoh.id")
    assert sorted(m.body.splitlines()[0] for m in bangil_notices) == sorted(i.title for i in due)
    assert all("token-bangil" in m.body for m in bangil_notices)


@pytest.mark.django_db
def test_publishing_a_set_takes_the_same_queries_for_3_items_as_for_30(
    people, org, subscribers, django_assert_num_queries
):
    ContentType.objects.get_for_model(NewsItem)  # cached for the process after its first use
    for count in (3, 30):
        for _ in range(count):
            approved(people, org)
        # 1 claim (UPDATE … RETURNING the due ids, locked, skipping rows
        # another caller holds); 1 the items with unit and author; 1 the
        # audit rows (one INSERT); 1 the subscribers of their units; the
        # savepoint around them and its release (the test runs inside a
        # transaction). The search vectors are the database's (one UPDATE
        # fewer than before).
        with django_assert_num_queries(6):
            assert len(services.news_publish_due()) == count


# --- Retries ----------------------------------------------------------------------


@pytest.fixture
def eager_retries():
    """Let eager tasks run their retries in place (at once, without the
    backoff wait) instead of raising the first ``Retry``."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


@pytest.mark.django_db
def test_a_transient_database_error_is_retried_until_it_publishes(people, org, eager_retries):
    item = approved(people, org)
    real_publish = services.news_publish
    calls = []

    def flaky(*, item_id, now=None):
        calls.append(item_id)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return real_publish(item_id=item_id, now=now)

    with mock.patch.object(services, "news_publish", side_effect=flaky):
        result = tasks.publish_news.apply(args=[item.pk])
    assert result.get() is True
    assert calls == [item.pk] * 3
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED
    assert publish_entries(item) == 1


@pytest.mark.django_db
def test_retries_give_up_after_the_limit(people, org, eager_retries):
    item = approved(people, org)
    with mock.patch.object(
        services, "news_publish", side_effect=OperationalError("database is down")
    ) as stub:
        with pytest.raises(OperationalError):
            tasks.publish_news.apply(args=[item.pk]).get()
    assert stub.call_count == tasks.RETRY_POLICY["max_retries"] + 1
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED  # the sweep will try again


@pytest.mark.django_db
def test_a_bug_is_not_retried(people, org, eager_retries):
    item = approved(people, org)
    with mock.patch.object(services, "news_publish", side_effect=ValueError("bug")) as stub:
        with pytest.raises(ValueError, match="bug"):
            tasks.publish_news.apply(args=[item.pk]).get()
    assert stub.call_count == 1


# --- Concurrency --------------------------------------------------------------------


def run_task(task, *args):
    """Run ``task`` eagerly from a test thread and return its result. (The
    guard against waiting on a task from inside another is process-wide, and
    another thread is inside a task.)"""
    return task.delay(*args).get(disable_sync_subtasks=False)


def run_in_threads(functions) -> list:
    """Run each function in its own thread, all released at once; returns
    their results in order. Each thread has its own database connection,
    closed when it ends."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)
    errors: list = []

    def run(index, function):
        try:
            barrier.wait(timeout=30)
            results[index] = function()
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_reaching_the_claim_at_the_same_moment_publish_once(people, org, subscribers):
    """Both callers have found the item due and are about to claim it when
    they are released together: the most dangerous interleaving."""
    item = approved(people, org)
    real_claim = services._claim_due
    at_the_claim = threading.Barrier(2)

    def claim_together(*args, **kwargs):
        at_the_claim.wait(timeout=30)
        return real_claim(*args, **kwargs)

    with mock.patch.object(services, "_claim_due", side_effect=claim_together):
        results = run_in_threads(
            [
                lambda: run_task(tasks.publish_news, item.pk),
                lambda: services.news_publish(item_id=item.pk),
            ]
        )
    assert sorted(results) == [False, True]
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED
    assert NewsItem.objects.filter(pk=item.pk, published_at__isnull=False).count() == 1
    assert publish_entries(item) == 1
    for address in recipients_of_notices(people, subscribers):
        assert len(mails_to(address)) == 1, address


@pytest.mark.django_db(transaction=True)
def test_tasks_retries_and_sweeps_racing_over_many_items_publish_each_once(people, org, subscribers):
    items = [approved(people, org) for _ in range(6)]
    ids = [item.pk for item in items]
    real_claim = services._claim_due
    claims: list[list[NewsItem]] = []

    def recorded_claim(*args, **kwargs):
        claimed = real_claim(*args, **kwargs)
        claims.append(claimed)
        return claimed

    def each_task():
        return sum(run_task(tasks.publish_news, pk) for pk in ids)

    def each_task_backwards():
        return sum(run_task(tasks.publish_news, pk) for pk in reversed(ids))

    def sweep():
        return run_task(tasks.publish_due_news)

    with mock.patch.object(services, "_claim_due", side_effect=recorded_claim):
        run_in_threads([each_task, each_task_backwards, each_task, sweep, sweep])
    claimed = sorted(item.pk for claim in claims for item in claim)
    assert claimed == sorted(ids), "every item is claimed by exactly one caller"
    published_at = dict(NewsItem.objects.filter(pk__in=ids).values_list("pk", "published_at"))
    assert all(published_at.values())
    for item in items:
        item.refresh_from_db()
        assert item.status == ReviewStatus.PUBLISHED
        assert publish_entries(item) == 1
    for address in recipients_of_notices(people, subscribers):
        assert len(mails_to(address)) == len(items), address


@pytest.mark.django_db(transaction=True)
def test_callers_racing_over_more_items_than_a_set_share_them(people, org, subscribers, monkeypatch):
    """With more items due than one statement claims, concurrent callers
    skip the rows another holds and take the next ones."""
    monkeypatch.setattr(services, "PUBLISH_BATCH_SIZE", 4)
    monkeypatch.setattr(tasks, "SWEEP_BATCH_SIZE", 4)
    ids = [approved(people, org).pk for _ in range(15)]
    real_claim = services._claim_due
    claims: list[list[NewsItem]] = []

    def recorded_claim(*args, **kwargs):
        claimed = real_claim(*args, **kwargs)
        claims.append(claimed)
        return claimed

    with mock.patch.object(services, "_claim_due", side_effect=recorded_claim):
        run_in_threads(
            [
                lambda: run_task(tasks.publish_due_news),
                lambda: run_task(tasks.publish_news, ids[-1]),
                lambda: run_task(tasks.publish_due_news),
                lambda: run_task(tasks.publish_news, ids[0]),
            ]
        )
    assert all(len(claim) <= 4 for claim in claims), claims
    assert sorted(item.pk for claim in claims for item in claim) == sorted(ids)
    assert NewsItem.objects.filter(pk__in=ids, status=ReviewStatus.PUBLISHED).count() == len(ids)
    for pk in ids:
        assert publish_entries(NewsItem.objects.get(pk=pk)) == 1
    for address in recipients_of_notices(people, subscribers):
        assert len(mails_to(address)) == len(ids), address


# --- View counts -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_flush_task_moves_pending_reads_into_the_database(people, org):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, published=True)
    other = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, published=True)
    counters.flush_view_counts()  # start from an empty pending count
    for _ in range(3):
        counters.record_view(item.pk)
    counters.record_view(other.pk)
    assert tasks.flush_view_counts.delay().get() == 4
    item.refresh_from_db()
    other.refresh_from_db()
    assert (item.view_count, other.view_count) == (3, 1)
    assert tasks.flush_view_counts.delay().get() == 0
