"""Celery tasks of the PPID app: thin wrappers that take ids and call a
service; each is safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import notifications, services
from .models import PpidRequest, RequestStatus


@shared_task(
    name="ppid.send_request_email",
    acks_late=True,
    autoretry_for=(OSError,),
    max_retries=5,
    default_retry_delay=120,
)
def send_request_email(request_id: int, kind: str, key: str = "") -> int:
    return notifications.ppid_email_send(request_id=request_id, kind=kind, key=key)


@shared_task(name="ppid.send_deadline_reminders", acks_late=True)
def send_deadline_reminders() -> int:
    """Beat: queue every reminder that is due and not yet sent."""
    pending = notifications.due_reminders()
    for request_id, kind, key in pending:
        send_request_email.delay(request_id, kind, key)
    return len(pending)


@shared_task(name="ppid.close_settled_requests", acks_late=True)
def close_settled_requests() -> int:
    """Beat: close answered requests whose objection and Komisi Informasi
    windows have run out."""
    closed = 0
    for request_id in PpidRequest.objects.filter(status=RequestStatus.ANSWERED).values_list("pk", flat=True):
        closed += services.ppid_request_close(request_id=request_id)
    return closed


@shared_task(name="ppid.purge_identity_data", acks_late=True)
def purge_identity_data() -> int:
    """Beat: erase identity data of requests closed longer than the
    retention period."""
    cutoff = timezone.now() - timedelta(days=settings.PPID_IDENTITY_RETENTION_DAYS)
    purged = 0
    for request_id in PpidRequest.objects.identity_purgeable(cutoff).values_list("pk", flat=True):
        purged += services.ppid_identity_purge(request_id=request_id)
    return purged
