"""Every write of the PPID app, one function per action.

Each service checks permission (``ppid.policy``); every status change runs
through the portal's transition engine (``humas_portal.core.workflow``) with
the tables of ``ppid.workflow``, which checks the current state under a row
lock and appends the audit row in the same transaction. Emails are queued
with ``delay_on_commit`` so nothing is sent for a change that did not
happen.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from humas_portal.core.audit import audit_record
from humas_portal.core.crypto import blind_index, decrypt_bytes, encrypt_bytes
from humas_portal.core.models import User, WorkUnit
from humas_portal.core.workdays import add_working_days
from humas_portal.core.workflow import WorkflowError, transition_apply, transition_claim

from . import policy
from .files import CheckedFile, check_document_upload, check_identity_upload
from .letters import long_date, render_notice_pdf
from .models import (
    AnnualReport,
    AnswerForm,
    Decision,
    DeliveryMethod,
    DipCategory,
    DipDocument,
    DipEntry,
    ExemptionGround,
    IdentityDocument,
    IdentityDocumentKind,
    Notice,
    NoticeKind,
    Objection,
    ObjectionGround,
    ObjectionOutcome,
    ObtainMethod,
    PpidCounter,
    PpidOfficial,
    PpidProfile,
    PpidRequest,
    RequestAttachment,
    RequesterKind,
    RequestRedaction,
    RequestStatus,
    local_today,
)
from .validators import normalise_entity_number, normalise_nik
from .workflow import OBJECTION_TRANSITIONS, REQUEST_TRANSITIONS

logger = logging.getLogger(__name__)

# --- Transitions ---------------------------------------------------------------


def request_allows(request: PpidRequest, action: str) -> bool:
    return REQUEST_TRANSITIONS.allows(request.status, action)


def objection_allows(objection: Objection, action: str) -> bool:
    return OBJECTION_TRANSITIONS.allows(objection.status, action)


# --- Numbers and tokens --------------------------------------------------------


def _next_sequence(*, unit: WorkUnit, year: int, series: str) -> int:
    """The next number of a series; call inside a transaction.

    The counter row is created if missing (a conflict with a concurrent
    creator is ignored) and then locked, so concurrent submissions to the
    same unit and year are numbered one after the other.
    """
    PpidCounter.objects.bulk_create(
        [PpidCounter(unit=unit, year=year, series=series, last_value=0)], ignore_conflicts=True
    )
    counter = PpidCounter.objects.select_for_update().get(unit=unit, year=year, series=series)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    # 32 random bytes: 256 bits, far beyond guessing.
    return secrets.token_urlsafe(32)


def ppid_request_by_token(token: str) -> PpidRequest | None:
    """The request a tracking link opens, or None."""
    if not token or len(token) < 32 or len(token) > 128:
        return None
    return PpidRequest.objects.select_related("unit").filter(tracking_token_hash=hash_token(token)).first()


def _queue_email(request_id: int, kind: str, key: str = "") -> None:
    from .tasks import send_request_email

    send_request_email.delay_on_commit(request_id, kind, key)


# --- Submitting ----------------------------------------------------------------


@dataclass(frozen=True)
class SubmittedRequest:
    request: PpidRequest
    token: str


def _store_identity_document(request: PpidRequest, kind: str, checked: CheckedFile) -> IdentityDocument:
    document = IdentityDocument(
        request=request,
        kind=kind,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.content.size,
    )
    encrypted = ContentFile(encrypt_bytes(checked.content.read()))
    # A random name: the original may itself be personal ("KTP Budi.jpg").
    document.file.save(f"{document.public_id.hex}.bin", encrypted, save=False)
    document.save()
    return document


def ppid_request_submit(
    *,
    unit: WorkUnit,
    requester_kind: str,
    name: str,
    identity_number: str,
    address: str,
    phone: str,
    email: str,
    information_requested: str,
    purpose: str,
    obtain_method: str,
    delivery_method: str,
    identity_document,
    via_proxy: bool = False,
    proxy_name: str = "",
    proxy_identity_number: str = "",
    power_of_attorney=None,
) -> SubmittedRequest:
    """Register a request from the public and return it with its tracking
    token (shown once, and emailed; only its hash is looked up).

    The registration number ``<unit code>/PPID/<year>/<sequence>`` is issued
    under a lock on the unit's counter for the year.
    """
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not PpidProfile.objects.published().filter(unit=unit).exists():
        raise WorkflowError(_("Unit ini belum membuka layanan permohonan informasi."))
    if requester_kind not in RequesterKind.values:
        fail("requester_kind", _("Pilih jenis pemohon."))
    try:
        if requester_kind == RequesterKind.LEGAL_ENTITY:
            identity_number = normalise_entity_number(identity_number)
        else:
            identity_number = normalise_nik(identity_number)
    except ValidationError as exc:
        fail("identity_number", exc.messages[0])
    if via_proxy:
        if not proxy_name.strip():
            fail("proxy_name", _("Isi nama penerima kuasa."))
        try:
            proxy_identity_number = normalise_nik(proxy_identity_number)
        except ValidationError as exc:
            fail("proxy_identity_number", exc.messages[0])
        if power_of_attorney is None:
            fail("power_of_attorney", _("Unggah surat kuasa."))
    else:
        proxy_name, proxy_identity_number, power_of_attorney = "", "", None
    for field, value, message in (
        ("name", name, _("Isi nama pemohon.")),
        ("address", address, _("Isi alamat pemohon.")),
        ("information_requested", information_requested, _("Tuliskan informasi yang dibutuhkan.")),
        ("purpose", purpose, _("Tuliskan tujuan penggunaan informasi.")),
    ):
        if not (value or "").strip():
            fail(field, message)
    if not (phone or "").strip() and not (email or "").strip():
        fail("email", _("Isi nomor telepon atau alamat email agar kami dapat menghubungi Anda."))
    if delivery_method == DeliveryMethod.EMAIL and not (email or "").strip():
        fail("email", _("Isi alamat email untuk menerima salinan informasi melalui email."))
    if obtain_method not in ObtainMethod.values:
        fail("obtain_method", _("Pilih cara memperoleh informasi."))
    if delivery_method not in DeliveryMethod.values:
        fail("delivery_method", _("Pilih cara mendapatkan salinan informasi."))
    checked_identity = checked_proxy = None
    if identity_document is None:
        fail("identity_document", _("Unggah pindaian KTP atau akta badan hukum."))
    else:
        try:
            checked_identity = check_identity_upload(identity_document)
        except ValidationError as exc:
            fail("identity_document", exc.messages[0])
    if power_of_attorney is not None:
        try:
            checked_proxy = check_identity_upload(power_of_attorney)
        except ValidationError as exc:
            fail("power_of_attorney", exc.messages[0])
    if errors:
        raise ValidationError(errors)

    token = _new_token()
    now = timezone.now()
    received_on = timezone.localdate(now, timezone=unit.tzinfo)
    with transaction.atomic():
        sequence = _next_sequence(unit=unit, year=received_on.year, series="permohonan")
        request = PpidRequest.objects.create(
            unit=unit,
            registration_number=f"{unit.code}/PPID/{received_on.year}/{sequence:04d}",
            year=received_on.year,
            sequence=sequence,
            tracking_token_hash=hash_token(token),
            tracking_token_encrypted=token,
            requester_kind=requester_kind,
            name=name.strip(),
            identity_number=identity_number,
            identity_number_index=blind_index(identity_number),
            address=address.strip(),
            phone=phone.strip(),
            email=email.strip().lower(),
            via_proxy=via_proxy,
            proxy_name=proxy_name.strip(),
            proxy_identity_number=proxy_identity_number,
            information_requested=information_requested.strip(),
            purpose=purpose.strip(),
            obtain_method=obtain_method,
            delivery_method=delivery_method,
            received_at=now,
            received_on=received_on,
            due_on=add_working_days(received_on, settings.PPID_RESPONSE_WORKING_DAYS),
        )
        _store_identity_document(request, IdentityDocumentKind.IDENTITY, checked_identity)
        if checked_proxy is not None:
            _store_identity_document(request, IdentityDocumentKind.POWER_OF_ATTORNEY, checked_proxy)
        audit_record(actor=None, action="submit", obj=request, to_state=request.status)
        _queue_email(request.pk, "received")
        _queue_email(request.pk, "staff_new")
    return SubmittedRequest(request=request, token=token)


def ppid_tracking_link_reissue(*, registration_number: str, email: str) -> bool:
    """Send a fresh tracking link to the address a request was filed with,
    retiring the old link. The caller shows the same message whether or not
    anything matched, so the form reveals nothing about who asked what."""
    email = (email or "").strip().lower()
    if not email:
        return False
    with transaction.atomic():
        request = (
            PpidRequest.objects.select_for_update()
            .filter(registration_number=(registration_number or "").strip().upper(), email=email)
            .first()
        )
        if request is None:
            return False
        token = _new_token()
        request.tracking_token_hash = hash_token(token)
        request.tracking_token_encrypted = token
        request.save(update_fields=["tracking_token_hash", "tracking_token_encrypted"])
        audit_record(actor=None, action="link_reissue", obj=request)
        _queue_email(request.pk, "link_reissued", request.tracking_token_hash[:16])
    return True


# --- Notices -------------------------------------------------------------------

_NOTICE_SUFFIX = {NoticeKind.EXTENSION: "PP", NoticeKind.DECISION: "PT", NoticeKind.OBJECTION_ANSWER: "TK"}


def _issue_notice(request: PpidRequest, kind: str, *, issued_on: date, actor: User | None) -> Notice:
    number = f"{request.registration_number}/{_NOTICE_SUFFIX[kind]}"
    pdf = render_notice_pdf(request=request, kind=kind, number=number, issued_on=issued_on, actor=actor)
    notice = Notice(request=request, kind=kind, number=number)
    notice.file.save(f"{notice.public_id.hex}.pdf", ContentFile(pdf), save=False)
    notice.save()
    return notice


def notice_pdf(notice: Notice) -> bytes:
    with notice.file.open("rb") as handle:
        return handle.read()


# --- Staff: extend and answer --------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def _staff_rows():
    return PpidRequest.objects.select_related("unit")


def ppid_request_extend(*, request: PpidRequest, actor: User, reason: str) -> PpidRequest:
    """Extend the deadline once by 7 working days counted from the end of the
    first 10 (UU 14/2008 Pasal 22 ayat 8), with a written reason, before the
    first deadline has passed."""
    reason = (reason or "").strip()

    def validate() -> None:
        if not reason:
            raise ValidationError({"reason": [_("Tuliskan alasan perpanjangan.")]})

    def before_the_deadline(locked: PpidRequest) -> None:
        if local_today(locked.unit) > locked.due_on:
            raise WorkflowError(
                _(
                    "Batas waktu %(days)s hari kerja sudah lewat; perpanjangan harus diberitahukan sebelum batas itu."
                )
                % {"days": settings.PPID_RESPONSE_WORKING_DAYS}
            )

    def notify(locked: PpidRequest) -> None:
        _issue_notice(locked, NoticeKind.EXTENSION, issued_on=local_today(locked.unit), actor=actor)
        _queue_email(locked.pk, "extended")

    return transition_apply(
        request,
        "extend",
        machine=REQUEST_TRANSITIONS,
        actor=actor,
        permitted=policy.can_handle_request,
        note=reason,
        validate=validate,
        check=before_the_deadline,
        changes=lambda locked, now: {
            "extended_due_on": add_working_days(locked.due_on, settings.PPID_EXTENSION_WORKING_DAYS),
            "extension_reason": reason,
            "extended_at": now,
        },
        effects=notify,
        queryset=_staff_rows(),
    )


@dataclass(frozen=True)
class RedactionInput:
    part: str
    ground: str
    reason: str


def _validate_answer(
    *,
    decision: str,
    answer_form: str,
    refusal_ground: str,
    consequence_test: str,
    holder_info: str,
    redactions: Sequence[RedactionInput],
    files: Sequence,
) -> None:
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [_("Pilih keputusan.")]
    if decision in (Decision.ACCEPTED, Decision.PARTIAL) and answer_form not in AnswerForm.values:
        errors["answer_form"] = [_("Pilih bentuk informasi yang diberikan.")]
    if decision == Decision.PARTIAL:
        if not redactions:
            errors.setdefault("__all__", []).append(
                _("Informasi yang diberikan sebagian memerlukan alasan untuk setiap bagian yang dihitamkan.")
            )
        for redaction in redactions:
            if (
                not (redaction.part.strip() and redaction.reason.strip())
                or redaction.ground not in ExemptionGround.values
            ):
                errors.setdefault("__all__", []).append(
                    _("Setiap penghitaman memerlukan bagian, dasar pengecualian dan alasan.")
                )
                break
    if decision == Decision.REFUSED:
        if refusal_ground not in ExemptionGround.values:
            errors["refusal_ground"] = [_("Pilih dasar pengecualian Pasal 17 (huruf a–j).")]
        if not consequence_test.strip():
            errors["consequence_test"] = [_("Penolakan wajib disertai uji konsekuensi.")]
    if decision == Decision.NOT_HELD and not holder_info.strip():
        errors["holder_info"] = [
            _("Sebutkan badan publik yang menguasai informasi, atau tulis bahwa tidak diketahui.")
        ]
    if decision in (Decision.REFUSED, Decision.NOT_HELD) and files:
        errors["files"] = [_("Berkas hanya dilampirkan bila informasi diberikan.")]
    if errors:
        raise ValidationError(errors)


def ppid_request_answer(
    *,
    request: PpidRequest,
    actor: User,
    decision: str,
    answer_note: str = "",
    answer_form: str = "",
    answer_format: str = "",
    fee_amount: int = 0,
    fee_note: str = "",
    refusal_ground: str = "",
    consequence_test: str = "",
    holder_info: str = "",
    redactions: Sequence[RedactionInput] = (),
    files: Iterable = (),
) -> PpidRequest:
    """Give the written notice: accepted, accepted in part (a reason per
    redaction), refused (Pasal 17 ground and consequence test) or not held
    (and who holds it), with the files; the PDF letter goes to the
    requester. A late answer is still accepted and shows as late."""
    files = list(files)
    checked_files: list[CheckedFile] = []

    def validate() -> None:
        _validate_answer(
            decision=decision,
            answer_form=answer_form,
            refusal_ground=refusal_ground,
            consequence_test=consequence_test,
            holder_info=holder_info,
            redactions=redactions,
            files=files,
        )
        for upload in files:
            try:
                checked_files.append(
                    check_document_upload(upload, max_bytes=settings.PPID_ATTACHMENT_MAX_UPLOAD_BYTES)
                )
            except ValidationError as exc:
                raise ValidationError(
                    {"files": [f"{getattr(upload, 'name', '')}: {exc.messages[0]}"]}
                ) from exc

    keeps_detail = decision in (Decision.ACCEPTED, Decision.PARTIAL)

    def changes(locked: PpidRequest, now) -> dict:
        return {
            "decision": decision,
            "decided_at": now,
            "decided_on": timezone.localdate(now, timezone=locked.unit.tzinfo),
            "decided_by": actor,
            "answer_note": answer_note.strip(),
            "answer_form": answer_form if keeps_detail else "",
            "answer_format": answer_format.strip() if keeps_detail else "",
            "fee_amount": max(int(fee_amount or 0), 0) if keeps_detail else 0,
            "fee_note": fee_note.strip() if keeps_detail else "",
            "refusal_ground": refusal_ground if decision == Decision.REFUSED else "",
            "consequence_test": consequence_test.strip() if decision == Decision.REFUSED else "",
            "holder_info": holder_info.strip() if decision == Decision.NOT_HELD else "",
        }

    def effects(locked: PpidRequest) -> None:
        if decision == Decision.PARTIAL:
            RequestRedaction.objects.bulk_create(
                RequestRedaction(
                    request=locked, part=r.part.strip(), ground=r.ground, reason=r.reason.strip()
                )
                for r in redactions
            )
        for checked in checked_files:
            attachment = RequestAttachment(
                request=locked,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.content.size,
                uploaded_by=actor,
            )
            extension = checked.original_name.rsplit(".", 1)[-1].lower()
            attachment.file.save(f"{attachment.public_id.hex}.{extension}", checked.content, save=False)
            attachment.save()
        _issue_notice(locked, NoticeKind.DECISION, issued_on=locked.decided_on, actor=actor)
        _queue_email(locked.pk, "answered")

    return transition_apply(
        request,
        "answer",
        machine=REQUEST_TRANSITIONS,
        actor=actor,
        permitted=policy.can_handle_request,
        validate=validate,
        changes=changes,
        effects=effects,
        audit_note=lambda locked: locked.get_decision_display(),
        queryset=_staff_rows(),
    )


# --- Objections ----------------------------------------------------------------


def ppid_objection_file(*, request: PpidRequest, grounds: Sequence[str], reasons: str) -> Objection:
    """File a keberatan from the tracking page (the tracking link is the
    requester's authority). Open for 30 working days from the written notice,
    or from the deadline a request was left unanswered past."""
    grounds = sorted({g for g in grounds if g in ObjectionGround.values})
    errors: dict[str, list[str]] = {}
    if not grounds:
        errors["grounds"] = [_("Pilih sekurang-kurangnya satu alasan keberatan.")]
    if not (reasons or "").strip():
        errors["reasons"] = [_("Uraikan kasus posisi keberatan Anda.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = PpidRequest.objects.select_for_update().select_related("unit").get(pk=request.pk)
        today = local_today(locked.unit)
        state = locked.objection_state(today)
        if state == "filed":
            raise WorkflowError(_("Keberatan untuk permohonan ini sudah diajukan."))
        if state == "not_yet":
            raise WorkflowError(
                _(
                    "Keberatan dapat diajukan setelah ada pemberitahuan tertulis atau setelah batas waktu jawaban lewat."
                )
            )
        if state == "closed":
            raise WorkflowError(
                _("Jangka waktu pengajuan keberatan (%(days)s hari kerja) sudah berakhir pada %(date)s.")
                % {
                    "days": settings.PPID_OBJECTION_FILING_WORKING_DAYS,
                    "date": long_date(locked.objection_window(today)[1]),
                }
            )
        sequence = _next_sequence(unit=locked.unit, year=today.year, series="keberatan")
        objection = Objection.objects.create(
            request=locked,
            registration_number=f"{locked.unit.code}/KEB/{today.year}/{sequence:04d}",
            grounds=grounds,
            reasons=reasons.strip(),
            filed_on=today,
            due_on=add_working_days(today, settings.PPID_OBJECTION_RESPONSE_WORKING_DAYS),
        )
        audit_record(
            actor=None, action="objection_file", obj=objection, unit=locked.unit, to_state=objection.status
        )
        audit_record(actor=None, action="objection_file", obj=locked, note=objection.registration_number)
        _queue_email(locked.pk, "objection_filed")
        _queue_email(locked.pk, "objection_staff")
    return objection


def ppid_objection_answer(*, objection: Objection, actor: User, outcome: str, answer: str) -> Objection:
    """The Atasan PPID's written answer to an objection, within 30 working
    days; the letter tells the requester they may go to the Komisi
    Informasi within 14 working days."""
    answer = (answer or "").strip()

    def validate() -> None:
        errors: dict[str, list[str]] = {}
        if outcome not in ObjectionOutcome.values:
            errors["outcome"] = [_("Pilih putusan atas keberatan.")]
        if not answer:
            errors["answer"] = [_("Tuliskan tanggapan atas keberatan.")]
        if errors:
            raise ValidationError(errors)

    def changes(locked: Objection, now) -> dict:
        return {
            "outcome": outcome,
            "answer": answer,
            "answered_at": now,
            "answered_on": timezone.localdate(now, timezone=locked.request.unit.tzinfo),
            "answered_by": actor,
        }

    def effects(locked: Objection) -> None:
        request = locked.request
        request.objection = locked
        audit_record(actor=actor, action="objection_answer", obj=request, note=locked.get_outcome_display())
        _issue_notice(request, NoticeKind.OBJECTION_ANSWER, issued_on=locked.answered_on, actor=actor)
        _queue_email(request.pk, "objection_answered")

    return transition_apply(
        objection,
        "answer",
        machine=OBJECTION_TRANSITIONS,
        actor=actor,
        permitted=policy.can_decide_objection,
        validate=validate,
        changes=changes,
        effects=effects,
        audit_note=lambda locked: locked.get_outcome_display(),
        queryset=Objection.objects.select_related("request__unit"),
    )


# --- System: closing and purging -----------------------------------------------


def settles_on(request: PpidRequest) -> date | None:
    """The last day anything can still happen to an answered request: the
    end of the objection window, or of the Komisi Informasi window after the
    Atasan's answer. None while an objection waits for its answer."""
    if request.status != RequestStatus.ANSWERED:
        return None
    objection = getattr(request, "objection", None)
    if objection is None:
        window = request.objection_window(request.decided_on)
        return window[1] if window else None
    if objection.answered_on is None:
        return None
    return add_working_days(objection.answered_on, settings.PPID_KOMISI_INFORMASI_WORKING_DAYS)


def ppid_request_close(*, request_id: int) -> bool:
    """Close an answered request once nothing can follow any more; safe to
    run twice (the conditional update lets one caller win)."""
    request = PpidRequest.objects.select_related("unit", "objection").filter(pk=request_id).first()
    if request is None:
        return False
    last_day = settles_on(request)
    if last_day is None or local_today(request.unit) <= last_day:
        return False
    closed = transition_claim(
        PpidRequest, request_id, "close", machine=REQUEST_TRANSITIONS, changes={"closed_at": timezone.now()}
    )
    return closed is not None


def ppid_identity_purge(*, request_id: int) -> bool:
    """Erase the NIK / entity numbers and the identity documents of a request
    closed longer than ``PPID_IDENTITY_RETENTION_DAYS`` ago."""
    cutoff = timezone.now() - timedelta(days=settings.PPID_IDENTITY_RETENTION_DAYS)
    with transaction.atomic():
        won = (
            PpidRequest.objects.identity_purgeable(cutoff)
            .filter(pk=request_id)
            .update(
                identity_number="",
                identity_number_index="",
                proxy_identity_number="",
                identity_purged_at=timezone.now(),
            )
        )
        if not won:
            return False
        request = PpidRequest.objects.get(pk=request_id)
        documents = list(request.identity_documents.all())
        names = [document.file.name for document in documents]
        IdentityDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
        audit_record(actor=None, action="identity_purge", obj=request, note=str(len(names)))

        def delete_files():
            storage = IdentityDocument._meta.get_field("file").storage
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return True


# --- Identity data -------------------------------------------------------------


@dataclass(frozen=True)
class RevealedIdentity:
    identity_number: str
    proxy_identity_number: str


def ppid_identity_reveal(*, request: PpidRequest, actor: User) -> RevealedIdentity:
    """The full identity numbers, for the unit's own PPID; every look is
    logged (UU 27/2022: a breach must be traceable)."""
    _require(policy.can_view_identity(actor, request))
    audit_record(actor=actor, action="identity_view", obj=request)
    return RevealedIdentity(request.identity_number or "", request.proxy_identity_number or "")


def ppid_identity_document_open(*, document: IdentityDocument, actor: User) -> bytes:
    """The decrypted bytes of an identity document; logged like a reveal."""
    _require(policy.can_view_identity(actor, document.request))
    audit_record(
        actor=actor,
        action="identity_document_view",
        obj=document.request,
        note=document.get_kind_display(),
    )
    with document.file.open("rb") as handle:
        return decrypt_bytes(handle.read())


# --- The PPID page -------------------------------------------------------------


@dataclass(frozen=True)
class OfficialInput:
    ppid_position: str
    name: str
    office_title: str = ""


PROFILE_FIELDS = (
    "is_published",
    "profile",
    "service_procedure",
    "service_hours",
    "service_fees",
    "website",
    "signatory_name",
    "signatory_title",
)


def ppid_profile_save(
    *, unit: WorkUnit, actor: User, data: Mapping, officials: Sequence[OfficialInput]
) -> PpidProfile:
    """Create or update the unit's PPID page and replace its officials."""
    _require(policy.can_manage_unit(actor, unit))
    with transaction.atomic():
        profile, created = PpidProfile.objects.select_for_update().get_or_create(unit=unit)
        for field in PROFILE_FIELDS:
            if field in data:
                setattr(profile, field, data[field])
        profile.full_clean()
        profile.save()
        profile.officials.all().delete()
        PpidOfficial.objects.bulk_create(
            PpidOfficial(
                profile=profile,
                ppid_position=o.ppid_position.strip(),
                name=o.name.strip(),
                office_title=o.office_title.strip(),
                order=index,
            )
            for index, o in enumerate(officials)
            if o.name.strip() and o.ppid_position.strip()
        )
        audit_record(
            actor=actor, action="profile_create" if created else "profile_update", obj=profile, unit=unit
        )
    return profile


DIP_FIELDS = (
    "category",
    "title",
    "summary",
    "holder",
    "responsible",
    "made_when",
    "made_where",
    "form_available",
    "retention_period",
    "exemption_ground",
    "legal_basis",
    "consequence_test",
    "exemption_period",
    "is_published",
    "order",
)


def dip_entry_errors(data: Mapping) -> dict[str, list[str]]:
    """What an exempt entry must carry (Pasal 17 ground, consequence test);
    shared with the form so the person editing sees it on the field."""
    errors: dict[str, list[str]] = {}
    if data.get("category") == DipCategory.DIKECUALIKAN:
        if data.get("exemption_ground") not in ExemptionGround.values:
            errors["exemption_ground"] = [_("Informasi yang dikecualikan wajib menyebut dasar Pasal 17.")]
        if not (data.get("consequence_test") or "").strip():
            errors["consequence_test"] = [_("Informasi yang dikecualikan wajib disertai uji konsekuensi.")]
    return errors


def ppid_dip_entry_save(
    *, unit: WorkUnit, actor: User, data: Mapping, entry: DipEntry | None = None
) -> DipEntry:
    """Create or update a DIP entry. An exempt entry needs its Pasal 17
    ground and consequence test; reclassifying an entry as exempt makes its
    documents unreachable at once (the download view checks the category)."""
    _require(policy.can_manage_unit(actor, unit))
    if entry is not None and entry.unit_id != unit.pk:
        raise PermissionDenied
    errors = dip_entry_errors(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = entry is None
        entry = entry or DipEntry(unit=unit)
        from_state = "" if created else entry.category
        for field in DIP_FIELDS:
            if field in data:
                setattr(entry, field, data[field])
        if entry.category != DipCategory.DIKECUALIKAN:
            entry.exemption_ground = ""
        entry.full_clean()
        entry.save()
        audit_record(
            actor=actor,
            action="dip_create" if created else "dip_update",
            obj=entry,
            from_state=from_state,
            to_state=entry.category,
        )
    return entry


def ppid_dip_entry_delete(*, entry: DipEntry, actor: User) -> None:
    _require(policy.can_manage_unit(actor, entry.unit))
    with transaction.atomic():
        names = [d.file.name for d in entry.documents.all()]
        audit_record(actor=actor, action="dip_delete", obj=entry, from_state=entry.category)
        entry.delete()
        storage = DipDocument._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def ppid_dip_document_add(*, entry: DipEntry, actor: User, title: str, upload) -> DipDocument:
    _require(policy.can_manage_unit(actor, entry.unit))
    if entry.is_exempt:
        raise WorkflowError(_("Informasi yang dikecualikan tidak boleh memiliki dokumen unduhan."))
    checked = check_document_upload(upload, max_bytes=settings.PPID_DIP_MAX_UPLOAD_BYTES)
    with transaction.atomic():
        document = DipDocument(
            entry=entry,
            title=(title or "").strip() or checked.original_name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.content.size,
        )
        extension = checked.original_name.rsplit(".", 1)[-1].lower()
        document.file.save(f"{document.public_id.hex}.{extension}", checked.content, save=False)
        document.save()
        audit_record(actor=actor, action="dip_document_add", obj=entry, note=document.title)
    return document


def ppid_dip_document_delete(*, document: DipDocument, actor: User) -> None:
    entry = document.entry
    _require(policy.can_manage_unit(actor, entry.unit))
    with transaction.atomic():
        name = document.file.name
        audit_record(actor=actor, action="dip_document_delete", obj=entry, note=document.title)
        document.delete()
        storage = DipDocument._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


# --- Annual report -------------------------------------------------------------


def ppid_report_publish(
    *,
    unit: WorkUnit,
    year: int,
    actor: User,
    overview: str = "",
    constraints_text: str = "",
    recommendations: str = "",
    komisi_disputes: int = 0,
) -> AnnualReport:
    """Publish (or republish, as a correction) the yearly report with the
    figures as they stand now, frozen into the report."""
    from .reports import build_report_stats

    _require(policy.can_publish_report(actor, unit))
    if year > timezone.localdate(timezone=unit.tzinfo).year:
        raise WorkflowError(_("Laporan tahun yang belum berjalan tidak dapat diterbitkan."))
    stats = build_report_stats(unit=unit, year=year)
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(unit=unit, year=year)
        was_published = report.published_at is not None
        report.overview = overview.strip()
        report.constraints_text = constraints_text.strip()
        report.recommendations = recommendations.strip()
        report.komisi_disputes = max(int(komisi_disputes or 0), 0)
        stats["komisi_disputes"] = report.komisi_disputes
        report.stats = stats
        report.published_at = timezone.now()
        report.published_by = actor
        report.save()
        audit_record(
            actor=actor,
            action="report_republish" if was_published else "report_publish",
            obj=report,
            unit=unit,
            to_state="published",
        )
    return report
