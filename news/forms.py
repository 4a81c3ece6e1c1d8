"""Forms of the news desk. They validate input and hand clean values to the
services; they never save anything themselves."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from humas_portal.core.held_uploads import HeldFileInput, HeldMultipleFileInput, HeldUploadsMixin
from humas_portal.core.images import check_image
from humas_portal.core.models import User, WorkUnit
from humas_portal.core.templatetags.portal import tz_abbr

from . import policy
from .models import Category, NewsImage, NewsItem, PriorityProgram
from .sanitize import sanitize_html

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
MAX_GALLERY_UPLOADS = 20
MAX_TAGS = 15


def unit_local_input(value: datetime | None, unit: WorkUnit | None) -> str:
    """An aware datetime as the ``datetime-local`` value in the unit's zone."""
    if value is None:
        return ""
    zone = unit.tzinfo if unit is not None else timezone.get_current_timezone()
    return timezone.localtime(value, zone).strftime(LOCAL_INPUT_FORMAT)


def in_unit_zone(value: datetime | None, unit: WorkUnit) -> datetime | None:
    """Read a time the user typed as the unit's local time (WIB/WITA/WIT).

    Django's field has already attached the request's zone to the typed
    wall-clock time; keep the wall-clock time and attach the unit's zone
    instead, so "09:00" at a WITA unit is stored as 01:00 UTC.
    """
    if value is None:
        return None
    wall_clock = timezone.make_naive(value, timezone.get_current_timezone())
    return timezone.make_aware(wall_clock, unit.tzinfo)


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)
    input_formats = [LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
    default_error_messages = {"invalid": _("Masukkan tanggal dan jam yang benar, misalnya 2025-08-17 09:00.")}


class MultipleImageField(forms.FileField):
    """Several photos in one input; each is checked as a real image. A form
    shown again after an error keeps the good ones (``check_one``)."""

    widget = HeldMultipleFileInput(attrs={"accept": "image/*"})

    def check_one(self, upload):
        upload = super().clean(upload)
        check_image(upload)
        return upload

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_GALLERY_UPLOADS:
            raise ValidationError(
                _("Paling banyak %(count)s foto sekali unggah.") % {"count": MAX_GALLERY_UPLOADS}
            )
        cleaned = []
        errors = []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                check_image(upload)
            except ValidationError as error:
                errors.extend(
                    _("%(name)s: %(message)s") % {"name": upload.name, "message": message}
                    for message in error.messages
                )
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({tz_abbr(obj)})"


class NewsItemForm(HeldUploadsMixin, forms.Form):
    """The writer's form. Built with ``held_uploads=``, a form shown again
    after an error keeps the photos already chosen."""

    title = forms.CharField(label=_("Judul"), max_length=200)
    lead = forms.CharField(
        label=_("Teras berita"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ringkasan satu atau dua kalimat: apa, siapa, kapan, di mana."),
    )
    # The editor hides the textarea, so the browser cannot enforce
    # "required"; clean_body does.
    body = forms.CharField(
        label=_("Isi berita"), required=False, widget=CKEditor5Widget(config_name="default")
    )
    featured_image = forms.FileField(
        label=_("Foto utama"),
        required=False,
        widget=HeldFileInput(attrs={"accept": "image/*"}),
        help_text=_("JPEG, PNG, WebP atau GIF. Data lokasi (EXIF) dihapus otomatis."),
    )
    featured_caption = forms.CharField(label=_("Keterangan foto utama"), max_length=300, required=False)
    photo_credit = forms.CharField(
        label=_("Fotografer"),
        max_length=150,
        required=False,
        help_text=_("Tampil sebagai “Foto: …” di bawah berita."),
    )
    gallery = MultipleImageField(label=_("Galeri foto"), required=False)
    remove_images = forms.ModelMultipleChoiceField(
        label=_("Hapus foto"),
        queryset=NewsImage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dateline = forms.CharField(label=_("Tempat (dateline)"), max_length=100, required=False)
    reporter = forms.CharField(label=_("Penulis/reporter"), max_length=150, required=False)
    editor_credit = forms.CharField(label=_("Editor"), max_length=150, required=False)
    unit = UnitChoiceField(label=_("Unit kerja"), queryset=WorkUnit.objects.none(), empty_label=None)
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("— tanpa kategori —"),
    )
    tags = forms.CharField(
        label=_("Tag"),
        required=False,
        max_length=500,
        help_text=_("Pisahkan dengan koma, misalnya: moderasi beragama, madrasah"),
    )
    priority_program = forms.ChoiceField(
        label=_("Program prioritas"),
        choices=[("", _("— pilih program —")), *PriorityProgram.choices],
        required=False,
    )
    event_date = forms.DateField(
        label=_("Tanggal kegiatan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    publish_at = LocalDateTimeField(
        label=_("Jadwal terbit"),
        required=False,
        help_text=_("Waktu setempat unit (WIB/WITA/WIT). Kosongkan agar terbit segera setelah disetujui."),
    )

    def __init__(self, *args, user: User, item: NewsItem | None = None, **kwargs):
        self.user = user
        self.item = item
        initial = kwargs.setdefault("initial", {})
        units = policy.editable_units(user).order_by("path")
        if item is not None:
            for field in (
                "title",
                "lead",
                "body",
                "featured_caption",
                "photo_credit",
                "dateline",
                "reporter",
                "editor_credit",
                "priority_program",
                "event_date",
            ):
                initial.setdefault(field, getattr(item, field))
            initial.setdefault("unit", item.unit_id)
            initial.setdefault("category", item.category_id)
            initial.setdefault("tags", ", ".join(tag.name for tag in item.tags.all()))
            initial.setdefault("publish_at", unit_local_input(item.publish_at, item.unit))
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if item is None:
            only = list(self.fields["unit"].queryset[:2])
            if len(only) == 1:
                self.initial.setdefault("unit", only[0].pk)
            self.fields.pop("remove_images")
        else:
            self.fields["remove_images"].queryset = item.images.filter(in_gallery=True).order_by(
                "position", "id"
            )

    def clean_body(self):
        body = sanitize_html(self.cleaned_data.get("body", ""))
        if not strip_tags(body).strip() and "<img" not in body:
            raise ValidationError(_("Isi berita wajib diisi."))
        return body

    def clean_featured_image(self):
        upload = self.cleaned_data.get("featured_image")
        if upload:
            check_image(upload)
        return upload or None

    def clean_tags(self):
        names = [" ".join(name.split()) for name in self.cleaned_data.get("tags", "").split(",")]
        names = [name for name in names if name]
        if len(names) > MAX_TAGS:
            raise ValidationError(_("Paling banyak %(count)s tag.") % {"count": MAX_TAGS})
        if any(len(name) > 80 for name in names):
            raise ValidationError(_("Satu tag paling panjang 80 huruf."))
        return names

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        publish_at = cleaned.get("publish_at")
        if unit is not None and publish_at is not None:
            publish_at = in_unit_zone(publish_at, unit)
            cleaned["publish_at"] = publish_at
            unchanged = self.item is not None and self.item.publish_at == publish_at
            if publish_at <= timezone.now() and not unchanged:
                self.add_error(
                    "publish_at",
                    _("Jadwal terbit sudah lewat. Pilih waktu yang akan datang atau kosongkan."),
                )
        return cleaned

    def service_kwargs(self) -> dict:
        """The cleaned values as keyword arguments of the services."""
        data = self.cleaned_data
        values = {
            field: data[field]
            for field in (
                "title",
                "lead",
                "body",
                "featured_caption",
                "photo_credit",
                "dateline",
                "reporter",
                "editor_credit",
                "unit",
                "category",
                "priority_program",
                "event_date",
                "publish_at",
                "tags",
            )
        }
        values["featured_upload"] = data.get("featured_image")
        values["gallery_uploads"] = data.get("gallery") or []
        if "remove_images" in self.fields:
            values["remove_image_ids"] = [image.pk for image in data.get("remove_images") or []]
        return values


class NoteForm(forms.Form):
    """The note of a return, the reason of a rejection or an unpublishing.

    Whether it is required is the workflow's rule (and its message), so the
    field itself accepts an empty value and the service refuses it."""

    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea)


class ScheduleForm(forms.Form):
    """A publication time in the item's unit's zone (optional)."""

    publish_at = LocalDateTimeField(label=_("Jadwal terbit"), required=False)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, unit: WorkUnit, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)

    def clean_publish_at(self):
        value = in_unit_zone(self.cleaned_data.get("publish_at"), self.unit)
        if value is not None and value <= timezone.now():
            raise ValidationError(
                _("Jadwal terbit sudah lewat. Pilih waktu yang akan datang atau kosongkan.")
            )
        return value
