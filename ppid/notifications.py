"""Emails about requests: to the requester, the unit's PPID and its Atasan.

Every email is recorded in ``EmailLog`` (one row per request, kind and key)
and claimed with a conditional update before it is sent, so a task that runs
twice, or a reminder sweep that overlaps the previous one, sends it once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from humas_portal.core.models import Role, User, WorkUnit
from humas_portal.core.notify import send_templated_email
from humas_portal.core.policy import users_with_role
from humas_portal.core.workdays import add_working_days, working_days_between

from .models import OPEN_STATUSES, EmailLog, Objection, ObjectionStatus, PpidRequest, local_today, ppid_home

logger = logging.getLogger(__name__)

REQUESTER, PPID, ATASAN = "requester", "ppid", "atasan"


@dataclass(frozen=True)
class EmailKind:
    template: str
    audience: str


EMAIL_KINDS = {
    "received": EmailKind("ppid/email/request_received", REQUESTER),
    "staff_new": EmailKind("ppid/email/staff_new_request", PPID),
    "link_reissued": EmailKind("ppid/email/link_reissued", REQUESTER),
    "extended": EmailKind("ppid/email/request_extended", REQUESTER),
    "answered": EmailKind("ppid/email/request_answered", REQUESTER),
    "objection_filed": EmailKind("ppid/email/objection_filed", REQUESTER),
    "objection_staff": EmailKind("ppid/email/staff_objection", ATASAN),
    "objection_answered": EmailKind("ppid/email/objection_answered", REQUESTER),
    "request_due_soon": EmailKind("ppid/email/reminder_request", PPID),
    "request_overdue": EmailKind("ppid/email/reminder_request", PPID),
    "objection_due_soon": EmailKind("ppid/email/reminder_objection", ATASAN),
    "objection_overdue": EmailKind("ppid/email/reminder_objection", ATASAN),
}

REMINDER_KINDS = [kind for kind in EMAIL_KINDS if kind.endswith(("_due_soon", "_overdue"))]


def own_role_holders(role: str, unit: WorkUnit) -> QuerySet[User]:
    """People holding the role at the unit or its PPID home; when nobody
    does, those covering it from above, so the email still reaches someone."""
    own = (
        User.objects.filter(
            is_active=True,
            role_assignments__role=role,
            role_assignments__unit_id__in={unit.pk, ppid_home(unit).pk},
        )
        .distinct()
        .order_by("pk")
    )
    return own if own.exists() else users_with_role(role, unit)


def tracking_url(request: PpidRequest) -> str:
    token = request.tracking_token_encrypted
    if not token:
        return ""
    return settings.SITE_URL + reverse("ppid:track", kwargs={"token": token})


def _recipients(request: PpidRequest, audience: str) -> list[str]:
    if audience == REQUESTER:
        return [request.email] if request.email else []
    role = Role.PPID if audience == PPID else Role.ATASAN_PPID
    return [u.email for u in own_role_holders(role, request.unit) if u.email]


def _context(request: PpidRequest, kind: str, key: str) -> dict:
    today = local_today(request.unit)
    objection = getattr(request, "objection", None)
    context = {
        "request": request,
        "unit": request.unit,
        "objection": objection,
        "kind": kind,
        "today": today,
        "overdue": kind.endswith("overdue"),
        "staff_url": settings.SITE_URL + reverse("ppid:staff_request", kwargs={"pk": request.pk}),
        "response_days": settings.PPID_RESPONSE_WORKING_DAYS,
        "extension_days": settings.PPID_EXTENSION_WORKING_DAYS,
        "objection_days": settings.PPID_OBJECTION_FILING_WORKING_DAYS,
        "komisi_days": settings.PPID_KOMISI_INFORMASI_WORKING_DAYS,
    }
    if EMAIL_KINDS[kind].audience == REQUESTER:
        context["tracking_url"] = tracking_url(request)
    window = request.objection_window(today)
    if window:
        context["objection_last_day"] = window[1]
    if objection is not None:
        context["objection_url"] = settings.SITE_URL + reverse(
            "ppid:staff_objection", kwargs={"pk": objection.pk}
        )
        if objection.answered_on:
            context["komisi_last_day"] = add_working_days(
                objection.answered_on, settings.PPID_KOMISI_INFORMASI_WORKING_DAYS
            )
    if key:
        due = date.fromisoformat(key) if len(key) == 10 and key[4] == "-" else None
        if due:
            context["due"] = due
            context["days_left"] = working_days_between(today, due)
    return context


def ppid_email_send(*, request_id: int, kind: str, key: str = "") -> int:
    """Send one email about a request, at most once; returns the number of
    messages sent (0 when it was already sent or has no recipient)."""
    spec = EMAIL_KINDS[kind]
    request = PpidRequest.objects.select_related("unit", "objection").filter(pk=request_id).first()
    if request is None:
        return 0
    try:
        with transaction.atomic():
            log, _ = EmailLog.objects.get_or_create(request=request, kind=kind, key=key)
    except IntegrityError:
        log = EmailLog.objects.get(request=request, kind=kind, key=key)
    claimed = EmailLog.objects.filter(pk=log.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return 0
    try:
        recipients = _recipients(request, spec.audience)
        sent = send_templated_email(
            to=recipients, template=spec.template, context=_context(request, kind, key)
        )
    except Exception:
        # Hand the claim back so that the retry can send it.
        EmailLog.objects.filter(pk=log.pk).update(sent_at=None)
        raise
    EmailLog.objects.filter(pk=log.pk).update(recipients=sent)
    return sent


# --- Reminders -----------------------------------------------------------------


def _reminder_kind(today: date, due: date, prefix: str) -> str | None:
    if today > due:
        return f"{prefix}_overdue"
    if working_days_between(today, due) <= settings.PPID_REMINDER_DAYS_BEFORE:
        return f"{prefix}_due_soon"
    return None


def due_reminders(now: datetime | None = None) -> list[tuple[int, str, str]]:
    """(request id, kind, due date) of every reminder due now and not yet
    sent: a few working days before a deadline, and once it has passed. A
    unit's reminders wait for office hours in its own zone."""
    now = now or timezone.now()
    pending: list[tuple[int, str, str]] = []
    # Only logs of requests still waiting for someone can matter here.
    sent = set(
        EmailLog.objects.filter(kind__in=REMINDER_KINDS)
        .filter(Q(request__status__in=OPEN_STATUSES) | Q(request__objection__status=ObjectionStatus.FILED))
        .values_list("request_id", "kind", "key")
    )

    def consider(request_id: int, unit: WorkUnit, due: date, prefix: str) -> None:
        local = timezone.localtime(now, unit.tzinfo)
        if local.hour < settings.PPID_REMINDER_LOCAL_HOUR:
            return
        kind = _reminder_kind(local.date(), due, prefix)
        if kind and (request_id, kind, due.isoformat()) not in sent:
            pending.append((request_id, kind, due.isoformat()))

    for request in (
        PpidRequest.objects.open()
        .select_related("unit")
        .only("id", "due_on", "extended_due_on", "unit__id", "unit__timezone")
    ):
        consider(request.pk, request.unit, request.effective_due_on, "request")
    for objection in (
        Objection.objects.filter(status=ObjectionStatus.FILED)
        .select_related("request__unit")
        .only("id", "due_on", "request__id", "request__unit__id", "request__unit__timezone")
    ):
        consider(objection.request_id, objection.request.unit, objection.due_on, "objection")
    return pending
