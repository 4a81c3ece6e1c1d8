"""Publishing in real Celery worker processes against Redis and the fake
platforms.

Each test starts ``celery -A humas_portal worker`` processes on a queue of
its own, pointed at this run's test database and at the fake platform
server running in the test process. The test sends tasks through Redis.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from humas_portal.celery import app
from humas_portal.core.workflow import ReviewStatus
from socialmedia import tasks
from socialmedia.models import Delivery, DeliveryState, Platform, SocialPost
from socialmedia.publishing import deliveries_sweep

from .factories import SocialAccountFactory

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60

WORKER_SETTINGS = """\
from humas_portal.test_settings import *  # noqa: F403

DATABASES["default"]["NAME"] = {database!r}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = {queue!r}
{platforms}
"""


def wait_for(condition, *, message: str, timeout: float = TIMEOUT):
    """Poll until ``condition()`` holds: the workers run in other processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout} s: {message}")


class Workers:
    def __init__(self, tmp_path: Path, platform_settings: dict):
        self.queue = f"test-social-{os.environ.get('TEST_RUN_ID', 'local')}-{uuid.uuid4().hex[:10]}"
        package = tmp_path / "social_worker_settings"
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "worker_settings.py").write_text(
            WORKER_SETTINGS.format(
                database=connection.settings_dict["NAME"],
                queue=self.queue,
                platforms="\n".join(f"{name} = {value!r}" for name, value in platform_settings.items()),
            )
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "social_worker_settings.worker_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
        }
        self.tmp_path = tmp_path
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self, count: int = 1) -> None:
        started = []
        for number in range(len(self.processes), len(self.processes) + count):
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
                    f"{self.queue}-{number}@localhost",
                    "--pool",
                    "prefork",
                    "--concurrency",
                    "2",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes.append((process, log))
            started.append((process, log))
        for process, log in started:
            wait_for(
                lambda p=process, lg=log: p.poll() is not None or "ready." in lg.read_text(),
                message="worker start",
            )
            assert process.poll() is None, log.read_text()

    def logs(self) -> str:
        return "\n".join(log.read_text() for _process, log in self.processes)

    def kill(self) -> None:
        """SIGKILL every worker process group: no warm shutdown, no cleanup,
        as when a machine loses power."""
        for process, _log in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def stop(self) -> None:
        for process, _log in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _log in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        broker.delete(self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}")


@pytest.fixture
def workers(tmp_path, settings, fake):
    pool = Workers(tmp_path, {**fake.settings(), "SOCIAL_READ_TIMEOUT": 10, "SITE_URL": settings.SITE_URL})
    previous = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = pool.queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield pool
    finally:
        app.conf.update(previous)
        pool.stop()


def test_duplicate_tasks_in_two_workers_post_each_pair_once(org, make_approved, workers, fake):
    workers.start(count=2)
    facebook = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK)
    x = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.X)
    # Approval queues each delivery once (on commit); a redelivered task, a
    # retry and the beat sweep add more of the same.
    post = make_approved([facebook, x])
    ids = list(post.deliveries.values_list("pk", flat=True))
    for _round in range(3):
        for delivery_id in ids:
            tasks.publish_delivery.delay(delivery_id)
        tasks.sweep_deliveries.delay()

    wait_for(
        lambda: Delivery.objects.filter(pk__in=ids, state=DeliveryState.PUBLISHED).count() == 2,
        message=f"both deliveries published\n{workers.logs()}",
    )
    # Give the remaining duplicates time to be consumed, then count.
    wait_for(
        lambda: workers.logs().count("socialmedia.tasks.publish_delivery[") >= 2 * (1 + 3) * 2,
        message=f"every duplicate task to run\n{workers.logs()}",
    )
    assert len(fake.calls_to("facebook", "create")) == 1
    assert len(fake.calls_to("x", "create")) == 1
    assert SocialPost.objects.get(pk=post.pk).status == ReviewStatus.PUBLISHED
    assert "Traceback" not in workers.logs()


def test_a_worker_killed_during_the_platform_call_does_not_post_twice(org, make_approved, workers, fake):
    workers.start(count=1)
    page = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK)
    # The platform takes its time; the worker dies while waiting for it.
    fake.fail("facebook", "create", "slow", delay=3)
    post = make_approved([page])
    delivery = post.deliveries.get()
    wait_for(
        lambda: fake.calls_to("facebook", "create"), message=f"the worker to call Facebook\n{workers.logs()}"
    )
    workers.kill()
    wait_for(lambda: fake.created("facebook"), message="Facebook to finish the post it received")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHING

    # A new worker comes up; the task it might be given again finds the
    # delivery claimed and leaves it.
    workers.start(count=1)
    tasks.publish_delivery.delay(delivery.pk)
    wait_for(
        lambda: "socialmedia.tasks.publish_delivery[" in workers.processes[-1][1].read_text(),
        message="the new worker to run the task",
    )
    # Past the lease, the sweep hands the delivery to the check, which finds
    # the post on the Page (run here, where the clock can be moved).
    app.conf.task_always_eager = True
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.platform_post_id == fake.created("facebook")[0]["id"]
    assert len(fake.calls_to("facebook", "create")) == 1
