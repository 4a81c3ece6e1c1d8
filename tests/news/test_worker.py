"""Publishing in real Celery workers against Redis.

Each test starts ``celery -A humas_portal worker`` processes (prefork, as in
production) on a queue of its own, pointed at this run's test database, with
a settings module written for the test that turns eager execution off and
writes emails to files so the test can count them. The test process sends
tasks through Redis with eager execution turned off for the test.
"""

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from humas_portal.celery import app
from humas_portal.core.audit import history_for
from humas_portal.core.workflow import ReviewAction, ReviewStatus
from news import services, tasks
from news.models import NewsItem

from .factories import NewsItemFactory

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

STARTUP_TIMEOUT = 60
PUBLISH_TIMEOUT = 60

WORKER_SETTINGS = """\
from humas_portal.test_settings import *  # noqa: F403

DATABASES["default"]["NAME"] = {database!r}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = {queue!r}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = {mail_dir!r}
"""


def wait_for(condition, *, timeout: float, message: str, interval: float = 0.2):
    """Poll ``condition`` until it returns something true or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s: {message}")


class Workers:
    """Real worker processes consuming one queue private to the test."""

    def __init__(self, tmp_path: Path):
        self.queue = f"test-news-{os.environ.get('TEST_RUN_ID', 'local')}-{uuid.uuid4().hex[:10]}"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        package = tmp_path / "settings_pkg"
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "worker_settings.py").write_text(
            WORKER_SETTINGS.format(
                database=connection.settings_dict["NAME"], queue=self.queue, mail_dir=str(self.mail_dir)
            )
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "settings_pkg.worker_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
        }
        self.tmp_path = tmp_path
        self.processes: list[tuple[subprocess.Popen, Path, str]] = []

    def start(self, count: int = 1, concurrency: int = 2) -> list[str]:
        names = []
        for number in range(len(self.processes), len(self.processes) + count):
            name = f"{self.queue}-{number}@localhost"
            log = self.tmp_path / f"worker-{number}.log"
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "humas_portal",
                    "worker",
                    "--queues",
                    self.queue,
                    "--hostname",
                    name,
                    "--pool",
                    "prefork",
                    "--concurrency",
                    str(concurrency),
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            self.processes.append((process, log, name))
            names.append(name)
        for process, log, name in self.processes[-count:]:
            wait_for(
                lambda p=process, lg=log: p.poll() is not None or "ready." in lg.read_text(),
                timeout=STARTUP_TIMEOUT,
                message=f"worker {name} to start",
            )
            assert process.poll() is None, f"worker {name} died:\n{log.read_text()}"
        return names

    def logs(self) -> str:
        return "\n".join(log.read_text() for _process, log, _name in self.processes)

    def log_of(self, number: int) -> str:
        return self.processes[number][1].read_text()

    def idle(self) -> bool:
        """Nothing waiting in the queue and nothing running or reserved."""
        if self.broker.llen(self.queue):
            return False
        names = [name for _p, _l, name in self.processes]
        inspector = app.control.inspect(destination=names, timeout=1.0)
        active, reserved = inspector.active() or {}, inspector.reserved() or {}
        if set(active) != set(names):
            return False  # a worker did not answer: ask again
        return not any(active.values()) and not any(reserved.values())

    @property
    def broker(self):
        return redis.Redis.from_url(settings.CELERY_BROKER_URL)

    def emails(self) -> list:
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for part in path.read_text().split("-" * 79):
                if part.strip():
                    messages.append(email.message_from_string(part.strip()))
        return messages

    def stop(self):
        for process, _log, _name in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # warm shutdown: finish the running task
        for process, _log, _name in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        broker = self.broker
        broker.delete(self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}")


@pytest.fixture
def workers(tmp_path, settings):
    """Worker processes for the test, with this process sending to them
    through Redis instead of running tasks in place."""
    pool = Workers(tmp_path)
    previous = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = pool.queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield pool
    finally:
        app.conf.update(previous)
        pool.stop()


def publish_entries(item_id: int) -> int:
    return history_for(NewsItem.objects.get(pk=item_id)).filter(action=ReviewAction.PUBLISH).count()


def test_an_approved_item_is_published_by_a_real_worker(people, org, workers):
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
    assert "Task news.tasks.publish_news[" in workers.logs()
    notices = [m for m in workers.emails() if people.kontributor.email in m["To"]]
    assert len(notices) == 1, "the author hears once that the item is out"


def test_two_workers_racing_on_the_same_due_items_publish_each_once(people, org, workers):
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
    notices = [m for m in workers.emails() if people.kontributor.email in m["To"]]
    assert len(notices) == len(ids), "one notice per item, not one per task"
    for number in (0, 1):
        assert "Task news.tasks.publish_news[" in workers.log_of(number), "both workers took part"
    assert "Traceback" not in workers.logs()
