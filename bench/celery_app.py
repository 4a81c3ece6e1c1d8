"""The portal's Celery application with the benchmark's own queue.

The benchmark's worker, beat and scheduling code all send to and consume
from ``BENCH_CELERY_QUEUE``, so a benchmark never takes tasks from (or
leaves tasks for) another worker that shares the Redis server.
"""

import os

from humas_portal.celery import app

queue = os.environ.get("BENCH_CELERY_QUEUE")
if queue:
    app.conf.task_default_queue = queue

__all__ = ["app"]
