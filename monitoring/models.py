"""What monitoring keeps: the yearly evaluation exports built by a worker,
and one row per office and week for the weekly email to its Admin Humas.

The figures themselves are never stored: they are read from the news,
social-media, PPID and Dumas tables each time (see ``selectors``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from humas_portal.core.models import WorkUnit
from humas_portal.core.storage import private_storage


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu antrean")
    RUNNING = "running", _("Sedang disusun")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


ACTIVE_EXPORT_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ExportStep(models.TextChoices):
    """What the worker is doing, shown next to the progress bar."""

    WAITING = "", _("Menunggu pekerja")
    UNITS = "units", _("Membaca daftar unit")
    NEWS = "news", _("Menghitung berita per bulan")
    PROGRAMS = "programs", _("Menghitung liputan program prioritas")
    SOCIAL = "social", _("Menghitung unggahan media sosial")
    APPROVALS = "approvals", _("Menghitung waktu verifikasi")
    SERVICES = "services", _("Menghitung layanan PPID dan Dumas")
    WORKBOOK = "workbook", _("Menyusun buku kerja Excel")
    PDF = "pdf", _("Menyusun ringkasan PDF")
    SAVING = "saving", _("Menyimpan berkas")
    FINISHED = "finished", _("Selesai")


class EvaluationExportQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_EXPORT_STATUSES)

    def of_office(self, office: WorkUnit):
        return self.filter(office=office)


def _export_path(instance: EvaluationExport, filename: str) -> str:
    return f"monitoring/evaluasi/{instance.office_id}/{instance.year}/{filename}"


class EvaluationExport(models.Model):
    """One yearly evaluation of an office, built by a worker.

    A worker claims the row with a conditional UPDATE (queued → running, or a
    running row whose worker stopped giving signs of life) and a fresh
    ``claim_token``; every progress write is conditional on that token, so a
    worker that lost its claim stops instead of overwriting another one's
    files.
    """

    office = models.ForeignKey(WorkUnit, verbose_name=_("kantor"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    step = models.CharField(_("tahap"), max_length=20, choices=ExportStep.choices, default="", blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    workbook = models.FileField(
        _("buku kerja Excel"), storage=private_storage, upload_to=_export_path, max_length=255, blank=True
    )
    summary_pdf = models.FileField(
        _("ringkasan PDF"), storage=private_storage, upload_to=_export_path, max_length=255, blank=True
    )
    error = models.TextField(_("pesan galat"), blank=True)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai disusun"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = EvaluationExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("ekspor evaluasi tahunan")
        verbose_name_plural = _("ekspor evaluasi tahunan")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Asking twice for the same year while one is being built joins
            # the running job instead of building the same files twice.
            models.UniqueConstraint(
                fields=["office", "year"],
                condition=models.Q(status__in=["queued", "running"]),
                name="monitoring_one_active_export",
            )
        ]
        indexes = [models.Index(fields=["office", "-created_at"], name="monitoring_export_office_idx")]

    def __str__(self):
        return str(_("Evaluasi %(year)s %(office)s") % {"year": self.year, "office": self.office})

    def get_absolute_url(self):
        return reverse("monitoring:exports") + f"?kantor={self.office_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_EXPORT_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == ExportStatus.DONE

    def download_url(self, kind: str) -> str:
        return reverse("monitoring:export_download", kwargs={"pk": self.pk, "kind": kind})


class DigestStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    NOTHING = "nothing", _("Tidak ada yang perlu dilaporkan")
    NO_RECIPIENT = "no_recipient", _("Tidak ada penerima")


class WeeklyDigest(models.Model):
    """The weekly email of one office for one week (Monday in the office's
    zone). The unique pair is what makes the email go out once a week
    however often the beat sweep runs."""

    office = models.ForeignKey(WorkUnit, verbose_name=_("kantor"), on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("awal pekan"))
    status = models.CharField(
        _("status"), max_length=20, choices=DigestStatus.choices, default=DigestStatus.PENDING
    )
    recipients = models.PositiveSmallIntegerField(_("penerima"), default=0)
    silent_units = models.PositiveIntegerField(_("unit tidak aktif"), default=0)
    waiting_drafts = models.PositiveIntegerField(_("naskah menunggu"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("email pekanan")
        verbose_name_plural = _("email pekanan")
        ordering = ["-week_start", "office__path"]
        constraints = [
            models.UniqueConstraint(fields=["office", "week_start"], name="monitoring_one_digest_per_week")
        ]

    def __str__(self):
        return f"{self.office} · {self.week_start:%Y-%m-%d}"
