"""The embedded default (SQLite) is shared by the web server, the worker and
beat: a transaction that has to wait for another's write waits, it does not
fail."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Reads, lets the other process read too, then writes: the pattern of a task
# that loads a row and records that it ran.
READ_THEN_WRITE = """
import time
import django
django.setup()
from django.db import connection, transaction
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger")
        time.sleep(0.5)
        cursor.execute("INSERT INTO ledger (note) VALUES ('ran')")
"""


def test_two_processes_writing_in_transactions_both_succeed(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    database = var / "humas_portal.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, note TEXT)")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="humas_portal.settings", VAR_DIR=str(var))
    writers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", READ_THEN_WRITE],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [writer.communicate(timeout=60)[1] for writer in writers]

    assert [writer.returncode for writer in writers] == [0, 0], errors
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM ledger").fetchone() == (2,)


SEND_A_TASK = """
import django
django.setup()
from humas_portal.celery import app
app.send_task("news.tasks.publish_due_news")
"""


def test_a_task_sent_on_a_fresh_embedded_setup_is_queued(tmp_path):
    # Any process may send a task before runportal ever ran (manage.py
    # seed_demo, runserver): the file-system queue's folders are made at start.
    var = tmp_path / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="humas_portal.settings", VAR_DIR=str(var))
    sent = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SEND_A_TASK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert sent.returncode == 0, sent.stderr
    queued = list((var / "celery-queue").iterdir())
    assert len(queued) == 1
    assert "publish_due_news" in queued[0].read_text()
