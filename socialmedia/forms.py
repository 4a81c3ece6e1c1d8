"""Forms of the social-media pages. They only collect and check input; the
services decide and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from humas_portal.core import images

from .media import check_video
from .models import Platform, PostMedia, SocialAccount


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleImageField, self).clean(item, initial) for item in files]
        for upload in cleaned:
            try:
                images.check_image(upload)
            except ValidationError as error:
                raise ValidationError(
                    _("%(name)s: %(message)s") % {"name": upload.name, "message": " ".join(error.messages)}
                ) from error
        return cleaned


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PostForm(forms.Form):
    """A post's content for one unit. The scheduled time is read in the
    current time zone, which the view sets to the unit's."""

    text = forms.CharField(
        label=_("Teks"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Teks yang sama untuk semua platform, kecuali diisi versi khusus di bawah."),
    )
    title = forms.CharField(
        label=_("Judul video"),
        max_length=200,
        required=False,
        help_text=_("Wajib untuk YouTube, paling banyak 100 karakter."),
    )
    link = forms.URLField(label=_("Tautan"), required=False, max_length=500, assume_scheme="https")
    scheduled_at = forms.DateTimeField(
        label=_("Jadwal terbit"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    accounts = forms.ModelMultipleChoiceField(
        label=_("Akun tujuan"),
        queryset=SocialAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih minimal satu akun tujuan.")},
    )
    images = MultipleImageField(
        label=_("Tambah gambar"),
        help_text=_("JPEG, PNG, WebP atau GIF. Boleh lebih dari satu."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    video = forms.FileField(
        label=_("Video"),
        required=False,
        help_text=_("Satu video MP4 atau MOV."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/quicktime"}),
    )
    remove_media = forms.ModelMultipleChoiceField(
        label=_("Hapus media"),
        queryset=PostMedia.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, unit, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["accounts"].queryset = (
            SocialAccount.objects.of_unit(unit).active().order_by("platform", "display_name")
        )
        for platform in Platform:
            self.fields[f"text_{platform.value}"] = forms.CharField(
                label=_("Teks khusus %(platform)s") % {"platform": platform.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if post is not None:
            self.fields["remove_media"].queryset = post.media.all()
        else:
            del self.fields["remove_media"]

    def clean_video(self):
        video = self.cleaned_data.get("video")
        if video:
            check_video(video)
        return video

    def platform_texts(self) -> dict[str, str]:
        return {p.value: self.cleaned_data.get(f"text_{p.value}", "") for p in Platform}

    def platform_fields(self):
        return [self[f"text_{p.value}"] for p in Platform]


class AccountForm(forms.Form):
    """An account's details; the tokens are write-only: never rendered
    back, and left blank to keep the stored ones."""

    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=None)
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    account_id = forms.CharField(
        label=_("ID akun di platform"),
        max_length=100,
        help_text=_("ID Halaman Facebook, ID pengguna Instagram/X, ID kanal YouTube, atau open_id TikTok."),
    )
    display_name = forms.CharField(label=_("Nama akun"), max_length=150)
    handle = forms.CharField(
        label=_("Nama pengguna"),
        max_length=100,
        required=False,
        help_text=_("Tanpa @; dipakai untuk membuat tautan kiriman X dan TikTok."),
    )
    access_token = forms.CharField(
        label=_("Token akses"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    refresh_token = forms.CharField(
        label=_("Token pembaruan (refresh token)"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Untuk YouTube, X dan TikTok, agar token akses diperbarui otomatis."),
    )

    def __init__(self, *args, units, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["unit"].queryset = units
        if account is not None and account.has_token:
            self.fields["access_token"].help_text = _(
                "Token tersimpan dan tidak ditampilkan. Kosongkan untuk tetap memakai token tersimpan."
            )
        else:
            self.fields["access_token"].required = True

    def clean(self):
        cleaned = super().clean()
        unit, platform, account_id = cleaned.get("unit"), cleaned.get("platform"), cleaned.get("account_id")
        if unit and platform and account_id:
            clash = SocialAccount.objects.filter(unit=unit, platform=platform, account_id=account_id.strip())
            if self.account is not None:
                clash = clash.exclude(pk=self.account.pk)
            if clash.exists():
                raise ValidationError(_("Akun ini sudah terhubung ke unit tersebut."))
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MarkPublishedForm(forms.Form):
    url = forms.URLField(
        label=_("Tautan kiriman di platform"), required=False, max_length=500, assume_scheme="https"
    )
