"""Celery tasks of the news app: thin wrappers that load by id and call a
service, so a retried or duplicated task does no harm.

Publishing is claimed with conditional UPDATEs in ``news_publish_due``: the
task queued at approval, its retries, a redelivered message and the beat
sweep may all reach the same item, and exactly one of them publishes it and
sends the notices. The first of them to run publishes every item that is due
at that moment, as a set; the others find their item published.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from humas_portal.core.workflow import ReviewStatus

from . import counters, images, selectors, services
from .models import NewsImage

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

# Items claimed per statement by the sweep; it claims set after set until
# nothing is due.
SWEEP_BATCH_SIZE = services.PUBLISH_BATCH_SIZE


@shared_task(name="news.publish_news", acks_late=True, **RETRY_POLICY)
def publish_news(item_id: int) -> bool:
    """Publish the due items, this one among them if it is approved and due;
    ``False`` when someone else published it, or it was unpublished or
    rescheduled meanwhile."""
    return services.news_publish(item_id=item_id)


@shared_task(name="news.publish_due_news", acks_late=True, ignore_result=True, **RETRY_POLICY)
def publish_due_news() -> int:
    """The beat sweep (every few seconds): publish every approved item whose
    time has come, through the same service as the task.

    This is what publishes an item whose task was lost: Redis was down at
    approval, the worker died holding it, or a scheduled task was dropped.
    Returns how many items this sweep published.
    """
    published = services.news_publish_due(now=timezone.now(), batch_size=SWEEP_BATCH_SIZE)
    if published:
        logger.info("Sweep published %s news item(s)", len(published))
    return len(published)


@shared_task(name="news.make_image_renditions", acks_late=True, **RETRY_POLICY)
def make_image_renditions(image_id: int) -> bool:
    made = images.news_image_make_renditions(image_id=image_id)
    # Public pages show a published item's photo through its renditions.
    if made and NewsImage.objects.filter(pk=image_id, item__status=ReviewStatus.PUBLISHED).exists():
        selectors.invalidate_public_cache()
    return made


@shared_task(name="news.flush_view_counts", ignore_result=True, **RETRY_POLICY)
def flush_view_counts() -> int:
    """Beat task (every minute): move the pending read counts into the
    database."""
    return counters.flush_view_counts()
