"""What a complaint is and how it moves: kinds, channels, statuses and the
transition table, declared once.

The statuses follow SP4N-LAPOR!: a complaint is received, verified (or put on
hold for missing information, declared not our authority, or archived),
followed up, answered and closed. Every service in ``dumas.services`` that
changes the status goes through ``COMPLAINT_TRANSITIONS`` (a core
``StateMachine``, run by ``humas_portal.core.workflow``); nothing else
decides which move is allowed from where.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from humas_portal.core.workflow import StateMachine, Transition


class ComplaintKind(models.TextChoices):
    PENGADUAN = "pengaduan", _("Pengaduan")
    ASPIRASI = "aspirasi", _("Aspirasi")
    INFORMASI = "informasi", _("Permintaan informasi")
    WHISTLEBLOWING = "whistleblowing", _("Pelaporan pelanggaran (whistleblowing)")


class Violation(models.TextChoices):
    """What a whistleblowing report is about (KMA 95/2014)."""

    PUNGLI = "pungli", _("Pungutan liar (pungli)")
    GRATIFIKASI = "gratifikasi", _("Gratifikasi")
    PENYALAHGUNAAN_WEWENANG = "penyalahgunaan_wewenang", _("Penyalahgunaan wewenang")
    KORUPSI = "korupsi", _("Korupsi")
    DISIPLIN_ASN = "disiplin_asn", _("Pelanggaran disiplin ASN")


class IdentityMode(models.TextChoices):
    IDENTIFIED = "identified", _("Identitas terbuka")
    CONFIDENTIAL = "confidential", _("Rahasia")
    ANONYMOUS = "anonymous", _("Anonim")


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    QR = "qr", _("Kode QR di lokasi")
    PTSP = "ptsp", _("Meja PTSP")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Telepon")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Surat")


# Channels the public uses by themselves; the others are recorded by staff.
PUBLIC_CHANNELS = frozenset({Channel.WEB, Channel.QR})
STAFF_CHANNELS = frozenset(set(Channel) - PUBLIC_CHANNELS)


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFIED = "verified", _("Terverifikasi")
    ON_HOLD = "on_hold", _("Ditunda, menunggu kelengkapan")
    NOT_AUTHORITY = "not_authority", _("Bukan kewenangan")
    ARCHIVED = "archived", _("Diarsipkan")
    IN_FOLLOW_UP = "in_follow_up", _("Dalam tindak lanjut")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", _("Selesai")


class ComplaintAction(models.TextChoices):
    VERIFY = "verify", _("Verifikasi")
    HOLD = "hold", _("Tunda dan minta kelengkapan")
    REJECT_AUTHORITY = "reject_authority", _("Nyatakan bukan kewenangan")
    ARCHIVE = "archive", _("Arsipkan")
    FOLLOW_UP = "follow_up", _("Tindak lanjuti")
    FORWARD = "forward", _("Teruskan ke instansi pengawas")
    ANSWER = "answer", _("Kirim jawaban")
    CLOSE = "close", _("Tutup")


class ForwardDestination(models.TextChoices):
    ITJEN = "itjen_simdumas", _("Inspektorat Jenderal (SIMDUMAS)")
    LAPOR = "sp4n_lapor", _("SP4N-LAPOR!")


def _complaint_stamp(transition: Transition, *, actor, note: str, now: datetime) -> dict:
    # Every move starts a new stage: its deadline may be missed (and
    # reminded) anew.
    return {"status_changed_at": now, "reminded_stage": ""}


def complaint_audit_unit(complaint) -> models.Model:
    # Audit rows are listed per unit elsewhere in the portal; a
    # whistleblowing report is filed under its office so that nothing at the
    # unit it is about can even see that it exists.
    return complaint.office if complaint.is_whistleblowing else complaint.unit


COMPLAINT_TRANSITIONS = StateMachine(
    Transition(
        ComplaintAction.VERIFY,
        frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.ON_HOLD}),
        ComplaintStatus.VERIFIED,
    ),
    Transition(
        ComplaintAction.HOLD,
        frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.VERIFIED}),
        ComplaintStatus.ON_HOLD,
        note_required=True,
        note_missing_message=_("Tuliskan keterangan apa yang perlu dilengkapi pelapor."),
        note_is_public=True,
    ),
    Transition(
        ComplaintAction.REJECT_AUTHORITY,
        frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.ON_HOLD, ComplaintStatus.VERIFIED}),
        ComplaintStatus.NOT_AUTHORITY,
        note_required=True,
        note_missing_message=_("Tuliskan instansi yang berwenang dan alasannya untuk pelapor."),
        note_is_public=True,
    ),
    Transition(
        ComplaintAction.ARCHIVE,
        frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.ON_HOLD, ComplaintStatus.VERIFIED}),
        ComplaintStatus.ARCHIVED,
        note_required=True,
        note_missing_message=_("Tuliskan alasan pengarsipan untuk pelapor."),
        note_is_public=True,
    ),
    Transition(
        ComplaintAction.FOLLOW_UP,
        frozenset({ComplaintStatus.VERIFIED}),
        ComplaintStatus.IN_FOLLOW_UP,
    ),
    # Handing a supervisory matter to the Inspektorat Jenderal or LAPOR!
    # is itself the follow-up decision; the answer comes back later.
    Transition(
        ComplaintAction.FORWARD,
        frozenset({ComplaintStatus.VERIFIED, ComplaintStatus.IN_FOLLOW_UP}),
        ComplaintStatus.IN_FOLLOW_UP,
    ),
    # A further answer is allowed after the complainant adds information.
    Transition(
        ComplaintAction.ANSWER,
        frozenset({ComplaintStatus.IN_FOLLOW_UP, ComplaintStatus.ANSWERED}),
        ComplaintStatus.ANSWERED,
        note_required=True,
        note_missing_message=_("Tuliskan jawaban untuk pelapor."),
        note_is_public=True,
    ),
    Transition(
        ComplaintAction.CLOSE,
        frozenset({ComplaintStatus.ANSWERED}),
        ComplaintStatus.CLOSED,
    ),
    stamp=_complaint_stamp,
    audit_unit=complaint_audit_unit,
)


# Statuses in which the complaint is still being worked on.
OPEN_STATUSES = frozenset(
    {
        ComplaintStatus.RECEIVED,
        ComplaintStatus.VERIFIED,
        ComplaintStatus.ON_HOLD,
        ComplaintStatus.IN_FOLLOW_UP,
    }
)
# The complainant can add information until the matter is settled.
INFORMATION_STATUSES = OPEN_STATUSES | {ComplaintStatus.ANSWERED}
RATEABLE_STATUSES = frozenset({ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED})
# Assignment makes sense while someone still has to act.
ASSIGNABLE_STATUSES = frozenset(
    {ComplaintStatus.RECEIVED, ComplaintStatus.VERIFIED, ComplaintStatus.IN_FOLLOW_UP}
)
