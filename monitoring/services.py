"""Writes of the monitoring app: requesting and building the yearly
evaluation export, and planning and sending the weekly email.

Workers claim their row with a conditional UPDATE before doing anything, so
a duplicated task, a redelivered message and the beat sweep never build the
same export or send the same email twice.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from humas_portal.core.audit import audit_record
from humas_portal.core.models import Role, RoleAssignment, User, WorkUnit
from humas_portal.core.notify import send_templated_email
from humas_portal.core.storage import private_storage

from . import exports, policy, selectors
from .models import (
    DigestStatus,
    EvaluationExport,
    ExportStatus,
    ExportStep,
    WeeklyDigest,
)

logger = logging.getLogger(__name__)

# The first year the portal can hold data for; earlier years are refused.
FIRST_EVALUATION_YEAR = 2000


class MonitoringError(Exception):
    """A request refused for a reason the user can act on; ``str(error)``
    is the Indonesian message to show."""


# --- Yearly evaluation export ----------------------------------------------


def evaluation_export_request(*, office: WorkUnit, year: int, actor: User) -> EvaluationExport:
    """Queue the yearly evaluation of ``office`` for ``year`` and return its
    job row. Asking again while one is queued or being built returns that
    one instead of starting a second; the worker starts after commit."""
    if not policy.can(actor, policy.REQUEST_EXPORT, office):
        raise PermissionDenied
    this_year = timezone.localtime(timezone.now(), office.tzinfo).year
    if not FIRST_EVALUATION_YEAR <= year <= this_year:
        raise MonitoringError(
            _("Tahun evaluasi harus antara %(first)s dan %(last)s.")
            % {"first": FIRST_EVALUATION_YEAR, "last": this_year}
        )
    existing = EvaluationExport.objects.active().filter(office=office, year=year).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            export = EvaluationExport.objects.create(office=office, year=year, requested_by=actor)
            audit_record(
                actor=actor,
                action="evaluation_export_request",
                obj=export,
                unit=office,
                to_state=ExportStatus.QUEUED,
            )
    except IntegrityError:
        # Someone asked for the same year at the same moment; theirs won.
        return EvaluationExport.objects.active().get(office=office, year=year)
    _queue_build(export.pk)
    return export


def _queue_build(export_id: int) -> None:
    """Queue the build after commit. A broker that is down leaves the row
    queued; the sweep (``evaluation_export_stale``) queues it again."""
    from . import tasks  # tasks import services

    def queue() -> None:
        try:
            tasks.build_evaluation_export.delay(export_id)
        except OSError:
            logger.warning("Could not queue evaluation export %s; the sweep will", export_id)

    transaction.on_commit(queue)


class _ClaimLost(Exception):
    """Another worker took the export over (this one was presumed dead)."""


def _claim_export(export_id: int, now: datetime) -> tuple[str, str] | None:
    """Take the job: queued, or running under a worker silent for longer
    than the lease. Returns the claim token and the state it was taken
    from, or None if someone else has it or it is finished."""
    lease_expired = now - timedelta(seconds=settings.MONITORING_EXPORT_LEASE_SECONDS)
    for from_state, condition in (
        (ExportStatus.QUEUED, Q(status=ExportStatus.QUEUED)),
        (ExportStatus.RUNNING, Q(status=ExportStatus.RUNNING, heartbeat_at__lt=lease_expired)),
    ):
        token = uuid.uuid4().hex
        won = EvaluationExport.objects.filter(condition, pk=export_id).update(
            status=ExportStatus.RUNNING,
            claim_token=token,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress=0,
            step=ExportStep.UNITS,
            error="",
        )
        if won:
            return token, from_state
    return None


def _mine(export_id: int, token: str):
    return EvaluationExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING, claim_token=token)


def evaluation_export_run(*, export_id: int) -> bool:
    """Build the workbook and the PDF of one export, reporting progress on
    the row as it goes. Returns whether this call built it; ``False`` when
    another worker has it, it is already finished, or it failed."""
    now = timezone.now()
    claim = _claim_export(export_id, now)
    if claim is None:
        return False
    token, from_state = claim
    export = EvaluationExport.objects.select_related("office").get(pk=export_id)
    audit_record(
        actor=None,
        action="evaluation_export_start"
        if from_state == ExportStatus.QUEUED
        else "evaluation_export_take_over",
        obj=export,
        unit=export.office,
        from_state=from_state,
        to_state=ExportStatus.RUNNING,
    )

    def report(step: str, percent: int) -> None:
        if not _mine(export_id, token).update(step=step, progress=percent, heartbeat_at=timezone.now()):
            raise _ClaimLost

    saved: list[str] = []
    try:
        with translation.override(settings.LANGUAGE_CODE):
            evaluation = exports.collect(export.office, export.year, now=now, report=report)
            report(ExportStep.WORKBOOK, 70)
            workbook = exports.workbook_bytes(evaluation)
            report(ExportStep.PDF, 85)
            pdf = exports.pdf_bytes(evaluation)
        report(ExportStep.SAVING, 95)
        stem = f"evaluasi-humas-{slugify(export.office.code)}-{export.year}-{export.pk}"
        workbook_name = export.workbook.field.generate_filename(export, f"{stem}.xlsx")
        pdf_name = export.summary_pdf.field.generate_filename(export, f"{stem}.pdf")
        saved.append(private_storage.save(workbook_name, ContentFile(workbook)))
        saved.append(private_storage.save(pdf_name, ContentFile(pdf)))
        with transaction.atomic():
            finished = _mine(export_id, token).update(
                status=ExportStatus.DONE,
                workbook=saved[0],
                summary_pdf=saved[1],
                progress=100,
                step=ExportStep.FINISHED,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
            if not finished:
                raise _ClaimLost
            audit_record(
                actor=None,
                action="evaluation_export_done",
                obj=export,
                unit=export.office,
                from_state=ExportStatus.RUNNING,
                to_state=ExportStatus.DONE,
            )
    except _ClaimLost:
        for name in saved:
            private_storage.delete(name)
        logger.warning("Evaluation export %s was taken over by another worker", export_id)
        return False
    except Exception as error:  # noqa: BLE001 - any failure must end the job visibly
        for name in saved:
            private_storage.delete(name)
        logger.exception("Evaluation export %s failed", export_id)
        with transaction.atomic():
            if _mine(export_id, token).update(
                status=ExportStatus.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            ):
                audit_record(
                    actor=None,
                    action="evaluation_export_fail",
                    obj=export,
                    unit=export.office,
                    from_state=ExportStatus.RUNNING,
                    to_state=ExportStatus.FAILED,
                )
        return False
    return True


def evaluation_export_stale(*, now: datetime | None = None) -> list[int]:
    """Exports to queue again: queued for more than two minutes (the task
    was lost with the broker) or running under a silent worker. Claiming
    decides who builds them, so queueing one twice is harmless."""
    now = now or timezone.now()
    lease_expired = now - timedelta(seconds=settings.MONITORING_EXPORT_LEASE_SECONDS)
    return list(
        EvaluationExport.objects.filter(
            Q(status=ExportStatus.QUEUED, created_at__lt=now - timedelta(minutes=2))
            | Q(status=ExportStatus.RUNNING, heartbeat_at__lt=lease_expired)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Weekly email ------------------------------------------------------------


def week_of(now: datetime, office: WorkUnit) -> date:
    """The date that names the latest weekly email whose time has come in
    the office's zone: the last ``MONITORING_WEEKLY_EMAIL_WEEKDAY`` at
    ``MONITORING_WEEKLY_EMAIL_HOUR`` (Monday 07:00 by default) at or before
    ``now``."""
    local = timezone.localtime(now, office.tzinfo)
    day = local.date() - timedelta(days=(local.weekday() - settings.MONITORING_WEEKLY_EMAIL_WEEKDAY) % 7)
    moment = datetime.combine(day, time(settings.MONITORING_WEEKLY_EMAIL_HOUR), tzinfo=office.tzinfo)
    return day if local >= moment else day - timedelta(days=7)


def _admin_humas_emails(office: WorkUnit) -> list[str]:
    """Active Admin Humas who hold the role at the office itself."""
    return sorted(
        set(
            User.objects.filter(
                is_active=True, role_assignments__role=Role.ADMIN_HUMAS, role_assignments__unit=office
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def weekly_digest_plan(*, now: datetime | None = None) -> list[int]:
    """Create this week's email row for every unit that has its own Admin
    Humas (offices, and PTKN or Balai with their own humas) and return the
    rows still to send. Nothing when the email is turned off."""
    if not settings.MONITORING_WEEKLY_EMAIL_ENABLED:
        return []
    now = now or timezone.now()
    office_ids = (
        RoleAssignment.objects.filter(role=Role.ADMIN_HUMAS, unit__is_active=True, user__is_active=True)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    offices = WorkUnit.objects.filter(pk__in=office_ids)
    rows = [WeeklyDigest(office=office, week_start=week_of(now, office)) for office in offices]
    WeeklyDigest.objects.bulk_create(rows, ignore_conflicts=True)
    # Rows of the last week still pending include one a failed send left.
    return list(
        WeeklyDigest.objects.filter(
            status=DigestStatus.PENDING, week_start__gte=(now - timedelta(days=7)).date()
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def weekly_digest_send(*, digest_id: int, now: datetime | None = None) -> bool:
    """Send one office's weekly email to its Admin Humas: the units of its
    own circle silent for more than ``MONITORING_SILENT_DAYS`` days and the
    drafts waiting for approval longer than ``MONITORING_DRAFT_WAITING_DAYS``.
    Nothing is sent when the email is turned off, there is nobody to send
    to, or nothing to report. Returns whether it was sent."""
    if not settings.MONITORING_WEEKLY_EMAIL_ENABLED:
        return False
    if not WeeklyDigest.objects.filter(pk=digest_id, status=DigestStatus.PENDING).update(
        status=DigestStatus.SENDING
    ):
        return False
    now = now or timezone.now()
    digest = WeeklyDigest.objects.select_related("office").get(pk=digest_id)
    office = digest.office
    content = selectors.digest_for(office, now=now)
    recipients = _admin_humas_emails(office)
    counts = {"silent_units": len(content.silent), "waiting_drafts": len(content.waiting)}
    if not recipients or content.is_empty:
        status = DigestStatus.NO_RECIPIENT if not recipients else DigestStatus.NOTHING
        WeeklyDigest.objects.filter(pk=digest_id, status=DigestStatus.SENDING).update(status=status, **counts)
        return False
    try:
        send_templated_email(
            to=recipients,
            template="monitoring/email/weekly_digest",
            context={
                "office": office,
                "content": content,
                "week_start": digest.week_start,
                "silent_days": settings.MONITORING_SILENT_DAYS,
                "waiting_days": settings.MONITORING_DRAFT_WAITING_DAYS,
                "dashboard_url": settings.SITE_URL + reverse("monitoring:dashboard") + f"?kantor={office.pk}",
                "waiting": [
                    (
                        draft,
                        settings.SITE_URL
                        + reverse(
                            "news:desk_detail" if draft.kind == "news" else "socialmedia:post_detail",
                            kwargs={"pk": draft.pk},
                        ),
                    )
                    for draft in content.waiting
                ],
            },
        )
    except Exception:
        # Give the row back so the next sweep tries again this week.
        WeeklyDigest.objects.filter(pk=digest_id, status=DigestStatus.SENDING).update(
            status=DigestStatus.PENDING
        )
        raise
    WeeklyDigest.objects.filter(pk=digest_id, status=DigestStatus.SENDING).update(
        status=DigestStatus.SENT, sent_at=timezone.now(), recipients=len(recipients), **counts
    )
    return True
