"""Public complaints (Dumas): the complaint, its messages and attachments, the
QR locations that lead to the form, and the outbox of notifications."""

from __future__ import annotations

import secrets
import uuid
import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humas_portal.core.crypto import EncryptedTextField
from humas_portal.core.models import UnitTimeZone, WorkUnit
from humas_portal.core.storage import private_storage
from humas_portal.core.text import NameFieldsMixin

from .workflow import (
    OPEN_STATUSES,
    Channel,
    ComplaintKind,
    ComplaintStatus,
    ForwardDestination,
    IdentityMode,
    Violation,
)


def _location_token() -> str:
    return secrets.token_urlsafe(9)


class ComplaintLocation(NameFieldsMixin, models.Model):
    """A place where a QR poster hangs ("Meja PTSP", "Loket depan KUA
    Bangil"); complaints sent from its code are counted per location."""

    NAME_FIELDS = ("name",)

    unit = models.ForeignKey(
        WorkUnit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="complaint_locations"
    )
    name = models.CharField(_("nama lokasi"), max_length=120)
    # Random so posters cannot be enumerated and a retired poster can be
    # switched off without affecting the others.
    token = models.CharField(max_length=24, unique=True, default=_location_token, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("lokasi kode QR")
        verbose_name_plural = _("lokasi kode QR")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="dumas_location_unique_name")]

    def __str__(self):
        return f"{self.name} · {self.unit}"

    def form_path(self) -> str:
        return reverse("dumas:create", kwargs={"slug": self.unit.slug}) + f"?lokasi={self.token}"

    def form_url(self) -> str:
        """The absolute address printed in the QR code."""
        return settings.SITE_URL + self.form_path()


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def whistleblowing(self):
        return self.filter(kind=ComplaintKind.WHISTLEBLOWING)

    def awaiting_verification(self):
        return self.filter(status=ComplaintStatus.RECEIVED)

    @staticmethod
    def _overdue_q(now: datetime) -> Q:
        query = Q(pk__in=[])
        for zone in UnitTimeZone.values:
            today = timezone.localtime(now, zoneinfo.ZoneInfo(zone)).date()
            query |= Q(unit__timezone=zone) & (
                Q(status=ComplaintStatus.RECEIVED, verify_due__lt=today)
                | Q(status=ComplaintStatus.VERIFIED, follow_up_due__lt=today)
                | Q(status=ComplaintStatus.IN_FOLLOW_UP, finish_due__lt=today)
            )
        return query

    def overdue(self, now: datetime | None = None):
        """Complaints past the deadline of their current stage: verification,
        the follow-up decision, or the whole handling.

        A deadline is a date in the unit's own zone, so "today" is worked out
        per zone; a complaint on hold waits for the complainant and is not
        overdue.
        """
        return self.filter(self._overdue_q(now or timezone.now()))

    def by_urgency(self, now: datetime | None = None):
        """Overdue complaints first, then by the deadline of the current
        stage (the one ``Complaint.current_deadline`` names), soonest first;
        complaints with no running deadline after them, newest first.

        Adds ``stage_due`` and ``stage_overdue`` to each row, so a queue can
        show what it sorted by without working it out again.
        """
        return self.annotate(
            stage_due=Case(
                When(status=ComplaintStatus.RECEIVED, then=F("verify_due")),
                When(status=ComplaintStatus.VERIFIED, then=F("follow_up_due")),
                When(status=ComplaintStatus.IN_FOLLOW_UP, then=F("finish_due")),
                default=None,
                output_field=models.DateField(),
            ),
            stage_overdue=Case(
                When(self._overdue_q(now or timezone.now()), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        ).order_by("-stage_overdue", F("stage_due").asc(nulls_last=True), "-received_at", "-id")

    def for_queue(self):
        """What a queue row needs, in one query."""
        return self.select_related("unit", "assigned_unit", "assignee")


class ConfirmationChannel(models.TextChoices):
    EMAIL = "email", _("Kode pelacakan dikirim ke email pelapor")
    MANUAL = (
        "manual",
        _(
            "Hanya nomor telepon: konfirmasi SMS/WhatsApp tidak dikirim otomatis, sampaikan kode pelacakan "
            "langsung kepada pelapor"
        ),
    )
    NONE = "none", _("Tanpa kontak: pelapor hanya memegang kode pelacakan")


class Complaint(NameFieldsMixin, models.Model):
    NAME_FIELDS = ("subject", "reporter_name")
    tracking_code = models.CharField(_("kode pelacakan"), max_length=32, unique=True, editable=False)
    unit = models.ForeignKey(
        WorkUnit, verbose_name=_("unit yang diadukan"), on_delete=models.PROTECT, related_name="complaints"
    )
    # The unit's office when the complaint arrived. Whistleblowing is seen
    # only by the office's complaint officers, and this column lets that rule
    # be one indexed filter.
    office = models.ForeignKey(
        WorkUnit, verbose_name=_("kantor"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    location = models.ForeignKey(
        ComplaintLocation,
        verbose_name=_("lokasi kode QR"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    kind = models.CharField(_("jenis"), max_length=20, choices=ComplaintKind.choices)
    violation = models.CharField(_("jenis pelanggaran"), max_length=30, choices=Violation.choices, blank=True)
    subject = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"))
    incident_location = models.CharField(_("lokasi kejadian"), max_length=200, blank=True)
    occurred_on = models.DateField(_("tanggal kejadian"), null=True, blank=True)

    identity_mode = models.CharField(_("identitas pelapor"), max_length=20, choices=IdentityMode.choices)
    # Encrypted at rest; shown only where ``dumas.policy.can_view_identity``
    # allows, and never written to emails to staff, exports or the audit trail.
    reporter_name = EncryptedTextField(_("nama pelapor"), blank=True)
    reporter_email = EncryptedTextField(_("email pelapor"), blank=True)
    reporter_phone = EncryptedTextField(_("telepon pelapor"), blank=True)
    confirmation = models.CharField(
        _("konfirmasi kepada pelapor"),
        max_length=10,
        choices=ConfirmationChannel.choices,
        default=ConfirmationChannel.NONE,
    )

    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    verify_due = models.DateField(_("batas verifikasi"))
    follow_up_due = models.DateField(_("batas keputusan tindak lanjut"), null=True, blank=True)
    finish_due = models.DateField(_("batas penyelesaian"))
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    follow_up_at = models.DateTimeField(_("diputuskan tindak lanjut"), null=True, blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status berubah"), default=timezone.now)

    assigned_unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("ditugaskan ke unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_complaints",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditugaskan ke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_complaints",
    )
    assigned_at = models.DateTimeField(_("ditugaskan"), null=True, blank=True)

    forwarded_to = models.CharField(
        _("diteruskan ke"), max_length=20, choices=ForwardDestination.choices, blank=True
    )
    external_reference = models.CharField(_("nomor rujukan eksternal"), max_length=100, blank=True)
    forwarded_at = models.DateTimeField(_("diteruskan"), null=True, blank=True)

    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    rated_at = models.DateTimeField(_("dinilai"), null=True, blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The deadline stage the officers were last reminded about, so the beat
    # sweep reminds once per missed deadline (see ``dumas.tasks``).
    reminded_stage = models.CharField(max_length=20, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "verify_due"], name="dumas_status_verify_idx"),
            models.Index(fields=["office", "status"], name="dumas_office_status_idx"),
            models.Index(fields=["unit", "received_at"], name="dumas_unit_received_idx"),
            models.Index(fields=["received_at"], name="dumas_received_idx"),
        ]
        constraints = [
            # Anonymous means nothing that could identify the complainant is
            # kept at all, whatever a form or an import sends.
            models.CheckConstraint(
                condition=~Q(identity_mode=IdentityMode.ANONYMOUS)
                | (Q(reporter_name="") & Q(reporter_email="") & Q(reporter_phone="")),
                name="dumas_anonymous_keeps_no_identity",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ComplaintKind.WHISTLEBLOWING) | ~Q(violation=""),
                name="dumas_whistleblowing_has_violation",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="dumas_rating_1_to_5",
            ),
        ]

    def __str__(self):
        # Only the code: this string lands in the audit trail and in logs,
        # where neither the complainant nor the allegation belongs.
        return self.tracking_code

    def get_absolute_url(self):
        return reverse("dumas:detail", kwargs={"pk": self.pk})

    def get_tracking_url(self):
        return reverse("dumas:track", kwargs={"code": self.tracking_code})

    @property
    def is_whistleblowing(self) -> bool:
        return self.kind == ComplaintKind.WHISTLEBLOWING

    @property
    def is_anonymous(self) -> bool:
        return self.identity_mode == IdentityMode.ANONYMOUS

    @property
    def kind_label(self) -> str:
        if self.is_whistleblowing and self.violation:
            return f"{self.get_kind_display()}: {self.get_violation_display()}"
        return self.get_kind_display()

    def received_on(self) -> date:
        """The day of receipt in the unit's zone: deadlines count from it."""
        return timezone.localtime(self.received_at, self.unit.tzinfo).date()

    def current_deadline(self) -> tuple[str, date] | None:
        """The stage whose deadline runs now and its date, if any."""
        if self.status == ComplaintStatus.RECEIVED:
            return str(_("Verifikasi")), self.verify_due
        if self.status == ComplaintStatus.VERIFIED and self.follow_up_due:
            return str(_("Keputusan tindak lanjut")), self.follow_up_due
        if self.status == ComplaintStatus.IN_FOLLOW_UP:
            return str(_("Penyelesaian")), self.finish_due
        return None

    def answer_due(self) -> date | None:
        """The day the complainant is to have the answer by, while the
        complaint is still being handled: the end of the handling period
        (``DUMAS_FINISH_DAYS`` from receipt), the date the desk works to."""
        if self.status in OPEN_STATUSES:
            return self.finish_due
        return None

    def is_answer_overdue(self, now: datetime | None = None) -> bool:
        due = self.answer_due()
        if due is None:
            return False
        return timezone.localtime(now or timezone.now(), self.unit.tzinfo).date() > due

    def is_overdue(self, now: datetime | None = None) -> bool:
        deadline = self.current_deadline()
        if deadline is None:
            return False
        today = timezone.localtime(now or timezone.now(), self.unit.tzinfo).date()
        return today > deadline[1]


class MessageKind(models.TextChoices):
    STATUS_NOTE = "status_note", _("Keterangan status")
    ANSWER = "answer", _("Jawaban")
    INFORMATION = "information", _("Tambahan informasi dari pelapor")
    PROGRESS = "progress", _("Laporan tindak lanjut (internal)")


class ComplaintMessage(models.Model):
    """The conversation with the complainant (answers, what is missing, what
    they added) and the internal follow-up reports; ``is_public`` decides
    whether the tracking page shows it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("jenis"), max_length=20, choices=MessageKind.choices)
    body = models.TextField(_("isi"))
    is_public = models.BooleanField(_("terlihat pelapor"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("pesan pengaduan")
        verbose_name_plural = _("pesan pengaduan")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.complaint} · {self.get_kind_display()}"


def _attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    # A random name: the uploaded file name may carry the complainant's
    # own name ("KTP_Budi.jpg"), which must not reach anyone who sees the file.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dumas/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Foto")
    PDF = "pdf", _("PDF")


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        ComplaintMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("berkas"), upload_to=_attachment_path, storage=private_storage)
    kind = models.CharField(_("jenis"), max_length=10, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField(_("ukuran"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran pengaduan")
        verbose_name_plural = _("lampiran pengaduan")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.complaint} · {self.get_kind_display()} #{self.pk}"

    @property
    def content_type(self) -> str:
        if self.kind == AttachmentKind.PDF:
            return "application/pdf"
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}.get(
            extension, "application/octet-stream"
        )


class NotificationEvent(models.TextChoices):
    SUBMITTED = "submitted", _("Pengaduan baru")
    CONFIRMATION = "confirmation", _("Konfirmasi kepada pelapor")
    STATUS_CHANGED = "status_changed", _("Status berubah")
    ASSIGNED = "assigned", _("Penugasan")
    INFORMATION_ADDED = "information_added", _("Pelapor menambah informasi")
    RATED = "rated", _("Pelapor memberi penilaian")
    PROGRESS = "progress", _("Laporan tindak lanjut")
    OVERDUE = "overdue", _("Melewati batas waktu")


class Audience(models.TextChoices):
    COMPLAINANT = "complainant", _("Pelapor")
    OFFICERS = "officers", _("Petugas Dumas")
    ASSIGNEE = "assignee", _("Penerima tugas")


class ComplaintNotification(models.Model):
    """One email to send, written in the same transaction as the change it
    announces (an outbox): a crash between the commit and the queue cannot
    lose it, because the beat sweep sends whatever is still unsent.

    The row holds no addresses; recipients are worked out when it is sent.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=20, choices=NotificationEvent.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("notifikasi pengaduan")
        verbose_name_plural = _("notifikasi pengaduan")
        indexes = [
            models.Index(
                fields=["created_at"], name="dumas_notification_unsent_idx", condition=Q(sent_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"{self.complaint} · {self.event} → {self.audience}"
