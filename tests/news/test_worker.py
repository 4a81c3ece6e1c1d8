"""Publishing in real Celery workers against Redis.

Each test starts ``celery -A humas_portal worker`` processes (prefork, as in
production) on a queue of its own, pointed at this run's test database, with
a settings module written for the test that turns eager execution off and
writes emails to files so the test can count them. The test process sends
tasks through Redis with eager execution turned off for the test.
"""

import email
from datetime import timedelta

import pytest
from django.utils import timezone

from humas_portal.core.audit import history_for
from humas_portal.core.workflow import ReviewAction, ReviewStatus
from news import services, tasks
from news.models import NewsItem, NewsSubscription
from tests.celery_workers import running_workers, wait_for

from .factories import NewsItemFactory

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PUBLISH_TIMEOUT = 60


@pytest.fixture
def mail_dir(tmp_path):
    """Where the workers write the emails they send, one file per connection."""
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def workers(tmp_path, settings, mail_dir):
    with running_workers(
        tmp_path,
        settings,
        name="news",
        extra_settings={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        },
    ) as pool:
        yield pool


def sent_emails(mail_dir) -> list:
    """Every email the workers sent; the file backend writes a line of 79
    dashes after each message."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for part in path.read_text().split("-" * 79):
            if part.strip():
                messages.append(email.message_from_string(part.strip()))
    return messages


def publish_entries(item_id: int) -> int:
    return history_for(NewsItem.objects.get(pk=item_id)).filter(action=ReviewAction.PUBLISH).count()


def test_an_approved_item_is_published_by_a_real_worker(people, org, workers, mail_dir):
    workers.start(count=1)
    item = NewsItemFactory(
        unit=org.kua_bangil,
        author=people.kontributor,
        status=ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    services.news_approve(item=item, actor=people.verifikator)
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED, "the web process only queues the publishing"

    wait_for(
        lambda: NewsItem.objects.filter(pk=item.pk, status=ReviewStatus.PUBLISHED).exists(),
        timeout=PUBLISH_TIMEOUT,
        message=f"the worker to publish the item\n{workers.logs()}",
    )
    wait_for(workers.idle, timeout=PUBLISH_TIMEOUT, message="the worker to finish")
    item.refresh_from_db()
    assert item.published_at is not None
    assert publish_entries(item.pk) == 1
    assert "Task news.publish_news[" in workers.logs()
    notices = [m for m in sent_emails(mail_dir) if people.kontributor.email in m["To"]]
    assert len(notices) == 1, "the author hears once that the item is out"


def test_two_workers_racing_on_the_same_due_items_publish_each_once(people, org, workers, mail_dir):
    workers.start(count=2, concurrency=2)
    ids = [
        NewsItemFactory(
            unit=org.kua_bangil,
            author=people.kontributor,
            status=ReviewStatus.APPROVED,
            decided_at=timezone.now(),
            decided_by=people.verifikator,
        ).pk
        for _ in range(8)
    ]
    # Every item is queued three times (as after a redelivery and a retry)
    # and two sweeps run, spread over four worker processes.
    for round_ in range(3):
        for pk in ids if round_ % 2 == 0 else reversed(ids):
            tasks.publish_news.delay(pk)
        tasks.publish_due_news.delay()

    wait_for(
        lambda: NewsItem.objects.filter(pk__in=ids, status=ReviewStatus.PUBLISHED).count() == len(ids),
        timeout=PUBLISH_TIMEOUT,
        message=f"the workers to publish every item\n{workers.logs()}",
    )
    wait_for(workers.idle, timeout=PUBLISH_TIMEOUT, message="the workers to finish every task")

    for pk in ids:
        assert publish_entries(pk) == 1, pk
    assert NewsItem.objects.filter(pk__in=ids, published_at__isnull=False).count() == len(ids)
    notices = [m for m in sent_emails(mail_dir) if people.kontributor.email in m["To"]]
    assert len(notices) == len(ids), "one notice per item, not one per task"
    for number in (0, 1):
        assert "Task news.publish_news[" in workers.log_of(number), "both workers took part"
    assert "Traceback" not in workers.logs()


def test_items_due_together_are_published_as_sets_by_real_workers(people, org, workers, mail_dir):
    """Thirty items scheduled for the same moment, each with its task, and
    two sweeps, spread over four worker processes: the first callers claim
    the items as sets, every item is published once and every reader hears
    once of each."""
    workers.start(count=2, concurrency=2)
    now = timezone.now()
    NewsSubscription.objects.create(
        email="pembaca.semua@contoh.id", unit=None, token="token-semua", confirmed_at=now
    )
    ids = [
        NewsItemFactory(
            unit=org.kua_bangil,
            author=people.kontributor,
            status=ReviewStatus.APPROVED,
            decided_at=now,
            decided_by=people.verifikator,
            publish_at=now - timedelta(seconds=1),
        ).pk
        for _ in range(30)
    ]
    for pk in ids:
        tasks.publish_news.delay(pk)
    tasks.publish_due_news.delay()
    tasks.publish_due_news.delay()

    wait_for(
        lambda: NewsItem.objects.filter(pk__in=ids, status=ReviewStatus.PUBLISHED).count() == len(ids),
        timeout=PUBLISH_TIMEOUT,
        message=f"the workers to publish every item\n{workers.logs()}",
    )
    wait_for(workers.idle, timeout=PUBLISH_TIMEOUT, message="the workers to finish every task")

    for pk in ids:
        assert publish_entries(pk) == 1, pk
    published_at = set(NewsItem.objects.filter(pk__in=ids).values_list("published_at", flat=True))
    assert len(published_at) < len(ids), "claimed as sets, not one task per item"
    emails = sent_emails(mail_dir)
    for address in (people.kontributor.email, "pembaca.semua@contoh.id"):
        notices = [m for m in emails if address in m["To"]]
        assert len(notices) == len(ids), address
    assert "Traceback" not in workers.logs()
