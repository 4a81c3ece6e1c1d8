"""Real Celery worker processes for tests that need them, against Redis.

``running_workers`` gives a test worker processes (``celery -A humas_portal
worker``, prefork as in production) that consume a queue of their own,
pointed at this run's test database through a settings module written for
the test, with eager execution turned off both there and in the test process,
which then sends its tasks through Redis. Each suite adds the settings its
tasks need (a mail folder, the fake platforms' addresses, a private files
folder) as ``extra_settings``.

The queue name carries ``TEST_RUN_ID`` and a random part, so parallel runs
and parallel tests never hand tasks to each other's workers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings as django_settings
from django.db import connection

from humas_portal.celery import app

STARTUP_TIMEOUT = 60
DEFAULT_TIMEOUT = 60

SETTINGS_PACKAGE = "test_worker_settings"

WORKER_SETTINGS = """\
from humas_portal.test_settings import *  # noqa: F403

DATABASES["default"]["NAME"] = {database!r}  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = {queue!r}
{extra}
"""


def wait_for(condition: Callable, *, message: str, timeout: float = DEFAULT_TIMEOUT, interval: float = 0.2):
    """Poll ``condition`` until it returns something true, and return that:
    the workers run in other processes, so there is nothing to wait on."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s: {message}")


class CeleryWorkers:
    """Worker processes consuming one queue private to the test.

    Everything the workers need (their settings package, their logs) lives
    in a folder of its own under ``directory``.
    """

    def __init__(self, directory: Path, *, name: str, extra_settings: Mapping[str, object] | None = None):
        self.queue = f"test-{name}-{os.environ.get('TEST_RUN_ID', 'local')}-{uuid.uuid4().hex[:10]}"
        self.directory = directory / "celery_workers"
        package = self.directory / SETTINGS_PACKAGE
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "settings.py").write_text(
            WORKER_SETTINGS.format(
                database=connection.settings_dict["NAME"],
                queue=self.queue,
                extra="\n".join(f"{key} = {value!r}" for key, value in (extra_settings or {}).items()),
            )
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": f"{SETTINGS_PACKAGE}.settings",
            "PYTHONPATH": os.pathsep.join([str(self.directory), str(django_settings.BASE_DIR)]),
        }
        self.processes: list[tuple[subprocess.Popen, Path, str]] = []

    def start(self, count: int = 1, concurrency: int = 2) -> list[str]:
        """Start ``count`` more workers and wait until each consumes; their
        host names."""
        started = []
        for number in range(len(self.processes), len(self.processes) + count):
            name = f"{self.queue}-{number}@localhost"
            log = self.directory / f"worker-{number}.log"
            with log.open("w") as output:
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
                    cwd=django_settings.BASE_DIR,
                    env=self.env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    # A process group of its own, so the pool processes can
                    # be killed along with the worker (see ``kill``).
                    start_new_session=True,
                )
            self.processes.append((process, log, name))
            started.append((process, log, name))
        for process, log, name in started:
            wait_for(
                lambda p=process, lg=log: p.poll() is not None or "ready." in lg.read_text(),
                timeout=STARTUP_TIMEOUT,
                message=f"worker {name} to start",
            )
            assert process.poll() is None, f"worker {name} died:\n{log.read_text()}"
        return [name for _process, _log, name in started]

    def logs(self) -> str:
        """Every worker's log so far, the first worker's first."""
        return "\n".join(log.read_text() for _process, log, _name in self.processes)

    def log_of(self, number: int) -> str:
        """The log of the ``number``-th worker started (``-1``: the last)."""
        return self.processes[number][1].read_text()

    @property
    def broker(self) -> redis.Redis:
        return redis.Redis.from_url(django_settings.CELERY_BROKER_URL)

    def idle(self) -> bool:
        """Nothing waiting in the queue and nothing running or reserved."""
        if self.broker.llen(self.queue):
            return False
        names = [name for _process, _log, name in self.processes]
        inspector = app.control.inspect(destination=names, timeout=1.0)
        active, reserved = inspector.active() or {}, inspector.reserved() or {}
        if set(active) != set(names):
            return False  # a worker did not answer: ask again
        return not any(active.values()) and not any(reserved.values())

    def kill(self) -> None:
        """SIGKILL every worker with its pool: no warm shutdown, no cleanup,
        as when a machine loses power."""
        for process, _log, _name in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the workers still running and forget the queue in Redis."""
        for process, _log, _name in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # warm shutdown: finish the running task
        for process, _log, _name in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.broker.delete(
            self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}"
        )


@contextmanager
def running_workers(
    directory: Path,
    settings,
    *,
    name: str,
    extra_settings: Mapping[str, object] | None = None,
    start: int = 0,
) -> Iterator[CeleryWorkers]:
    """Workers for the test (``start`` of them at once, more through
    ``start()``), with this process sending tasks to them through Redis
    instead of running them in place; stopped and cleaned up afterwards.

    ``settings`` is pytest-django's fixture, which restores the setting."""
    pool = CeleryWorkers(directory, name=name, extra_settings=extra_settings)
    previous = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = pool.queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        if start:
            pool.start(count=start)
        yield pool
    finally:
        app.conf.update(previous)
        pool.stop()
