"""What each platform accepts, declared once, and the check a post must
pass before it is submitted or approved.

The limits are the platforms' documented ones at the time of writing; a
post that breaks one gets a message naming the platform and the fix,
instead of a failure from the platform at publishing time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import MediaKind, Platform

MB = 1024 * 1024


@dataclass(frozen=True)
class PlatformRules:
    max_text: int
    image_types: frozenset[str]
    max_image_bytes: int
    max_images: int
    video_types: frozenset[str] = frozenset({"video/mp4", "video/quicktime"})
    max_video_bytes: int = 1024 * MB
    max_video_seconds: float | None = None
    min_video_seconds: float | None = None
    needs_media: bool = False
    needs_video: bool = False
    needs_title: bool = False
    max_title: int = 0
    max_hashtags: int | None = None
    # Whether one post can carry images and a video together.
    mixed_media: bool = False
    # Width/height ratio bounds for images.
    min_aspect: float | None = None
    max_aspect: float | None = None


RULES: dict[str, PlatformRules] = {
    Platform.FACEBOOK: PlatformRules(
        max_text=63_206,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        max_image_bytes=4 * MB,
        max_images=10,
    ),
    Platform.INSTAGRAM: PlatformRules(
        max_text=2_200,
        # The content publishing API takes JPEG only.
        image_types=frozenset({"image/jpeg"}),
        max_image_bytes=8 * MB,
        max_images=10,
        max_video_bytes=300 * MB,
        min_video_seconds=3,
        max_video_seconds=15 * 60,
        needs_media=True,
        max_hashtags=30,
        min_aspect=4 / 5,
        max_aspect=1.91,
    ),
    Platform.X: PlatformRules(
        max_text=280,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        max_image_bytes=5 * MB,
        max_images=4,
        max_video_bytes=512 * MB,
        max_video_seconds=140,
    ),
    Platform.YOUTUBE: PlatformRules(
        max_text=5_000,
        image_types=frozenset(),
        max_image_bytes=0,
        max_images=0,
        needs_video=True,
        needs_title=True,
        max_title=100,
        mixed_media=True,
    ),
    Platform.TIKTOK: PlatformRules(
        max_text=2_200,
        image_types=frozenset(),
        max_image_bytes=0,
        max_images=0,
        max_video_bytes=4096 * MB,
        min_video_seconds=3,
        max_video_seconds=10 * 60,
        needs_video=True,
        mixed_media=True,
    ),
}

# --- X's weighted length ---------------------------------------------------------
# X counts most Latin, punctuation and general symbols as 1 and everything
# else (CJK, emoji) as 2, after NFC normalisation; every URL counts as 23.
X_URL_LENGTH = 23
X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
HASHTAG_PATTERN = re.compile(r"(?:^|(?<=\s))#[^\s#]+")
# Marks that extend the character before them (skin tones, variation
# selectors, the zero-width joiner inside emoji sequences) add nothing.
_COMBINING_EMOJI = frozenset(range(0x1F3FB, 0x1F400)) | {0xFE0E, 0xFE0F, 0x200D, 0x20E3}


def x_weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text or "")
    length = 0
    position = 0
    for match in URL_PATTERN.finditer(text):
        length += _weigh(text[position : match.start()]) + X_URL_LENGTH
        position = match.end()
    return length + _weigh(text[position:])


def _weigh(chunk: str) -> int:
    total = 0
    previous_emoji = False
    joining = False
    for char in chunk:
        point = ord(char)
        if previous_emoji and (joining or point in _COMBINING_EMOJI):
            # Part of the emoji before it: a modifier, or the character a
            # zero-width joiner attaches.
            joining = point == 0x200D
            continue
        light = any(low <= point <= high for low, high in X_LIGHT_RANGES)
        total += 1 if light else 2
        previous_emoji = not light
        joining = False
    return total


def count_hashtags(text: str) -> int:
    return len(HASHTAG_PATTERN.findall(text or ""))


# --- checking a post -------------------------------------------------------------


@dataclass(frozen=True)
class MediaInfo:
    """What validation needs to know about one file (a stored ``PostMedia``
    or an upload being checked)."""

    kind: str
    content_type: str
    size: int
    width: int = 0
    height: int = 0
    duration: float | None = None
    name: str = ""


def _caption(text: str, link: str) -> str:
    if link and link not in text:
        return f"{text}\n\n{link}".strip()
    return text


def platform_problems(
    platform: str,
    *,
    text: str,
    title: str,
    link: str,
    media: Iterable[MediaInfo],
) -> list[str]:
    """Indonesian messages for everything the platform would refuse."""
    rules = RULES[platform]
    label = Platform(platform).label
    media = list(media)
    images = [m for m in media if m.kind == MediaKind.IMAGE]
    videos = [m for m in media if m.kind == MediaKind.VIDEO]
    problems: list[str] = []

    def add(message: str, **params):
        problems.append(_("%(platform)s: %(problem)s") % {"platform": label, "problem": message % params})

    caption = _caption(text, link) if platform != Platform.FACEBOOK or images or videos else text
    if platform == Platform.X:
        length = x_weighted_length(caption)
        if length > rules.max_text:
            add(
                _(
                    "teks terlalu panjang (%(length)s dari %(max)s karakter; setiap tautan dihitung 23 karakter). "
                    "Persingkat teks atau tulis versi khusus X."
                ),
                length=length,
                max=rules.max_text,
            )
    elif len(caption) > rules.max_text:
        add(
            _(
                "teks terlalu panjang (%(length)s dari %(max)s karakter). Persingkat teks atau tulis versi khusus."
            ),
            length=len(caption),
            max=rules.max_text,
        )
    if rules.max_hashtags is not None and count_hashtags(caption) > rules.max_hashtags:
        add(
            _("terlalu banyak tagar (%(count)s; paling banyak %(max)s)."),
            count=count_hashtags(caption),
            max=rules.max_hashtags,
        )
    if rules.needs_title:
        if not title.strip():
            add(_("judul video wajib diisi."))
        elif len(title) > rules.max_title:
            add(
                _("judul terlalu panjang (%(length)s dari %(max)s karakter)."),
                length=len(title),
                max=rules.max_title,
            )
        elif "<" in title or ">" in title:
            add(_("judul tidak boleh memuat tanda < atau >."))
    if rules.needs_video and not videos:
        add(_("kiriman wajib memuat satu video."))
    if rules.needs_media and not (images or videos):
        add(_("kiriman wajib memuat gambar atau video."))
    if images and videos and not rules.mixed_media:
        add(_("satu kiriman hanya dapat memuat gambar atau video, tidak keduanya."))
    if len(videos) > 1:
        add(_("hanya satu video per kiriman."))
    # Platforms that take only a video ignore the images; no point judging them.
    if rules.max_images and images:
        if len(images) > rules.max_images:
            add(_("paling banyak %(max)s gambar (ada %(count)s)."), max=rules.max_images, count=len(images))
        for image in images:
            name = image.name or _("gambar")
            if image.content_type not in rules.image_types:
                add(
                    _("format %(name)s tidak diterima; gunakan %(formats)s."),
                    name=name,
                    formats=", ".join(sorted(t.split("/")[1].upper() for t in rules.image_types)),
                )
            if image.size > rules.max_image_bytes:
                add(
                    _("ukuran %(name)s %(size)s melebihi batas %(limit)s."),
                    name=name,
                    size=filesizeformat(image.size),
                    limit=filesizeformat(rules.max_image_bytes),
                )
            if rules.min_aspect and image.width and image.height:
                ratio = image.width / image.height
                if ratio < rules.min_aspect - 0.01 or ratio > (rules.max_aspect or ratio) + 0.01:
                    add(
                        _("rasio %(name)s (%(w)s×%(h)s) harus antara 4:5 dan 1,91:1."),
                        name=name,
                        w=image.width,
                        h=image.height,
                    )
    for video in videos:
        if video.content_type not in rules.video_types:
            add(_("format video tidak diterima; gunakan MP4 atau MOV."))
        if video.size > rules.max_video_bytes:
            add(
                _("ukuran video %(size)s melebihi batas %(limit)s."),
                size=filesizeformat(video.size),
                limit=filesizeformat(rules.max_video_bytes),
            )
        if video.duration is not None:
            if rules.max_video_seconds and video.duration > rules.max_video_seconds:
                add(
                    _("video terlalu panjang (%(duration)s detik; paling lama %(max)s detik)."),
                    duration=int(video.duration),
                    max=int(rules.max_video_seconds),
                )
            if rules.min_video_seconds and video.duration < rules.min_video_seconds:
                add(
                    _("video terlalu pendek (paling singkat %(min)s detik)."),
                    min=int(rules.min_video_seconds),
                )
    return problems


def media_info(item) -> MediaInfo:
    return MediaInfo(
        kind=item.kind,
        content_type=item.content_type,
        size=item.size,
        width=item.width,
        height=item.height,
        duration=item.duration,
        name=str(item),
    )


def post_problems(post, *, accounts=None) -> list[str]:
    """Every problem of a saved post for its target accounts' platforms,
    one list, platforms in a stable order."""
    accounts = list(accounts if accounts is not None else post.accounts.all())
    problems: list[str] = []
    if not accounts:
        problems.append(_("Pilih minimal satu akun tujuan."))
    if not post.text.strip():
        problems.append(_("Teks kiriman wajib diisi."))
    media = [media_info(item) for item in post.media.all()]
    for platform in [p for p in Platform.values if p in {a.platform for a in accounts}]:
        problems.extend(
            platform_problems(
                platform,
                text=post.text_for(platform),
                title=post.title,
                link=post.link,
                media=media,
            )
        )
    return problems
