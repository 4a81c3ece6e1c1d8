"""Forms of the PPID app. They check input a person can correct on the spot;
the services check it again and decide everything else."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humas_portal.core.held_uploads import HeldFileInput, HeldUploadsMixin
from humas_portal.core.ratelimit import GuardedFormMixin

from .files import check_identity_upload
from .models import (
    AnswerForm,
    Decision,
    DeliveryMethod,
    DipEntry,
    ExemptionGround,
    ObjectionGround,
    ObjectionOutcome,
    ObtainMethod,
    PpidProfile,
    RequesterKind,
)
from .services import DIP_FIELDS, PROFILE_FIELDS, dip_entry_errors
from .validators import normalise_entity_number, normalise_nik


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form's fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _form_min_seconds() -> int:
    return settings.PPID_FORM_MIN_SECONDS


class RequestForm(GuardedFormMixin, HeldUploadsMixin, forms.Form):
    """The request form of Perki 1/2021, behind the portal's form guard
    (honeypot, timing token, a sum to answer when an address sends many).
    Shown again after an error, it keeps the identity scan and the power of
    attorney already chosen (``held_uploads=``)."""

    guard_scope = "ppid-request"
    guard_min_seconds = _form_min_seconds

    requester_kind = forms.ChoiceField(
        label=_("Jenis pemohon"),
        choices=RequesterKind.choices,
        widget=forms.RadioSelect,
        initial=RequesterKind.INDIVIDUAL,
    )
    name = forms.CharField(
        label=_("Nama pemohon"),
        max_length=200,
        help_text=_("Nama lengkap, nama kelompok, atau nama badan hukum."),
    )
    identity_number = forms.CharField(
        label=_("NIK atau nomor akta/SK badan hukum"),
        max_length=100,
        help_text=_(
            "Perorangan dan kelompok: NIK 16 angka sesuai KTP. Badan hukum: nomor akta pendirian atau SK pengesahan."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    identity_document = forms.FileField(
        label=_("Pindaian KTP atau akta badan hukum"),
        widget=HeldFileInput(),
        help_text=_("PDF, JPEG atau PNG. Disimpan terenkripsi dan hanya dapat dibuka oleh petugas PPID."),
    )
    address = forms.CharField(label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 3}))
    phone = forms.CharField(label=_("Nomor telepon/HP"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("Tautan pelacakan permohonan dikirim ke alamat ini.")
    )
    via_proxy = forms.BooleanField(label=_("Permohonan diajukan melalui kuasa"), required=False)
    proxy_name = forms.CharField(label=_("Nama penerima kuasa"), max_length=200, required=False)
    proxy_identity_number = forms.CharField(
        label=_("NIK penerima kuasa"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    power_of_attorney = forms.FileField(
        label=_("Surat kuasa"),
        required=False,
        help_text=_("PDF, JPEG atau PNG."),
        widget=HeldFileInput(),
    )
    information_requested = forms.CharField(
        label=_("Rincian informasi yang dibutuhkan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    purpose = forms.CharField(
        label=_("Tujuan penggunaan informasi"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    obtain_method = forms.ChoiceField(
        label=_("Cara memperoleh informasi"), choices=ObtainMethod.choices, widget=forms.RadioSelect
    )
    delivery_method = forms.ChoiceField(
        label=_("Cara mendapatkan salinan informasi"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
    )
    statement = forms.BooleanField(
        label=_(
            "Saya menyatakan data di atas benar dan informasi yang saya peroleh akan digunakan sesuai tujuan."
        ),
    )
    # A field people never see; bots that fill every field give themselves away.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def _checked_identity_file(self, name: str):
        # The service checks the file again when it stores it; checking it
        # here too reports a bad scan together with the other errors, and a
        # form shown again holds only files that passed.
        upload = self.cleaned_data.get(name)
        if upload:
            check_identity_upload(upload)
            upload.seek(0)
        return upload

    def clean_identity_document(self):
        return self._checked_identity_file("identity_document")

    def clean_power_of_attorney(self):
        return self._checked_identity_file("power_of_attorney")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Permohonan tidak dapat diproses."))
        return ""

    def clean(self):
        data = super().clean()
        kind = data.get("requester_kind")
        number = data.get("identity_number")
        if number and kind:
            try:
                if kind == RequesterKind.LEGAL_ENTITY:
                    data["identity_number"] = normalise_entity_number(number)
                else:
                    data["identity_number"] = normalise_nik(number)
            except ValidationError as exc:
                self.add_error("identity_number", exc)
        if data.get("via_proxy"):
            if not data.get("proxy_name"):
                self.add_error("proxy_name", _("Isi nama penerima kuasa."))
            try:
                data["proxy_identity_number"] = normalise_nik(data.get("proxy_identity_number", ""))
            except ValidationError as exc:
                self.add_error("proxy_identity_number", exc)
            if not data.get("power_of_attorney"):
                self.add_error("power_of_attorney", _("Unggah surat kuasa."))
        if not data.get("phone") and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email", _("Isi nomor telepon atau alamat email agar kami dapat menghubungi Anda.")
            )
        if (
            data.get("delivery_method") == DeliveryMethod.EMAIL
            and not data.get("email")
            and "email" not in self.errors
        ):
            self.add_error("email", _("Isi alamat email untuk menerima salinan informasi melalui email."))
        return data


class ObjectionForm(GuardedFormMixin, forms.Form):
    guard_scope = "ppid-objection"
    guard_min_seconds = _form_min_seconds

    grounds = forms.MultipleChoiceField(
        label=_("Alasan keberatan (Pasal 35 UU 14/2008)"),
        choices=ObjectionGround.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sekurang-kurangnya satu alasan keberatan.")},
    )
    reasons = forms.CharField(
        label=_("Kasus posisi"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Uraikan mengapa Anda keberatan dan apa yang Anda minta."),
    )


class ReissueForm(GuardedFormMixin, forms.Form):
    guard_scope = "ppid-reissue"
    guard_min_seconds = _form_min_seconds

    registration_number = forms.CharField(label=_("Nomor pendaftaran"), max_length=80)
    email = forms.EmailField(label=_("Email yang dipakai saat mengajukan permohonan"))


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan perpanjangan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AnswerRequestForm(forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=Decision.choices, widget=forms.RadioSelect)
    answer_note = forms.CharField(
        label=_("Penjelasan kepada pemohon"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    answer_form = forms.ChoiceField(
        label=_("Bentuk informasi yang diberikan"), choices=[("", "—"), *AnswerForm.choices], required=False
    )
    answer_format = forms.CharField(
        label=_("Format"), max_length=100, required=False, help_text=_("Misalnya: PDF, XLSX.")
    )
    fee_amount = forms.IntegerField(label=_("Biaya (Rp)"), min_value=0, initial=0, required=False)
    fee_note = forms.CharField(label=_("Rincian biaya"), max_length=200, required=False)
    refusal_ground = forms.ChoiceField(
        label=_("Dasar penolakan"), choices=[("", "—"), *ExemptionGround.choices], required=False
    )
    consequence_test = forms.CharField(
        label=_("Uji konsekuensi"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    holder_info = forms.CharField(
        label=_("Badan publik yang menguasai informasi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    files = MultipleFileField(label=_("Berkas jawaban"), required=False)


class RedactionForm(forms.Form):
    part = forms.CharField(label=_("Bagian yang dihitamkan/dikaburkan"), max_length=250, required=False)
    ground = forms.ChoiceField(
        label=_("Dasar"), choices=[("", "—"), *ExemptionGround.choices], required=False
    )
    reason = forms.CharField(label=_("Alasan"), max_length=2000, required=False)

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(f)) for f in ("part", "ground", "reason")]
        if any(filled) and not all(filled):
            raise ValidationError(
                _("Lengkapi bagian, dasar dan alasan penghitaman, atau kosongkan barisnya.")
            )
        return data


RedactionFormSet = forms.formset_factory(RedactionForm, extra=3, max_num=30)


class ObjectionAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Putusan"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("Tanggapan tertulis"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class ProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("Situs web"), required=False, assume_scheme="https")

    class Meta:
        model = PpidProfile
        fields = PROFILE_FIELDS
        widgets = {
            "profile": forms.Textarea(attrs={"rows": 5}),
            "service_procedure": forms.Textarea(attrs={"rows": 6}),
            "service_fees": forms.Textarea(attrs={"rows": 3}),
        }


class OfficialForm(forms.Form):
    ppid_position = forms.CharField(label=_("Kedudukan dalam PPID"), max_length=120, required=False)
    name = forms.CharField(label=_("Nama"), max_length=150, required=False)
    office_title = forms.CharField(label=_("Jabatan struktural"), max_length=150, required=False)


OfficialFormSet = forms.formset_factory(OfficialForm, extra=2, max_num=20)


class DipEntryForm(forms.ModelForm):
    class Meta:
        model = DipEntry
        fields = DIP_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "consequence_test": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        for field, messages in dip_entry_errors(data).items():
            for message in messages:
                self.add_error(field, message)
        return data


class DipDocumentForm(forms.Form):
    title = forms.CharField(label=_("Judul dokumen"), max_length=200, required=False)
    file = forms.FileField(label=_("Berkas"))


class ReportForm(forms.Form):
    overview = forms.CharField(
        label=_("Gambaran umum kebijakan dan pelayanan informasi"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    constraints_text = forms.CharField(
        label=_("Kendala pelaksanaan"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    recommendations = forms.CharField(
        label=_("Rekomendasi dan rencana tindak lanjut"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    komisi_disputes = forms.IntegerField(label=_("Sengketa di Komisi Informasi"), min_value=0, initial=0)


def year_choices(first: int = 2020) -> list[int]:
    return list(range(timezone.now().year, first - 1, -1))
