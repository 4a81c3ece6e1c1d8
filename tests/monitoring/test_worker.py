"""The yearly export built by real Celery workers against Redis.

Two ``celery -A humas_portal worker`` processes (prefork, as in production)
consume a queue private to this test, pointed at this run's test database
and private files. The export is asked for through the page; the same task
is then sent three more times, as a redelivery or an impatient sweep would:
the job is built exactly once.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from humas_portal.celery import app
from humas_portal.core.audit import history_for
from humas_portal.monitoring import tasks
from humas_portal.monitoring.models import EvaluationExport, ExportStatus

from .factories import published

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKER_SETTINGS = """\
from humas_portal.test_settings import *  # noqa: F403

DATABASES["default"]["NAME"] = {database!r}  # noqa: F405
PRIVATE_MEDIA_ROOT = {private!r}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = {queue!r}
"""


def wait_for(condition, *, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout} s: {message}")


@pytest.fixture
def workers(tmp_path, settings):
    queue = f"test-monitoring-{os.environ.get('TEST_RUN_ID', 'local')}-{uuid.uuid4().hex[:10]}"
    package = tmp_path / "monitoring_worker_settings"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(
        WORKER_SETTINGS.format(
            database=connection.settings_dict["NAME"], private=str(settings.PRIVATE_MEDIA_ROOT), queue=queue
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "monitoring_worker_settings.settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(settings.BASE_DIR)]),
    }
    processes = []
    for number in range(2):
        log = tmp_path / f"worker-{number}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "humas_portal",
                "worker",
                "--queues",
                queue,
                "--hostname",
                f"{queue}-{number}@localhost",
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
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append((process, log))
    for process, log in processes:
        wait_for(
            lambda p=process, lg=log: p.poll() is not None or "ready." in lg.read_text(),
            timeout=60,
            message="a worker to start",
        )
        assert process.poll() is None, log.read_text()
    previous = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield processes
    finally:
        app.conf.update(previous)
        for process, _log in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, _log in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def test_export_is_built_once_by_real_workers(client, mon, org, workers):
    year = timezone.localtime(timezone.now(), org.pasuruan.tzinfo).year
    published(org.kua_bangil, timezone.now() - timedelta(hours=2))
    client.force_login(mon.admin_humas)
    response = client.post(reverse("monitoring:exports") + f"?kantor={org.pasuruan.pk}", {"tahun": str(year)})
    assert response.status_code == 302
    export = EvaluationExport.objects.get(office=org.pasuruan, year=year)
    for _ in range(3):
        tasks.build_evaluation_export.delay(export.pk)

    def finished():
        export.refresh_from_db()
        return export.status in (ExportStatus.DONE, ExportStatus.FAILED)

    wait_for(finished, timeout=90, message="the export to be built")
    logs = "\n".join(log.read_text() for _process, log in workers)
    assert export.status == ExportStatus.DONE, logs
    assert export.attempts == 1
    assert [e.action for e in history_for(export)].count("evaluation_export_done") == 1
    book = load_workbook(settings.PRIVATE_MEDIA_ROOT / export.workbook.name)
    months = {row[0]: row[1:] for row in book["Berita per bulan"].iter_rows(min_row=4, values_only=True)}
    assert months["Jumlah"][-1] == 1
    # The page now offers the files.
    state = client.get(reverse("monitoring:export_status", kwargs={"pk": export.pk})).json()
    assert state["done"] and state["downloads"]["pdf"]
