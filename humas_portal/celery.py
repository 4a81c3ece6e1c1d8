"""The Celery application shared by the worker, the beat scheduler and the web.

Configuration comes from Django settings (the ``CELERY_`` namespace), so the
broker is Redis when ``REDIS_URL`` is set and a file-system queue otherwise.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "humas_portal.settings")

app = Celery("humas_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
