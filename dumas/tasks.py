"""Celery tasks of the Dumas app: thin wrappers that take ids and call a
service, each safe to run twice (the services claim rows with conditional
updates). The beat sweeps make the app robust to lost tasks."""

import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import notifications, services
from .models import Complaint
from .workflow import ComplaintStatus


@shared_task(
    name="dumas.send_notification",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    max_retries=notifications.MAX_ATTEMPTS,
)
def send_notification(notification_id: int) -> bool:
    return notifications.notification_send(notification_id=notification_id)


@shared_task(name="dumas.send_pending_notifications", acks_late=True)
def send_pending_notifications() -> int:
    ids = notifications.pending_notification_ids()
    for notification_id in ids:
        send_notification.delay(notification_id)
    return len(ids)


@shared_task(name="dumas.remind_overdue", acks_late=True)
def remind_overdue() -> int:
    now = timezone.now()
    ids = list(Complaint.objects.overdue(now).values_list("pk", flat=True)[:1000])
    return sum(services.complaint_remind_overdue(complaint_id=pk, now=now) for pk in ids)


@shared_task(name="dumas.close_answered", acks_late=True)
def close_answered() -> int:
    now = timezone.now()
    cutoff = now - timedelta(days=settings.DUMAS_AUTOCLOSE_DAYS)
    ids = list(
        Complaint.objects.filter(status=ComplaintStatus.ANSWERED, status_changed_at__lte=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    )
    return sum(services.complaint_autoclose(complaint_id=pk, now=now) for pk in ids)
