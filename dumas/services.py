"""Every change to a complaint, one service each.

Every status change runs through the portal's transition engine
(``humas_portal.core.workflow``) with the complaint table
(``dumas.workflow.COMPLAINT_TRANSITIONS``) and the permission of
``dumas.policy``: the row is locked, its state checked, the change saved
with its audit row, and the outbox rows of the emails it causes written in
the same transaction (sent after commit, see ``dumas.notifications``).

Nothing here writes the complainant's identity into an audit note, a log
line or a staff email.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from humas_portal.core.audit import audit_record
from humas_portal.core.models import User, WorkUnit
from humas_portal.core.workdays import add_working_days
from humas_portal.core.workflow import WorkflowError, transition_apply, transition_claim

from . import codes, policy
from .attachments import attachment_store, check_attachments
from .models import (
    Audience,
    Complaint,
    ComplaintLocation,
    ComplaintMessage,
    ConfirmationChannel,
    MessageKind,
    NotificationEvent,
)
from .notifications import notification_queue
from .workflow import (
    COMPLAINT_TRANSITIONS,
    INFORMATION_STATUSES,
    PUBLIC_CHANNELS,
    RATEABLE_STATUSES,
    STAFF_CHANNELS,
    Channel,
    ComplaintAction,
    ComplaintKind,
    ComplaintStatus,
    ForwardDestination,
    IdentityMode,
)
from .workflow import complaint_audit_unit as _audit_unit


def _local_date(moment: datetime, unit: WorkUnit) -> date:
    return timezone.localtime(moment, unit.tzinfo).date()


def _unique_code() -> str:
    # 2^73 possibilities make a clash practically impossible; the unique
    # index is the backstop, the loop keeps a clash from surfacing as a 500.
    while True:
        code = codes.generate()
        if not Complaint.objects.filter(tracking_code=code).exists():
            return code


@sensitive_variables("reporter_name", "reporter_email", "reporter_phone")
def complaint_submit(
    *,
    unit: WorkUnit,
    kind: str,
    subject: str,
    description: str,
    identity_mode: str,
    violation: str = "",
    incident_location: str = "",
    occurred_on: date | None = None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    attachments: Sequence = (),
    channel: str = Channel.WEB,
    location: ComplaintLocation | None = None,
    recorded_by: User | None = None,
    received_at: datetime | None = None,
) -> Complaint:
    """File a complaint from the public form (``recorded_by`` is None) or as
    recorded by an officer from the PTSP desk, WhatsApp, phone, email or a
    letter. Returns the complaint with its tracking code."""
    now = timezone.now()
    if recorded_by is not None:
        if not policy.can_record(recorded_by, unit):
            raise PermissionDenied
        if channel not in STAFF_CHANNELS:
            raise ValidationError(_("Pilih saluran penerimaan pengaduan."))
        location = None
        received_at = received_at or now
        if received_at > now + timedelta(minutes=5):
            raise ValidationError(_("Waktu diterima tidak boleh di masa depan."))
    else:
        # A public complaint arrives now, through the web form or a poster's
        # QR code; an inactive or foreign poster falls back to the web form.
        received_at = now
        if location is not None and (not location.is_active or location.unit_id != unit.pk):
            location = None
        channel = Channel.QR if location is not None else Channel.WEB
    if channel in PUBLIC_CHANNELS and recorded_by is not None:
        raise ValidationError(_("Pilih saluran penerimaan pengaduan."))
    if kind == ComplaintKind.WHISTLEBLOWING:
        if not violation:
            raise ValidationError(_("Pilih jenis pelanggaran yang dilaporkan."))
    else:
        violation = ""
    if identity_mode == IdentityMode.ANONYMOUS:
        reporter_name = reporter_email = reporter_phone = ""
    elif not reporter_name.strip():
        raise ValidationError(_("Tuliskan nama pelapor, atau pilih anonim."))
    uploads = list(attachments)
    check_attachments(uploads)

    if reporter_email:
        confirmation = ConfirmationChannel.EMAIL
    elif reporter_phone:
        # No SMS or WhatsApp gateway is connected: say so instead of
        # pretending a message went out.
        confirmation = ConfirmationChannel.MANUAL
    else:
        confirmation = ConfirmationChannel.NONE

    office = unit.office()
    received_on = _local_date(received_at, unit)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            tracking_code=_unique_code(),
            unit=unit,
            office=office,
            location=location,
            channel=channel,
            kind=kind,
            violation=violation,
            subject=subject.strip(),
            description=description.strip(),
            incident_location=incident_location.strip(),
            occurred_on=occurred_on,
            identity_mode=identity_mode,
            reporter_name=reporter_name.strip(),
            reporter_email=reporter_email.strip(),
            reporter_phone=reporter_phone.strip(),
            confirmation=confirmation,
            received_at=received_at,
            status_changed_at=now,
            verify_due=add_working_days(received_on, settings.DUMAS_VERIFY_WORKING_DAYS),
            finish_due=received_on + timedelta(days=settings.DUMAS_FINISH_DAYS),
            recorded_by=recorded_by,
        )
        for upload in uploads:
            attachment_store(complaint=complaint, upload=upload, added_by=recorded_by)
        audit_record(
            actor=recorded_by,
            action="submit",
            obj=complaint,
            to_state=complaint.status,
            note=str(_("Saluran: %(channel)s") % {"channel": complaint.get_channel_display()}),
            unit=_audit_unit(complaint),
        )
        notification_queue(complaint=complaint, event=NotificationEvent.SUBMITTED, audience=Audience.OFFICERS)
        if confirmation == ConfirmationChannel.EMAIL:
            notification_queue(
                complaint=complaint, event=NotificationEvent.CONFIRMATION, audience=Audience.COMPLAINANT
            )
    return complaint


def _transition(
    *,
    complaint: Complaint,
    action: str,
    actor: User,
    note: str = "",
    changes=None,
    notify_assignee: bool = False,
    check=None,
) -> Complaint:
    """Apply one transition of ``COMPLAINT_TRANSITIONS`` with what every
    complaint move brings: a public note becomes a message on the tracking
    page, and the complainant (and, with ``notify_assignee``, the assignee)
    is told. ``changes(locked, now)`` returns extra field values;
    ``check(locked)`` refuses for reasons beyond the status."""
    note = (note or "").strip()

    def effects(locked: Complaint) -> None:
        public_note = ""
        if COMPLAINT_TRANSITIONS[action].note_is_public and note:
            public_note = note
            ComplaintMessage.objects.create(
                complaint=locked,
                kind=MessageKind.ANSWER if action == ComplaintAction.ANSWER else MessageKind.STATUS_NOTE,
                body=note,
                is_public=True,
                author=actor,
                created_at=locked.status_changed_at,
            )
        notification_queue(
            complaint=locked,
            event=NotificationEvent.STATUS_CHANGED,
            audience=Audience.COMPLAINANT,
            payload={"action": action, "status": locked.status, "public_note": public_note},
        )
        if notify_assignee and (locked.assignee_id or locked.assigned_unit_id):
            notification_queue(
                complaint=locked,
                event=NotificationEvent.STATUS_CHANGED,
                audience=Audience.ASSIGNEE,
                payload={"action": action, "status": locked.status},
            )

    return transition_apply(
        complaint,
        action,
        machine=COMPLAINT_TRANSITIONS,
        actor=actor,
        permitted=lambda user, obj: policy.can_act(user, obj, action),
        note=note,
        check=check,
        changes=changes,
        effects=effects,
    )


def complaint_verify(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """The complaint is genuine and ours: the follow-up decision is now due
    within ``DUMAS_FOLLOWUP_DECISION_WORKING_DAYS`` working days."""

    def changes(locked: Complaint, now: datetime) -> dict:
        today = _local_date(now, locked.unit)
        return {
            "verified_at": locked.verified_at or now,
            "follow_up_due": add_working_days(today, settings.DUMAS_FOLLOWUP_DECISION_WORKING_DAYS),
        }

    return _transition(
        complaint=complaint, action=ComplaintAction.VERIFY, actor=actor, note=note, changes=changes
    )


def complaint_hold(*, complaint: Complaint, actor: User, note: str) -> Complaint:
    """Wait for the complainant to complete the report; the note tells them
    what is missing."""
    return _transition(complaint=complaint, action=ComplaintAction.HOLD, actor=actor, note=note)


def complaint_reject_authority(*, complaint: Complaint, actor: User, note: str) -> Complaint:
    """Not a matter for this unit; the note names who has authority."""
    return _transition(complaint=complaint, action=ComplaintAction.REJECT_AUTHORITY, actor=actor, note=note)


def complaint_archive(*, complaint: Complaint, actor: User, note: str) -> Complaint:
    """Set aside (a duplicate, spam, or no reply to a request for details)."""
    return _transition(complaint=complaint, action=ComplaintAction.ARCHIVE, actor=actor, note=note)


def complaint_follow_up(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """Decide to follow the complaint up; whoever it is assigned to is told."""
    return _transition(
        complaint=complaint,
        action=ComplaintAction.FOLLOW_UP,
        actor=actor,
        note=note,
        changes=lambda locked, now: {"follow_up_at": locked.follow_up_at or now},
        notify_assignee=True,
    )


def complaint_forward(
    *,
    complaint: Complaint,
    actor: User,
    destination: str,
    external_reference: str,
    note: str = "",
) -> Complaint:
    """Hand a supervisory matter to the Inspektorat Jenderal (SIMDUMAS) or
    SP4N-LAPOR!, recording the reference number they gave."""
    external_reference = (external_reference or "").strip()

    def check(locked: Complaint) -> None:
        if destination not in ForwardDestination.values:
            raise WorkflowError(_("Pilih instansi tujuan penerusan."))
        if not external_reference:
            raise WorkflowError(_("Tuliskan nomor rujukan dari instansi tujuan."))

    if not (note or "").strip() and destination in ForwardDestination.values:
        note = _("Diteruskan ke %(destination)s, nomor rujukan %(reference)s.") % {
            "destination": ForwardDestination(destination).label,
            "reference": external_reference,
        }
    return _transition(
        complaint=complaint,
        action=ComplaintAction.FORWARD,
        actor=actor,
        note=note,
        check=check,
        changes=lambda locked, now: {
            "forwarded_to": destination,
            "external_reference": external_reference,
            "forwarded_at": now,
            "follow_up_at": locked.follow_up_at or now,
        },
    )


def complaint_answer(*, complaint: Complaint, actor: User, answer: str) -> Complaint:
    """Send the answer the complainant reads on the tracking page."""
    return _transition(
        complaint=complaint,
        action=ComplaintAction.ANSWER,
        actor=actor,
        note=answer,
        changes=lambda locked, now: {"answered_at": locked.answered_at or now},
    )


def complaint_close(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    return _transition(
        complaint=complaint,
        action=ComplaintAction.CLOSE,
        actor=actor,
        note=note,
        changes=lambda locked, now: {"closed_at": now},
    )


def complaint_assign(
    *,
    complaint: Complaint,
    actor: User,
    unit: WorkUnit | None = None,
    assignee: User | None = None,
    note: str = "",
) -> Complaint:
    """Give the complaint to a unit, a person, or both, to follow up.

    Whistleblowing stays within the office's complaint officers.
    """
    if not policy.can_assign(actor, complaint):
        raise PermissionDenied
    if unit is None and assignee is None:
        raise WorkflowError(_("Pilih unit atau petugas yang ditugaskan."))
    if unit is not None and not policy.assignment_units(complaint).filter(pk=unit.pk).exists():
        raise WorkflowError(_("Pengaduan ini tidak dapat ditugaskan ke unit tersebut."))
    if assignee is not None and not policy.assignable_people(complaint).filter(pk=assignee.pk).exists():
        raise WorkflowError(_("Pengaduan ini tidak dapat ditugaskan kepada orang tersebut."))
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not policy.can_assign(actor, locked):
            raise WorkflowError(
                _("Pengaduan berstatus “%(status)s” tidak dapat ditugaskan.")
                % {"status": locked.get_status_display()}
            )
        locked.assigned_unit = unit
        locked.assignee = assignee
        locked.assigned_at = timezone.now()
        locked.save(update_fields=["assigned_unit", "assignee", "assigned_at", "updated_at"])
        parts = []
        if unit is not None:
            parts.append(str(_("Unit: %(unit)s") % {"unit": unit.name}))
        if assignee is not None:
            parts.append(str(_("Petugas: %(person)s") % {"person": assignee}))
        if note.strip():
            parts.append(note.strip())
        audit_record(
            actor=actor, action="assign", obj=locked, note="\n".join(parts), unit=_audit_unit(locked)
        )
        notification_queue(complaint=locked, event=NotificationEvent.ASSIGNED, audience=Audience.ASSIGNEE)
    return locked


def complaint_report(*, complaint: Complaint, actor: User, note: str) -> ComplaintMessage:
    """An internal follow-up report by the assignee or an officer."""
    if not policy.can_act(actor, complaint, policy.REPORT):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise WorkflowError(_("Tuliskan laporan tindak lanjut."))
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint, kind=MessageKind.PROGRESS, body=note, is_public=False, author=actor
        )
        audit_record(actor=actor, action="report", obj=complaint, note=note, unit=_audit_unit(complaint))
        notification_queue(complaint=complaint, event=NotificationEvent.PROGRESS, audience=Audience.OFFICERS)
    return message


def complaint_add_information(
    *, complaint: Complaint, text: str, attachments: Iterable = ()
) -> ComplaintMessage:
    """The complainant adds details (often after a request on hold) from the
    tracking page; the officers are told."""
    text = (text or "").strip()
    uploads = list(attachments)
    if not text and not uploads:
        raise ValidationError(_("Tuliskan informasi tambahan atau lampirkan berkas."))
    check_attachments(uploads)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status not in INFORMATION_STATUSES:
            raise WorkflowError(
                _("Pengaduan berstatus “%(status)s” tidak dapat ditambah informasinya.")
                % {"status": locked.get_status_display()}
            )
        message = ComplaintMessage.objects.create(
            complaint=locked,
            kind=MessageKind.INFORMATION,
            body=text or str(_("(lampiran tambahan)")),
            is_public=True,
        )
        for upload in uploads:
            attachment_store(complaint=locked, upload=upload, message=message)
        audit_record(actor=None, action="add_information", obj=locked, unit=_audit_unit(locked))
        notification_queue(
            complaint=locked, event=NotificationEvent.INFORMATION_ADDED, audience=Audience.OFFICERS
        )
        if locked.assignee_id or locked.assigned_unit_id:
            notification_queue(
                complaint=locked, event=NotificationEvent.INFORMATION_ADDED, audience=Audience.ASSIGNEE
            )
    return message


def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    """The complainant rates the answer, once."""
    if rating not in range(1, 6):
        raise ValidationError(_("Pilih nilai 1 sampai 5."))
    with transaction.atomic():
        # One conditional UPDATE: two submissions at once cannot both rate.
        rated = Complaint.objects.filter(
            pk=complaint.pk, rating__isnull=True, status__in=RATEABLE_STATUSES
        ).update(rating=rating, rating_comment=(comment or "").strip(), rated_at=timezone.now())
        if not rated:
            raise WorkflowError(_("Jawaban pengaduan ini sudah dinilai atau belum dapat dinilai."))
        complaint = Complaint.objects.select_related("unit", "office").get(pk=complaint.pk)
        audit_record(
            actor=None,
            action="rate",
            obj=complaint,
            note=str(_("Nilai %(rating)s dari 5") % {"rating": rating}),
            unit=_audit_unit(complaint),
        )
        notification_queue(complaint=complaint, event=NotificationEvent.RATED, audience=Audience.OFFICERS)
    return complaint


# --- Sweeps run by the beat scheduler (see dumas.tasks) ---------------------------


def complaint_autoclose(*, complaint_id: int, now: datetime | None = None) -> bool:
    """Close an answered complaint the complainant has left alone for
    ``DUMAS_AUTOCLOSE_DAYS`` days; safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DUMAS_AUTOCLOSE_DAYS)
    with transaction.atomic():
        complaint = transition_claim(
            Complaint.objects.filter(status_changed_at__lte=cutoff),
            complaint_id,
            ComplaintAction.CLOSE,
            machine=COMPLAINT_TRANSITIONS,
            changes={"closed_at": now},
            now=now,
            note=str(_("Ditutup otomatis: tidak ada tanggapan pelapor setelah dijawab.")),
            load=Complaint.objects.select_related("unit", "office"),
        )
        if complaint is None:
            return False
        notification_queue(
            complaint=complaint,
            event=NotificationEvent.STATUS_CHANGED,
            audience=Audience.COMPLAINANT,
            payload={"action": ComplaintAction.CLOSE, "status": ComplaintStatus.CLOSED},
        )
    return True


def complaint_remind_overdue(*, complaint_id: int, now: datetime | None = None) -> bool:
    """Tell the officers (and the assignee) once that the current stage of a
    complaint is past its deadline; safe to run twice."""
    now = now or timezone.now()
    complaint = Complaint.objects.select_related("unit").filter(pk=complaint_id).first()
    if complaint is None or not complaint.is_overdue(now):
        return False
    stage_label = complaint.current_deadline()[0]
    with transaction.atomic():
        won = (
            Complaint.objects.filter(pk=complaint_id, status=complaint.status)
            .exclude(reminded_stage=complaint.status)
            .update(reminded_stage=complaint.status)
        )
        if not won:
            return False
        payload = {"stage_label": stage_label}
        notification_queue(
            complaint=complaint, event=NotificationEvent.OVERDUE, audience=Audience.OFFICERS, payload=payload
        )
        if complaint.assignee_id or complaint.assigned_unit_id:
            notification_queue(
                complaint=complaint,
                event=NotificationEvent.OVERDUE,
                audience=Audience.ASSIGNEE,
                payload=payload,
            )
    return True


# --- Reading the identity, QR locations ------------------------------------------------


@sensitive_variables()
def complaint_identity_view(*, complaint: Complaint, actor: User) -> dict[str, str]:
    """The complainant's name and contacts for someone allowed to see them.

    Revealing a confidential identity is logged (who, when; never what), so
    that the office can answer for every look at it (UU 27/2022).
    """
    if not policy.can_view_identity(actor, complaint):
        raise PermissionDenied
    if complaint.identity_mode == IdentityMode.CONFIDENTIAL:
        audit_record(actor=actor, action="view_identity", obj=complaint, unit=_audit_unit(complaint))
    return {
        "name": complaint.reporter_name,
        "email": complaint.reporter_email,
        "phone": complaint.reporter_phone,
    }


def location_create(*, actor: User, unit: WorkUnit, name: str) -> ComplaintLocation:
    """A new QR location; raises ``IntegrityError`` if the unit already has
    one by that name."""
    if not policy.can_manage_locations(actor, unit):
        raise PermissionDenied
    location = ComplaintLocation.objects.create(unit=unit, name=name.strip(), created_by=actor)
    audit_record(actor=actor, action="create", obj=location, unit=unit, note=location.name)
    return location


def location_set_active(*, location: ComplaintLocation, actor: User, active: bool) -> ComplaintLocation:
    """Switch a poster's code off (a poster torn down) or on again; a
    switched-off code still opens the unit's form, as a plain web complaint."""
    if not policy.can_manage_locations(actor, location.unit):
        raise PermissionDenied
    updated = ComplaintLocation.objects.filter(pk=location.pk, is_active=not active).update(is_active=active)
    if updated:
        location.is_active = active
        audit_record(
            actor=actor,
            action="activate" if active else "deactivate",
            obj=location,
            unit=location.unit,
            note=location.name,
        )
    return location
