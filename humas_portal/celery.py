"""The Celery application shared by the worker, the beat scheduler and the web.

Configuration comes from Django settings (the ``CELERY_`` namespace), so the
broker is Redis when ``REDIS_URL`` is set and a file-system queue otherwise.
"""

import logging
import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "humas_portal.settings")

app = Celery("humas_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# ``runportal`` runs the worker and beat quietly (warnings only) and tells the
# person the portal is ready once both are: each leaves a file in the folder
# it names. Unset everywhere else.
READY_DIR_VARIABLE = "PORTAL_READY_DIR"


def _mark_ready(name: str) -> None:
    folder = os.environ.get(READY_DIR_VARIABLE)
    if folder:
        (Path(folder) / name).touch()


@worker_ready.connect
def _worker_is_consuming(**kwargs) -> None:
    _mark_ready("worker")


class QuietSweeps(logging.Filter):
    """Beat announces every task it sends at INFO: with sweeps every minute
    that buries whatever else the log says. Those lines show only when the
    beat logger is at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and str(record.msg).startswith("Scheduler: Sending due task"):
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


@beat_init.connect
def _beat_has_started(**kwargs) -> None:
    logging.getLogger("celery.beat").addFilter(QuietSweeps())
    _mark_ready("beat")
