"""Public information under UU 14/2008, PP 61/2010 and Perki 1/2021.

A PPID unit (a Kankemenag, a Kanwil, a PTKN or a Balai) publishes its profile
and its Daftar Informasi Publik (DIP), receives information requests from the
public, answers them within the legal deadlines and decides objections
(keberatan). Requesters have no account: a private tracking link is their key.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humas_portal.core.crypto import EncryptedTextField, mask
from humas_portal.core.models import UnitKind, WorkUnit
from humas_portal.core.storage import private_storage
from humas_portal.core.text import NameFieldsMixin
from humas_portal.core.workdays import add_working_days, working_days_between

# Units that run their own PPID: offices, and PTKN and Balai which the domain
# notes have their own PPID unit although they sit under an office.
OWN_PPID_KINDS = frozenset(
    {UnitKind.PUSAT, UnitKind.KANWIL, UnitKind.KANKEMENAG, UnitKind.PTKN, UnitKind.BALAI}
)


def ppid_home(unit: WorkUnit) -> WorkUnit:
    """The unit whose PPID answers for ``unit``: the unit itself when it runs
    its own PPID, otherwise its office (a KUA's Kankemenag, where the Kasubbag
    TU is the PPID)."""
    if unit.kind in OWN_PPID_KINDS or not unit.parent_id:
        return unit
    return unit.office()


def local_today(unit: WorkUnit) -> date:
    """Today in the unit's own zone: deadlines are read in WIB, WITA or WIT."""
    return timezone.localdate(timezone=unit.tzinfo)


# --- Choices -------------------------------------------------------------------


class DipCategory(models.TextChoices):
    BERKALA = "berkala", _("Informasi berkala")
    SERTA_MERTA = "serta_merta", _("Informasi serta-merta")
    SETIAP_SAAT = "setiap_saat", _("Informasi tersedia setiap saat")
    DIKECUALIKAN = "dikecualikan", _("Informasi yang dikecualikan")


class ExemptionGround(models.TextChoices):
    """UU 14/2008 Pasal 17, huruf a–j."""

    A = "a", _("Pasal 17 huruf a: menghambat proses penegakan hukum")
    B = "b", _("Pasal 17 huruf b: mengganggu perlindungan HKI dan persaingan usaha yang sehat")
    C = "c", _("Pasal 17 huruf c: membahayakan pertahanan dan keamanan negara")
    D = "d", _("Pasal 17 huruf d: mengungkapkan kekayaan alam Indonesia")
    E = "e", _("Pasal 17 huruf e: merugikan ketahanan ekonomi nasional")
    F = "f", _("Pasal 17 huruf f: merugikan kepentingan hubungan luar negeri")
    G = "g", _("Pasal 17 huruf g: mengungkapkan isi akta otentik yang bersifat pribadi atau wasiat")
    H = "h", _("Pasal 17 huruf h: mengungkap rahasia pribadi")
    I = "i", _("Pasal 17 huruf i: memorandum atau surat antar/intra badan publik yang dirahasiakan")  # noqa: E741
    J = "j", _("Pasal 17 huruf j: informasi yang tidak boleh diungkapkan berdasarkan undang-undang")


class ObjectionGround(models.TextChoices):
    """UU 14/2008 Pasal 35 ayat (1), huruf a–g."""

    A = "a", _("a. Permohonan ditolak berdasarkan alasan pengecualian Pasal 17")
    B = "b", _("b. Informasi berkala tidak disediakan")
    C = "c", _("c. Permohonan informasi tidak ditanggapi")
    D = "d", _("d. Permohonan ditanggapi tidak sebagaimana yang diminta")
    E = "e", _("e. Permohonan informasi tidak dipenuhi")
    F = "f", _("f. Pengenaan biaya yang tidak wajar")
    G = "g", _("g. Informasi disampaikan melebihi jangka waktu yang diatur")


class RequesterKind(models.TextChoices):
    INDIVIDUAL = "perorangan", _("Perorangan")
    GROUP = "kelompok", _("Kelompok orang")
    LEGAL_ENTITY = "badan_hukum", _("Badan hukum")


class ObtainMethod(models.TextChoices):
    VIEW = "melihat", _("Melihat/membaca/mendengarkan/mencatat")
    HARDCOPY = "hardcopy", _("Mendapatkan salinan cetak (hardcopy)")
    SOFTCOPY = "softcopy", _("Mendapatkan salinan elektronik (softcopy)")


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "langsung", _("Mengambil langsung")
    POST = "pos", _("Pos/kurir")
    EMAIL = "email", _("Surat elektronik (email)")


class AnswerForm(models.TextChoices):
    SOFTCOPY = "softcopy", _("Softcopy (berkas elektronik)")
    HARDCOPY = "hardcopy", _("Hardcopy (salinan cetak)")
    VIEW = "melihat", _("Dilihat/dibaca di tempat")


class RequestStatus(models.TextChoices):
    RECEIVED = "diterima", _("Diterima, sedang diproses")
    EXTENDED = "diperpanjang", _("Diproses, waktu diperpanjang")
    ANSWERED = "dijawab", _("Dijawab")
    CLOSED = "selesai", _("Selesai")


OPEN_STATUSES = frozenset({RequestStatus.RECEIVED, RequestStatus.EXTENDED})


class Decision(models.TextChoices):
    ACCEPTED = "diberikan", _("Informasi diberikan seluruhnya")
    PARTIAL = "sebagian", _("Informasi diberikan sebagian")
    REFUSED = "ditolak", _("Permohonan ditolak")
    NOT_HELD = "tidak_dikuasai", _("Informasi tidak dikuasai")


class ObjectionStatus(models.TextChoices):
    FILED = "diajukan", _("Diajukan, menunggu tanggapan Atasan PPID")
    ANSWERED = "dijawab", _("Ditanggapi")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "diterima", _("Keberatan diterima")
    PARTLY = "sebagian", _("Keberatan diterima sebagian")
    REJECTED = "ditolak", _("Keberatan ditolak")


class NoticeKind(models.TextChoices):
    EXTENSION = "perpanjangan", _("Pemberitahuan perpanjangan waktu")
    DECISION = "pemberitahuan", _("Pemberitahuan tertulis")
    OBJECTION_ANSWER = "tanggapan_keberatan", _("Tanggapan atas keberatan")


class IdentityDocumentKind(models.TextChoices):
    IDENTITY = "identitas", _("Dokumen identitas (KTP/akta badan hukum)")
    POWER_OF_ATTORNEY = "kuasa", _("Surat kuasa")


# --- Public showcase -----------------------------------------------------------


class PpidProfileQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, unit__is_active=True)


class PpidProfile(NameFieldsMixin, models.Model):
    """A unit's PPID page: who the PPID is and how the service works. The
    unit's name, address and contacts also make the letterhead of its
    notices."""

    NAME_FIELDS = ("signatory_name", "signatory_title")

    unit = models.OneToOneField(
        WorkUnit, verbose_name=_("unit kerja"), on_delete=models.CASCADE, related_name="ppid_profile"
    )
    is_published = models.BooleanField(_("tampilkan untuk publik"), default=False)
    profile = models.TextField(_("profil PPID"), blank=True, help_text=_("Tugas, fungsi, visi dan misi."))
    service_procedure = models.TextField(_("prosedur layanan"), blank=True)
    service_hours = models.CharField(_("jam layanan"), max_length=200, blank=True)
    service_fees = models.TextField(
        _("biaya layanan"),
        blank=True,
        help_text=_("Misalnya: tidak dipungut biaya; salinan cetak dikenakan biaya penggandaan."),
    )
    website = models.URLField(_("situs web"), blank=True)
    signatory_name = models.CharField(_("nama penanda tangan surat"), max_length=150, blank=True)
    signatory_title = models.CharField(
        _("jabatan penanda tangan"),
        max_length=150,
        blank=True,
        help_text=_("Misalnya: PPID Pelaksana Kantor Kementerian Agama Kabupaten Pasuruan."),
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = PpidProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profil PPID")
        verbose_name_plural = _("profil PPID")
        ordering = ["unit__path"]

    def __str__(self):
        return str(_("PPID %(unit)s") % {"unit": self.unit.name})

    def get_absolute_url(self):
        return reverse("ppid:unit", kwargs={"slug": self.unit.slug})


class PpidOfficial(NameFieldsMixin, models.Model):
    NAME_FIELDS = ("name", "office_title")
    profile = models.ForeignKey(
        PpidProfile, verbose_name=_("profil"), on_delete=models.CASCADE, related_name="officials"
    )
    ppid_position = models.CharField(
        _("kedudukan dalam PPID"), max_length=120, help_text=_("Misalnya: Atasan PPID, PPID Pelaksana.")
    )
    name = models.CharField(_("nama"), max_length=150)
    office_title = models.CharField(_("jabatan struktural"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("pejabat PPID")
        verbose_name_plural = _("pejabat PPID")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.ppid_position}: {self.name}"


class DipEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def downloadable(self):
        """Entries whose documents the public may download: never exempt."""
        return self.published().exclude(category=DipCategory.DIKECUALIKAN)


class DipEntry(NameFieldsMixin, models.Model):
    """One line of the Daftar Informasi Publik, with the fields Perki 1/2021
    asks for; exempt lines carry their legal ground and consequence test."""

    NAME_FIELDS = ("title",)

    unit = models.ForeignKey(
        WorkUnit, verbose_name=_("unit kerja"), on_delete=models.CASCADE, related_name="dip_entries"
    )
    category = models.CharField(_("kategori"), max_length=20, choices=DipCategory.choices)
    title = models.CharField(_("judul informasi"), max_length=250)
    summary = models.TextField(_("ringkasan isi informasi"))
    holder = models.CharField(_("pejabat/unit yang menguasai informasi"), max_length=200)
    responsible = models.CharField(_("penanggung jawab pembuatan/penerbitan"), max_length=200)
    made_when = models.CharField(_("waktu pembuatan"), max_length=100)
    made_where = models.CharField(_("tempat pembuatan"), max_length=150)
    form_available = models.CharField(
        _("bentuk informasi yang tersedia"), max_length=150, help_text=_("Misalnya: softcopy dan hardcopy.")
    )
    retention_period = models.CharField(_("jangka waktu penyimpanan"), max_length=100)
    exemption_ground = models.CharField(
        _("dasar pengecualian"), max_length=1, choices=ExemptionGround.choices, blank=True
    )
    legal_basis = models.TextField(_("dasar hukum pengecualian"), blank=True)
    consequence_test = models.TextField(_("uji konsekuensi"), blank=True)
    exemption_period = models.CharField(_("jangka waktu pengecualian"), max_length=100, blank=True)
    is_published = models.BooleanField(_("tampilkan"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = DipEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entri DIP")
        verbose_name_plural = _("entri DIP")
        ordering = ["category", "order", "title"]
        constraints = [
            # An exempt entry without its ground and consequence test would be
            # an unexplained refusal; the database keeps that from happening.
            models.CheckConstraint(
                condition=~models.Q(category="dikecualikan")
                | (~models.Q(exemption_ground="") & ~models.Q(consequence_test="")),
                name="ppid_dip_exempt_needs_ground",
                violation_error_message=_(
                    "Informasi yang dikecualikan wajib menyebut dasar Pasal 17 dan uji konsekuensi."
                ),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_exempt(self) -> bool:
        return self.category == DipCategory.DIKECUALIKAN


class DipDocument(NameFieldsMixin, models.Model):
    NAME_FIELDS = ("title",)
    entry = models.ForeignKey(
        DipEntry, verbose_name=_("entri"), on_delete=models.CASCADE, related_name="documents"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("judul dokumen"), max_length=200)
    # Private although the DIP is public: an entry can be reclassified as
    # exempt at any time, and a file reachable under MEDIA_URL would stay
    # reachable after that.
    file = models.FileField(_("berkas"), storage=private_storage, upload_to="ppid/dip/%Y/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen DIP")
        verbose_name_plural = _("dokumen DIP")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "ppid:dip_document", kwargs={"slug": self.entry.unit.slug, "public_id": self.public_id}
        )


# --- Requests ------------------------------------------------------------------


class PpidCounter(models.Model):
    """The last sequence number issued per unit, year and series. Submitting
    locks this row (SELECT … FOR UPDATE), so two requests arriving together
    queue on it instead of both reading the same last number."""

    unit = models.ForeignKey(WorkUnit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "series"], name="ppid_counter_unique")]

    def __str__(self):
        return f"{self.unit_id}/{self.series}/{self.year}: {self.last_value}"


class PpidRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def with_effective_due(self):
        return self.annotate(effective_due=Coalesce("extended_due_on", "due_on"))

    def overdue(self, today: date):
        return self.open().with_effective_due().filter(effective_due__lt=today)

    def decided(self):
        return self.exclude(decision="")

    def received_in(self, year: int):
        return self.filter(received_on__year=year)

    def for_queue(self):
        """What a staff queue row shows, in one query; identity fields stay
        out so that listing never decrypts a NIK."""
        return (
            self.with_effective_due()
            .select_related("unit", "objection")
            .defer("identity_number", "proxy_identity_number", "tracking_token_encrypted", "address")
            .order_by("effective_due", "received_at", "id")
        )

    def identity_purgeable(self, cutoff):
        return self.filter(status=RequestStatus.CLOSED, closed_at__lt=cutoff, identity_purged_at__isnull=True)


class PpidRequest(NameFieldsMixin, models.Model):
    """An information request. Deadlines are dates in the unit's zone,
    counted in working days from the day of receipt (see core.workdays)."""

    NAME_FIELDS = ("name", "proxy_name")

    unit = models.ForeignKey(
        WorkUnit, verbose_name=_("unit PPID"), on_delete=models.PROTECT, related_name="ppid_requests"
    )
    registration_number = models.CharField(_("nomor pendaftaran"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    # The tracking link is the requester's only key. Lookups go by its
    # SHA-256; the encrypted copy lets later emails repeat the link.
    tracking_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    tracking_token_encrypted = EncryptedTextField(blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.RECEIVED,
        db_index=True,
    )

    requester_kind = models.CharField(_("jenis pemohon"), max_length=20, choices=RequesterKind.choices)
    name = models.CharField(_("nama pemohon"), max_length=200)
    identity_number = EncryptedTextField(_("NIK / nomor badan hukum"), blank=True)
    identity_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    via_proxy = models.BooleanField(_("melalui kuasa"), default=False)
    proxy_name = models.CharField(_("nama penerima kuasa"), max_length=200, blank=True)
    proxy_identity_number = EncryptedTextField(_("NIK penerima kuasa"), blank=True)

    information_requested = models.TextField(_("rincian informasi yang dibutuhkan"))
    purpose = models.TextField(_("tujuan penggunaan informasi"))
    obtain_method = models.CharField(
        _("cara memperoleh informasi"), max_length=20, choices=ObtainMethod.choices
    )
    delivery_method = models.CharField(
        _("cara mendapatkan salinan informasi"), max_length=20, choices=DeliveryMethod.choices
    )

    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    received_on = models.DateField(_("tanggal diterima"))
    due_on = models.DateField(_("batas waktu jawaban"))
    extended_due_on = models.DateField(_("batas waktu setelah perpanjangan"), null=True, blank=True)
    extension_reason = models.TextField(_("alasan perpanjangan"), blank=True)
    extended_at = models.DateTimeField(_("diperpanjang"), null=True, blank=True)

    decision = models.CharField(_("keputusan"), max_length=20, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_on = models.DateField(_("tanggal pemberitahuan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_note = models.TextField(_("penjelasan"), blank=True)
    answer_form = models.CharField(
        _("bentuk informasi"), max_length=20, choices=AnswerForm.choices, blank=True
    )
    answer_format = models.CharField(_("format"), max_length=100, blank=True)
    fee_amount = models.PositiveIntegerField(_("biaya (Rp)"), default=0)
    fee_note = models.CharField(_("rincian biaya"), max_length=200, blank=True)
    refusal_ground = models.CharField(
        _("dasar penolakan"), max_length=1, choices=ExemptionGround.choices, blank=True
    )
    consequence_test = models.TextField(_("uji konsekuensi"), blank=True)
    holder_info = models.TextField(_("badan publik yang menguasai informasi"), blank=True)

    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    identity_purged_at = models.DateTimeField(_("data identitas dihapus"), null=True, blank=True)

    objects = PpidRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("permohonan informasi")
        verbose_name_plural = _("permohonan informasi")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "sequence"], name="ppid_request_sequence_unique")
        ]
        indexes = [models.Index(fields=["unit", "status", "due_on"], name="ppid_request_queue_idx")]

    def __str__(self):
        return self.registration_number

    def get_absolute_url(self):
        """The staff page; the public only ever sees the tracking link."""
        return reverse("ppid:staff_request", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def effective_due_on(self) -> date:
        return self.extended_due_on or self.due_on

    @property
    def masked_identity_number(self) -> str:
        return mask(self.identity_number or "")

    def today(self) -> date:
        return local_today(self.unit)

    def working_days_left(self, today: date | None = None) -> int:
        """Working days until the deadline; 0 on the day itself, negative
        once it has passed."""
        return working_days_between(today or self.today(), self.effective_due_on)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and (today or self.today()) > self.effective_due_on

    def answered_late(self) -> bool:
        return bool(self.decided_on and self.decided_on > self.effective_due_on)

    def objection_window(self, today: date | None = None) -> tuple[date, date] | None:
        """(start, last day) of the time to file an objection, or None while
        no ground has arisen yet.

        Pasal 36 gives 30 working days from when the ground arose: the written
        notice, or, for a request left unanswered, the deadline that passed.
        """
        today = today or self.today()
        if self.decided_on:
            start = self.decided_on
        elif today > self.effective_due_on:
            start = self.effective_due_on
        else:
            return None
        return start, add_working_days(start, settings.PPID_OBJECTION_FILING_WORKING_DAYS)

    def objection_state(self, today: date | None = None) -> str:
        """'filed', 'open', 'closed' (window passed) or 'not_yet'."""
        if hasattr(self, "objection"):
            return "filed"
        window = self.objection_window(today)
        if window is None:
            return "not_yet"
        return "open" if (today or self.today()) <= window[1] else "closed"


class RequestRedaction(models.Model):
    """A part withheld from an answer given in part, with its own reason."""

    request = models.ForeignKey(PpidRequest, on_delete=models.CASCADE, related_name="redactions")
    part = models.CharField(_("bagian yang dihitamkan/dikaburkan"), max_length=250)
    ground = models.CharField(_("dasar pengecualian"), max_length=1, choices=ExemptionGround.choices)
    reason = models.TextField(_("alasan"))

    class Meta:
        verbose_name = _("penghitaman")
        verbose_name_plural = _("penghitaman")
        ordering = ["id"]

    def __str__(self):
        return self.part


class RequestAttachment(models.Model):
    """A file given to the requester with the answer."""

    request = models.ForeignKey(PpidRequest, on_delete=models.CASCADE, related_name="attachments")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(storage=private_storage, upload_to="ppid/jawaban/%Y/", max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("berkas jawaban")
        verbose_name_plural = _("berkas jawaban")
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class IdentityDocument(models.Model):
    """An identity scan or power of attorney, stored encrypted (Fernet) under
    PRIVATE_MEDIA_ROOT; only ``services.ppid_identity_document_open`` reads
    it back, and that logs who did."""

    request = models.ForeignKey(PpidRequest, on_delete=models.CASCADE, related_name="identity_documents")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("jenis"), max_length=20, choices=IdentityDocumentKind.choices)
    file = models.FileField(storage=private_storage, upload_to="ppid/identitas/%Y/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen identitas")
        verbose_name_plural = _("dokumen identitas")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.request}"


class Notice(models.Model):
    """A written notice (PDF letter on the unit's letterhead) as sent."""

    request = models.ForeignKey(PpidRequest, on_delete=models.CASCADE, related_name="notices")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("jenis"), max_length=30, choices=NoticeKind.choices)
    number = models.CharField(_("nomor surat"), max_length=100)
    issued_at = models.DateTimeField(_("tanggal"), default=timezone.now)
    file = models.FileField(storage=private_storage, upload_to="ppid/surat/%Y/", max_length=255)

    class Meta:
        verbose_name = _("surat pemberitahuan")
        verbose_name_plural = _("surat pemberitahuan")
        ordering = ["issued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="ppid_notice_once_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class Objection(models.Model):
    """A keberatan to the unit's Atasan PPID (UU 14/2008 Pasal 35–36)."""

    request = models.OneToOneField(PpidRequest, on_delete=models.CASCADE, related_name="objection")
    registration_number = models.CharField(_("nomor registrasi keberatan"), max_length=80, unique=True)
    grounds = models.JSONField(_("alasan keberatan"), default=list)
    reasons = models.TextField(_("kasus posisi"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.FILED,
        db_index=True,
    )
    filed_at = models.DateTimeField(_("diajukan"), default=timezone.now)
    filed_on = models.DateField(_("tanggal diajukan"))
    due_on = models.DateField(_("batas waktu tanggapan"))
    outcome = models.CharField(_("putusan"), max_length=20, choices=ObjectionOutcome.choices, blank=True)
    answer = models.TextField(_("tanggapan"), blank=True)
    answered_at = models.DateTimeField(_("ditanggapi"), null=True, blank=True)
    answered_on = models.DateField(_("tanggal tanggapan"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.registration_number

    def get_absolute_url(self):
        return reverse("ppid:staff_objection", kwargs={"pk": self.pk})

    @property
    def unit(self) -> WorkUnit:
        return self.request.unit

    def ground_labels(self) -> list[str]:
        return [str(ObjectionGround(g).label) for g in self.grounds if g in ObjectionGround.values]

    def komisi_window(self) -> tuple[date, date] | None:
        """When the requester may take the dispute to the Komisi Informasi:
        14 working days from the Atasan's answer, or from the day the Atasan's
        own 30 days ran out unanswered."""
        if self.answered_on:
            start = self.answered_on
        elif local_today(self.request.unit) > self.due_on:
            start = self.due_on
        else:
            return None
        return start, add_working_days(start, settings.PPID_KOMISI_INFORMASI_WORKING_DAYS)

    def is_overdue(self, today: date | None = None) -> bool:
        return (
            self.status == ObjectionStatus.FILED and (today or local_today(self.request.unit)) > self.due_on
        )


class EmailLog(models.Model):
    """Each email the app sends about a request, once: an event (receipt,
    notice) or a deadline reminder for one due date. The row is written
    before sending, so a duplicated task finds it and stops."""

    request = models.ForeignKey(PpidRequest, on_delete=models.CASCADE, related_name="email_logs")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=40, blank=True, help_text="The due date a reminder is about.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("catatan email")
        verbose_name_plural = _("catatan email")
        constraints = [models.UniqueConstraint(fields=["request", "kind", "key"], name="ppid_email_once")]

    def __str__(self):
        return f"{self.request_id} {self.kind} {self.key}"


# --- Annual report -------------------------------------------------------------


class AnnualReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class AnnualReport(models.Model):
    """The yearly PPID report (Perki 1/2021 Pasal 36), published with its
    figures frozen as they stood, so a later correction of the data does not
    silently change what was published."""

    unit = models.ForeignKey(WorkUnit, on_delete=models.CASCADE, related_name="ppid_reports")
    year = models.PositiveSmallIntegerField(_("tahun"))
    overview = models.TextField(_("gambaran umum kebijakan dan pelayanan informasi"), blank=True)
    constraints_text = models.TextField(_("kendala pelaksanaan"), blank=True)
    recommendations = models.TextField(_("rekomendasi dan rencana tindak lanjut"), blank=True)
    komisi_disputes = models.PositiveIntegerField(
        _("sengketa di Komisi Informasi"),
        default=0,
        help_text=_("Jumlah sengketa informasi yang diajukan tahun ini."),
    )
    stats = models.JSONField(default=dict, editable=False)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("laporan tahunan PPID")
        verbose_name_plural = _("laporan tahunan PPID")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="ppid_report_unique")]

    def __str__(self):
        return str(_("Laporan PPID %(unit)s %(year)s") % {"unit": self.unit.name, "year": self.year})

    def get_absolute_url(self):
        return reverse("ppid:report", kwargs={"slug": self.unit.slug, "year": self.year})
