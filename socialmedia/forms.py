"""Forms of the social-media pages. They only collect and check input; the
services decide and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from humas_portal.core import images

from .media import check_video
from .models import AccountStatus, MediaKind, Platform, PostMedia, SocialAccount
from .validation import RULES, TextUnit, text_limit_problems


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


class PostTextField(forms.CharField):
    """A caption as the platform will count it: a browser sends each line
    break as CR LF, which would count twice."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class AccountCheckboxes(forms.CheckboxSelectMultiple):
    """Target accounts that tell the composer their platform, name and
    handle (for the per-platform boxes, counts and previews); the template
    lays each out with ``option.data.account``."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        account = getattr(value, "instance", None)
        if account is not None:
            option["account"] = account
            option["attrs"].update(
                {
                    "data-platform": account.platform,
                    "data-name": account.display_name,
                    "data-handle": account.handle.lstrip("@"),
                }
            )
        return option


# The limit each per-platform box names, for a browser without scripts.
_LIMIT_HELP = {
    TextUnit.CHARACTERS: _("Paling banyak %(max)s karakter."),
    TextUnit.X_WEIGHTED: _(
        "Paling banyak %(max)s karakter; setiap tautan dihitung 23, huruf non-Latin dan emoji 2."
    ),
    TextUnit.UTF8_BYTES: _("Paling banyak %(max)s bita (huruf non-Latin dan emoji lebih dari 1 bita)."),
    TextUnit.UTF16_UNITS: _("Paling banyak %(max)s karakter; emoji dihitung 2."),
}


class PostForm(forms.Form):
    """A post's content for one unit. The scheduled time is read in the
    current time zone, which the view sets to the unit's.

    Each platform of the unit's accounts has a box for its own version of
    the text. Only the boxes of the chosen accounts' platforms count: the
    composer hides the others, and without scripts, where every box shows,
    what is typed for a platform not chosen is dropped. The text limits of
    the chosen platforms are checked here, as the composer counts them;
    what is still missing (a video, a title) is checked at submission."""

    text = PostTextField(
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
    link = forms.URLField(
        label=_("Tautan"),
        required=False,
        max_length=500,
        assume_scheme="https",
        # A text box, not type=url: the browser would refuse "kemenag.go.id/…"
        # without "https://", which the server adds.
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"}),
        help_text=_("Boleh tanpa https://."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("Jadwal terbit"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    accounts = forms.ModelMultipleChoiceField(
        label=_("Akun tujuan"),
        queryset=SocialAccount.objects.none(),
        widget=AccountCheckboxes,
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
        self.post = post
        # An account waiting for a new token can be written for; approval
        # asks for it to be active again (services._require_publishable).
        self.fields["accounts"].queryset = (
            SocialAccount.objects.of_unit(unit)
            .exclude(status=AccountStatus.DISABLED)
            .order_by("platform", "display_name")
        )
        self.fields["accounts"].label_from_instance = lambda account: str(account)
        present = set(self.fields["accounts"].queryset.values_list("platform", flat=True))
        if post is not None:
            present |= set((post.platform_texts or {}).keys())
        # In the platforms' fixed order, only those the unit can post to.
        self.platforms = [p for p in Platform if p.value in present]
        for platform in self.platforms:
            rules = RULES[platform]
            self.fields[f"text_{platform.value}"] = PostTextField(
                label=_("Teks khusus %(platform)s") % {"platform": platform.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "data-platform-text": platform.value}),
                help_text=_LIMIT_HELP[rules.text_unit]
                % {"max": formats.number_format(rules.max_text, force_grouping=True)},
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

    def chosen_platforms(self) -> list[str]:
        chosen = {account.platform for account in self.cleaned_data.get("accounts") or ()}
        return [p.value for p in self.platforms if p.value in chosen]

    def _has_media(self) -> bool:
        if self.cleaned_data.get("images") or self.cleaned_data.get("video"):
            return True
        if self.post is None:
            return False
        removed = [m.pk for m in self.cleaned_data.get("remove_media") or ()]
        return self.post.media.exclude(pk__in=removed).exists()

    def clean(self):
        cleaned = super().clean()
        if "text" not in cleaned:
            return cleaned
        has_media = self._has_media()
        errors: dict[str, list[str]] = {}
        for platform in self.chosen_platforms():
            own = cleaned.get(f"text_{platform}", "").strip()
            for part, message in text_limit_problems(
                platform,
                text=own or cleaned["text"],
                title=cleaned.get("title", ""),
                link=cleaned.get("link", ""),
                has_media=has_media,
            ):
                # The error sits on the box that holds the text the platform gets.
                field = "title" if part == "title" else (f"text_{platform}" if own else "text")
                errors.setdefault(field, []).append(message)
        for field, messages in errors.items():
            self.add_error(field, messages)
        return cleaned

    def platform_texts(self) -> dict[str, str]:
        """The own versions of the chosen platforms; the others are dropped."""
        return {p: self.cleaned_data.get(f"text_{p}", "") for p in self.chosen_platforms()}

    def stored_media(self) -> list[dict]:
        """The post's files, for the composer's previews."""
        if self.post is None:
            return []
        return [
            {
                "id": m.pk,
                "kind": m.kind,
                "url": m.file.url if m.kind == MediaKind.IMAGE else "",
                "name": str(m),
            }
            for m in self.post.media.all()
        ]

    def platform_fields(self):
        return [(platform, self[f"text_{platform.value}"]) for platform in self.platforms]


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
