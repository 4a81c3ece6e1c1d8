"""``/sehat/``: the state of what the portal stands on, for load balancers
and the people on call.

Each check is one cheap round trip (``SELECT 1``, a cache read, a broker
ping, a look at the storage folders, the age of the workers' heartbeat), so
the page can be polled every second; nothing in the answer is a secret (no
host, address or credential, only states and timings).

The answer is HTTP 200 while the web node can serve pages (the database
answers), 503 when it cannot. The cache, the broker and the workers being
down make the state ``degraded``, not ``down``: the public pages are read
from PostgreSQL and publishing catches up when they return, so a load
balancer must keep sending readers to the node.

Own code rather than django-health-check: its checks write a row, a cache
key and a file and send a Celery task on every poll, which a one-second
poll from each balancer cannot afford, and its worker check needs a worker
to answer within the request.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "core:worker-heartbeat"
# Beat sends the heartbeat task every 15 s ("core-heartbeat" in
# CELERY_BEAT_SCHEDULE); a heartbeat older than this means no worker (or no
# beat) is running.
HEARTBEAT_STALE_SECONDS = 60

OK = "ok"
DOWN = "down"
DEGRADED = "degraded"


def heartbeat_record() -> None:
    """Run by a worker (task ``core.heartbeat``): the time it last ran."""
    cache.set(HEARTBEAT_KEY, time.time(), HEARTBEAT_STALE_SECONDS * 10)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def _cache() -> str:
    cache.get("core:health-probe")
    return OK


def _broker() -> str:
    from humas_portal.celery import app

    url = app.conf.broker_url or ""
    if url.startswith("filesystem://"):
        options = app.conf.broker_transport_options or {}
        folder = options.get("data_folder_in", "")
        return OK if folder and os.access(folder, os.W_OK) else DOWN
    # A connection of the app's pool, kept between polls; a ping per poll.
    with app.pool.acquire(block=True, timeout=1) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
        client = getattr(conn.default_channel, "client", None)
        if client is not None and hasattr(client, "ping"):
            client.ping()
    return OK


def _writable(folder) -> bool:
    """Whether files can be written under ``folder``: it is writable, or it
    does not exist yet and its nearest existing parent is (the storage makes
    the folders it needs)."""
    path = os.path.abspath(folder)
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.path.isdir(path) and os.access(path, os.W_OK | os.X_OK)


def _storage() -> str:
    folders = [settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT]
    return OK if all(_writable(folder) for folder in folders) else DOWN


def _workers() -> tuple[str, dict]:
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        return DOWN, {"last_seen_seconds": None}
    age = max(0.0, time.time() - float(beat))
    return (OK if age <= HEARTBEAT_STALE_SECONDS else DOWN), {"last_seen_seconds": round(age, 1)}


CHECKS: dict[str, Callable[[], str | tuple[str, dict]]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "storage": _storage,
    "workers": _workers,
}
# Without these the node cannot serve a page: the answer is 503.
ESSENTIAL = {"database"}


def run_checks() -> dict:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        extra: dict = {}
        try:
            outcome = check()
            state, extra = outcome if isinstance(outcome, tuple) else (outcome, {})
        except Exception as exc:  # noqa: BLE001 - any failure is the state "down"
            logger.warning("Health check %s failed: %s", name, type(exc).__name__)
            state = DOWN
        results[name] = {"state": state, "ms": round((time.perf_counter() - started) * 1000, 2), **extra}
    if any(results[name]["state"] != OK for name in ESSENTIAL):
        overall = DOWN
    elif any(result["state"] != OK for result in results.values()):
        overall = DEGRADED
    else:
        overall = OK
    return {"status": overall, "time": timezone.now().isoformat(), "checks": results}


@require_safe
@never_cache
def health(request):
    report = run_checks()
    response = JsonResponse(report, status=503 if report["status"] == DOWN else 200)
    response["X-Robots-Tag"] = "noindex"
    return response
