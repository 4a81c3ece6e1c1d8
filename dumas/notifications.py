"""Emails about complaints, sent from an outbox.

Services write a ``ComplaintNotification`` row in the transaction that makes
the change and queue its sending on commit. The sender claims the row with a
conditional update, so a retried task and the beat sweep never send one
notification twice at once.

What the emails may say: staff emails carry the code, kind, subject, unit,
status and a link, and never the complainant's identity or the description;
whoever may see those reads them on the page, where the policy decides. The
complainant's own emails go only to the address they gave.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from humas_portal.core import policy as core_policy
from humas_portal.core.models import Role, User
from humas_portal.core.notify import send_templated_email

from .models import Audience, Complaint, ComplaintNotification, NotificationEvent
from .workflow import ComplaintStatus

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 5


def notification_queue(
    *, complaint: Complaint, event: str, audience: str, payload: dict | None = None
) -> ComplaintNotification:
    """Write an outbox row and send it once the transaction commits."""
    notification = ComplaintNotification.objects.create(
        complaint=complaint, event=event, audience=audience, payload=payload or {}
    )
    from .tasks import send_notification

    send_notification.delay_on_commit(notification.pk)
    return notification


def _direct_holders(role: str, units) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=role,
            role_assignments__unit__in=[unit for unit in units if unit is not None],
        )
        .distinct()
        .order_by("pk")
    )


def officer_recipients(complaint: Complaint) -> list[User]:
    """The officers nearest to the complaint: those at the unit and its
    office (and the assigned unit), or, when none is named there, the
    officers above. Whistleblowing goes to the office's officers only."""
    if complaint.is_whistleblowing:
        units = [complaint.office]
    else:
        units = [complaint.unit, complaint.office, complaint.assigned_unit]
    people = _direct_holders(Role.PETUGAS_DUMAS, units)
    if not people:
        people = list(core_policy.users_with_role(Role.PETUGAS_DUMAS, complaint.office))
    return people


def assignee_recipients(complaint: Complaint) -> list[User]:
    if complaint.assignee_id:
        return [complaint.assignee] if complaint.assignee.is_active else []
    if complaint.assigned_unit_id:
        return _direct_holders(Role.PETUGAS_DUMAS, [complaint.assigned_unit]) or _direct_holders(
            Role.PIMPINAN, [complaint.assigned_unit]
        )
    return []


def _staff_headline(notification: ComplaintNotification) -> str:
    complaint = notification.complaint
    event = notification.event
    if event == NotificationEvent.SUBMITTED:
        return _("Pengaduan baru masuk dan menunggu verifikasi.")
    if event == NotificationEvent.ASSIGNED:
        return _("Pengaduan ini ditugaskan kepada Anda atau unit Anda untuk ditindaklanjuti.")
    if event == NotificationEvent.INFORMATION_ADDED:
        return _("Pelapor menambahkan informasi pada pengaduan ini.")
    if event == NotificationEvent.RATED:
        return _("Pelapor memberi penilaian %(rating)s dari 5 atas jawaban.") % {"rating": complaint.rating}
    if event == NotificationEvent.PROGRESS:
        return _("Ada laporan tindak lanjut baru pada pengaduan ini.")
    if event == NotificationEvent.OVERDUE:
        return _("Pengaduan ini melewati batas waktu tahap %(stage)s.") % {
            "stage": notification.payload.get("stage_label", "")
        }
    if event == NotificationEvent.STATUS_CHANGED:
        return _("Status pengaduan berubah menjadi “%(status)s”. Mohon ditindaklanjuti.") % {
            "status": _status_label(notification)
        }
    return ""


def _status_label(notification: ComplaintNotification) -> str:
    # The status the event moved to, not the current one: three quick steps
    # (verified, followed up, answered) must not send three "answered" emails.
    status = notification.payload.get("status") or notification.complaint.status
    return str(dict(ComplaintStatus.choices).get(status, status))


def _complainant_headline(notification: ComplaintNotification) -> str:
    return _("Status pengaduan Anda kini “%(status)s”.") % {"status": _status_label(notification)}


def _deliver(notification: ComplaintNotification) -> int:
    complaint = notification.complaint
    if notification.audience == Audience.COMPLAINANT:
        if complaint.is_anonymous or not complaint.reporter_email:
            return 0
        template = (
            "dumas/email/complainant_confirmation"
            if notification.event == NotificationEvent.CONFIRMATION
            else "dumas/email/complainant_update"
        )
        return send_templated_email(
            to=[complaint.reporter_email],
            template=template,
            context={
                "complaint": complaint,
                "headline": _complainant_headline(notification),
                "status_label": _status_label(notification),
                "public_note": notification.payload.get("public_note", ""),
                "tracking_url": settings.SITE_URL + complaint.get_tracking_url(),
                "verify_days": settings.DUMAS_VERIFY_WORKING_DAYS,
            },
        )
    if notification.audience == Audience.OFFICERS:
        people = officer_recipients(complaint)
    else:
        people = assignee_recipients(complaint)
    return send_templated_email(
        to=[person.email for person in people],
        template="dumas/email/staff_update",
        context={
            "complaint": complaint,
            "headline": _staff_headline(notification),
            "deadline": complaint.current_deadline(),
            "detail_url": settings.SITE_URL + complaint.get_absolute_url(),
        },
    )


def notification_send(*, notification_id: int) -> bool:
    """Send one outbox row if nobody else is; returns whether this call sent
    it. A failure releases the claim so that a retry can send it."""
    now = timezone.now()
    claimed = (
        ComplaintNotification.objects.filter(
            pk=notification_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    notification = ComplaintNotification.objects.select_related(
        "complaint__unit", "complaint__office", "complaint__assigned_unit", "complaint__assignee"
    ).get(pk=notification_id)
    try:
        _deliver(notification)
    except Exception:
        ComplaintNotification.objects.filter(pk=notification_id).update(claimed_at=None)
        logger.warning("Complaint notification %s could not be sent", notification_id, exc_info=True)
        raise
    ComplaintNotification.objects.filter(pk=notification_id).update(sent_at=timezone.now())
    return True


def pending_notification_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Unsent rows whose task was lost (not merely still in the queue)."""
    now = timezone.now()
    return list(
        ComplaintNotification.objects.filter(
            sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lt=now - older_than
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .values_list("pk", flat=True)[:500]
    )
