"""Celery tasks of the news app: thin wrappers that load by id and call a
service, so a retried or duplicated task does no harm.

Publishing is claimed with one conditional UPDATE in ``news_publish``: the
task queued at approval, its retries, a redelivered message and the beat
sweep may all reach the same item, and exactly one of them publishes it and
sends the notices.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import counters, images, services
from .models import NewsItem

logger = logging.getLogger(__name__)

# A database restart, fail-over or dropped connection: worth another try a
# little later. Anything else is a bug and retrying would repeat it.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
RETRY_POLICY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,  # 5 s, 10 s, 20 s … with jitter
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}

# Items published per query of the sweep; the sweep pages through all of them.
SWEEP_BATCH_SIZE = 100


@shared_task(acks_late=True, **RETRY_POLICY)
def publish_news(item_id: int) -> bool:
    """Publish one approved item if it is due; ``False`` when someone else
    already did, or it was unpublished or rescheduled meanwhile."""
    return services.news_publish(item_id=item_id)


@shared_task(acks_late=True, ignore_result=True, **RETRY_POLICY)
def publish_due_news() -> int:
    """The beat sweep (every few seconds): publish every approved item whose time
    has come, through the same service as the task.

    This is what publishes an item whose task was lost: Redis was down at
    approval, the worker died holding it, or a scheduled task was dropped.
    Returns how many items this sweep published.
    """
    now = timezone.now()
    published = 0
    last_id = 0
    while True:
        batch = list(
            NewsItem.objects.due_for_publishing(now)
            .filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH_SIZE]
        )
        if not batch:
            break
        for item_id in batch:
            last_id = item_id
            try:
                published += services.news_publish(item_id=item_id, now=now)
            except TRANSIENT_ERRORS:
                raise  # the database is away: retry the whole sweep later
            except Exception:
                # One broken item must not hold back the others; it stays
                # approved and the next sweep tries it again.
                logger.exception("News item %s could not be published by the sweep", item_id)
    if published:
        logger.info("Sweep published %s news item(s)", published)
    return published


@shared_task(acks_late=True, **RETRY_POLICY)
def make_image_renditions(image_id: int) -> bool:
    return images.news_image_make_renditions(image_id=image_id)


@shared_task(ignore_result=True, **RETRY_POLICY)
def flush_view_counts() -> int:
    """Beat task (every minute): move the pending read counts into the
    database."""
    return counters.flush_view_counts()
