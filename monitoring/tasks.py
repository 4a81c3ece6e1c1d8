"""Celery tasks of the monitoring app: thin wrappers that take ids and call a
service. The services claim their row with a conditional UPDATE, so a
retried, duplicated or redelivered task does no harm."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)

# A database restart or dropped connection is worth another try; anything
# else is a bug and retrying would repeat it.
RETRY_POLICY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="monitoring.send_weekly_digests", acks_late=True, ignore_result=True, **RETRY_POLICY)
def send_weekly_digests() -> int:
    """The hourly beat sweep: create this week's email row of each office
    whose Monday 07:00 has come and queue the ones not sent yet. Does
    nothing while ``MONITORING_WEEKLY_EMAIL_ENABLED`` is off."""
    pending = services.weekly_digest_plan()
    for digest_id in pending:
        send_office_digest.delay(digest_id)
    return len(pending)


@shared_task(name="monitoring.send_office_digest", acks_late=True, ignore_result=True, **RETRY_POLICY)
def send_office_digest(digest_id: int) -> bool:
    return services.weekly_digest_send(digest_id=digest_id)


@shared_task(name="monitoring.build_evaluation_export", acks_late=True, ignore_result=True, **RETRY_POLICY)
def build_evaluation_export(export_id: int) -> bool:
    return services.evaluation_export_run(export_id=export_id)


@shared_task(name="monitoring.requeue_stale_exports", acks_late=True, ignore_result=True, **RETRY_POLICY)
def requeue_stale_exports() -> int:
    """Every five minutes: queue again the exports whose task was lost or
    whose worker died; the claim in the service lets only one build each."""
    stale = services.evaluation_export_stale()
    for export_id in stale:
        build_evaluation_export.delay(export_id)
    if stale:
        logger.info("Queued %d stale evaluation exports again", len(stale))
    return len(stale)
