"""Forms of the Dumas app: the public complaint form, the staff intake form,
the tracking page's forms and the officers' action forms."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humas_portal.core.held_uploads import HeldMultipleFileInput, HeldUploadsMixin
from humas_portal.core.models import User, WorkUnit
from humas_portal.core.ratelimit import GuardedFormMixin

from . import policy
from .attachments import check_attachment, check_attachments
from .models import Complaint
from .workflow import (
    STAFF_CHANNELS,
    Channel,
    ComplaintKind,
    ComplaintStatus,
    ForwardDestination,
    IdentityMode,
    Violation,
)

IDENTITY_CHOICES = [
    (IdentityMode.IDENTIFIED, _("Terbuka: nama dan kontak saya boleh diketahui petugas yang menangani")),
    (IdentityMode.CONFIDENTIAL, _("Rahasia: identitas saya hanya diketahui petugas pengaduan")),
    (IdentityMode.ANONYMOUS, _("Anonim: tanpa nama dan kontak, saya memantau dengan kode pelacakan")),
]

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{6,18}[0-9]$",
    _("Tuliskan nomor telepon yang valid, misalnya 0812 3456 7890."),
)


class AttachmentsField(forms.FileField):
    """Several photos or PDFs in one input, each checked by its content.

    A bad file is named in the error, and a form shown again keeps the good
    ones (``check_one``, see ``humas_portal.core.held_uploads``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            HeldMultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,application/pdf"}
            ),
        )
        super().__init__(**kwargs)

    def check_one(self, upload):
        checked = super().clean(upload)
        check_attachment(checked)
        return checked

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        single = super().clean
        files = [single(item, initial) for item in files if item]
        try:
            check_attachments(files)
        except ValidationError as error:
            if error.code == "too_many":
                raise
            raise ValidationError(self._named_errors(files)) from error
        return files

    @staticmethod
    def _named_errors(files) -> list[str]:
        messages = []
        for upload in files:
            try:
                check_attachment(upload)
            except ValidationError as error:
                messages.extend(
                    _("%(name)s: %(message)s") % {"name": upload.name, "message": message}
                    for message in error.messages
                )
        return messages


def attachments_help() -> str:
    return _(
        "Foto (JPEG, PNG, WebP) atau PDF, paling banyak %(count)s berkas, masing-masing %(size)s MB."
    ) % {
        "count": settings.DUMAS_ATTACHMENT_MAX_FILES,
        "size": settings.DUMAS_ATTACHMENT_MAX_BYTES // 1_048_576,
    }


class ComplaintFieldsForm(HeldUploadsMixin, forms.Form):
    """What a complaint says and who tells it; shared by the public and the
    staff forms. Built with ``held_uploads=``, a form shown again after an
    error keeps the attachments already chosen."""

    kind = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        initial=ComplaintKind.PENGADUAN,
    )
    violation = forms.ChoiceField(
        label=_("Jenis pelanggaran"),
        choices=[("", _("— pilih bila melaporkan pelanggaran —")), *Violation.choices],
        required=False,
        help_text=_("Wajib diisi untuk pelaporan pelanggaran (whistleblowing)."),
    )
    subject = forms.CharField(label=_("Judul laporan"), max_length=200)
    description = forms.CharField(
        label=_("Uraian"),
        min_length=20,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Ceritakan apa yang terjadi, kapan, siapa yang terlibat bila Anda tahu, dan harapan Anda."
        ),
    )
    incident_location = forms.CharField(label=_("Lokasi kejadian"), max_length=200, required=False)
    occurred_on = forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    identity_mode = forms.ChoiceField(
        label=_("Identitas pelapor"),
        choices=IDENTITY_CHOICES,
        widget=forms.RadioSelect,
        initial=IdentityMode.CONFIDENTIAL,
    )
    reporter_name = forms.CharField(label=_("Nama"), max_length=150, required=False)
    reporter_email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Kode pelacakan dan kabar perkembangan dikirim ke alamat ini."),
    )
    reporter_phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp"),
        max_length=25,
        required=False,
        validators=[phone_validator],
        help_text=_("Untuk dihubungi petugas bila perlu. Tidak ada SMS/WhatsApp otomatis."),
    )
    attachments = AttachmentsField(label=_("Lampiran"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()

    def today(self) -> date:
        return timezone.localdate()

    def clean_occurred_on(self):
        value = self.cleaned_data.get("occurred_on")
        if value and value > self.today():
            raise ValidationError(_("Tanggal kejadian tidak boleh di masa depan."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ComplaintKind.WHISTLEBLOWING:
            if not cleaned.get("violation"):
                self.add_error("violation", _("Pilih jenis pelanggaran yang dilaporkan."))
        else:
            cleaned["violation"] = ""
        if cleaned.get("identity_mode") == IdentityMode.ANONYMOUS:
            # Anonymous collects nothing, whatever the browser sent.
            for name in ("reporter_name", "reporter_email", "reporter_phone"):
                cleaned[name] = ""
                self.errors.pop(name, None)
        elif cleaned.get("identity_mode") and not (cleaned.get("reporter_name") or "").strip():
            self.add_error("reporter_name", _("Tuliskan nama Anda, atau pilih anonim."))
        return cleaned

    def submit_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "violation": data["violation"],
            "subject": data["subject"],
            "description": data["description"],
            "incident_location": data.get("incident_location") or "",
            "occurred_on": data.get("occurred_on"),
            "identity_mode": data["identity_mode"],
            "reporter_name": data.get("reporter_name") or "",
            "reporter_email": data.get("reporter_email") or "",
            "reporter_phone": data.get("reporter_phone") or "",
            "attachments": data.get("attachments") or [],
        }


class PublicFormGuard(GuardedFormMixin):
    guard_scope = "dumas"
    guard_min_seconds = staticmethod(lambda: settings.DUMAS_FORM_MIN_SECONDS)
    guard_max_age_seconds = staticmethod(lambda: settings.DUMAS_FORM_MAX_AGE_HOURS * 3600)


class PublicComplaintForm(PublicFormGuard, ComplaintFieldsForm):
    agree = forms.BooleanField(
        label=_("Saya menyatakan laporan ini sesuai dengan keadaan yang sebenarnya."),
        error_messages={"required": _("Centang pernyataan ini untuk mengirim laporan.")},
    )


class StaffComplaintForm(ComplaintFieldsForm):
    """A complaint an officer records from the PTSP desk, WhatsApp, phone,
    email or a letter."""

    unit = forms.ModelChoiceField(label=_("Unit yang diadukan"), queryset=WorkUnit.objects.none())
    channel = forms.ChoiceField(
        label=_("Diterima melalui"),
        choices=[(value, label) for value, label in Channel.choices if value in STAFF_CHANNELS],
    )
    received_at = forms.DateTimeField(
        label=_("Waktu diterima"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Waktu setempat unit. Kosongkan bila baru saja diterima."),
    )

    field_order = ["unit", "channel", "received_at"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = policy.record_units(user).order_by("path")

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        received_at: datetime | None = cleaned.get("received_at")
        if unit and received_at:
            # The officer typed the unit's local time, whatever zone the
            # server or the browser is in.
            local = timezone.make_aware(received_at.replace(tzinfo=None), unit.tzinfo)
            if local > timezone.now():
                self.add_error("received_at", _("Waktu diterima tidak boleh di masa depan."))
            cleaned["received_at"] = local
        return cleaned

    def submit_kwargs(self) -> dict:
        return {
            **super().submit_kwargs(),
            "unit": self.cleaned_data["unit"],
            "channel": self.cleaned_data["channel"],
            "received_at": self.cleaned_data.get("received_at"),
        }


# --- The tracking page -------------------------------------------------------------


class InformationForm(PublicFormGuard, HeldUploadsMixin, forms.Form):
    text = forms.CharField(
        label=_("Informasi tambahan"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = AttachmentsField(label=_("Lampiran"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and not cleaned.get("attachments"):
            raise ValidationError(_("Tuliskan informasi tambahan atau lampirkan berkas."))
        return cleaned


RATING_CHOICES = [
    (5, _("5 · Sangat puas")),
    (4, _("4 · Puas")),
    (3, _("3 · Cukup")),
    (2, _("2 · Kurang puas")),
    (1, _("1 · Tidak puas")),
]


class RatingForm(PublicFormGuard, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Penilaian Anda atas jawaban"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- The officers' desk ------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(forms.Form):
    destination = forms.ChoiceField(label=_("Diteruskan ke"), choices=ForwardDestination.choices)
    external_reference = forms.CharField(label=_("Nomor rujukan dari instansi tujuan"), max_length=100)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=WorkUnit.objects.none(), required=False)
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = policy.assignment_units(complaint).order_by("path")
        self.fields["assignee"].queryset = policy.assignable_people(complaint)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("unit") and not cleaned.get("assignee"):
            raise ValidationError(_("Pilih unit atau petugas yang ditugaskan."))
        return cleaned


class ReportForm(forms.Form):
    note = forms.CharField(label=_("Laporan tindak lanjut"), widget=forms.Textarea(attrs={"rows": 3}))


class LocationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=WorkUnit.objects.none())
    name = forms.CharField(
        label=_("Nama lokasi"),
        max_length=120,
        help_text=_("Tempat poster dipasang, misalnya “Meja PTSP” atau “Loket depan KUA”."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = policy.location_units(user).order_by("path")


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari kode atau judul"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *ComplaintStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *ComplaintKind.choices]
    )
    overdue = forms.BooleanField(label=_("Hanya yang lewat batas waktu"), required=False)


MONTH_CHOICES = [
    ("", _("Sepanjang tahun")),
    (1, _("Januari")),
    (2, _("Februari")),
    (3, _("Maret")),
    (4, _("April")),
    (5, _("Mei")),
    (6, _("Juni")),
    (7, _("Juli")),
    (8, _("Agustus")),
    (9, _("September")),
    (10, _("Oktober")),
    (11, _("November")),
    (12, _("Desember")),
]


class RecapFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Bulan"), choices=MONTH_CHOICES, coerce=int, required=False, empty_value=None
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=WorkUnit.objects.none(), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = policy.recap_units(user).order_by("path")
        self.fields["unit"].empty_label = _("Semua unit yang saya pantau")
