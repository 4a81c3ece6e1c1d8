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
from enum import StrEnum

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from twitter_text import parse_tweet
from twitter_text.config import config as _twitter_configs
from twitter_text.get_character_weight import get_character_weight

from .models import MediaKind, Platform

MB = 1024 * 1024
_TWITTER_CONFIG = _twitter_configs["version3"]


class TextUnit(StrEnum):
    """What a platform's text limit counts."""

    CHARACTERS = "characters"  # Unicode code points
    X_WEIGHTED = "x_weighted"  # twitter-text's weighted length
    UTF8_BYTES = "utf8_bytes"  # YouTube: the description's bytes
    UTF16_UNITS = "utf16_units"  # TikTok: "UTF-16 runes" (an emoji is 2)


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
    max_mentions: int | None = None
    text_unit: TextUnit = TextUnit.CHARACTERS
    # YouTube refuses "<" and ">" in a title or description.
    forbids_angle_brackets: bool = False
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
        # The content publishing API: "Maximum 2200 characters, 30 hashtags,
        # and 20 @ tags."
        max_hashtags=30,
        max_mentions=20,
        min_aspect=4 / 5,
        max_aspect=1.91,
    ),
    Platform.X: PlatformRules(
        max_text=280,
        text_unit=TextUnit.X_WEIGHTED,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        max_image_bytes=5 * MB,
        max_images=4,
        max_video_bytes=512 * MB,
        max_video_seconds=140,
    ),
    Platform.YOUTUBE: PlatformRules(
        # The Data API: a description of at most 5,000 bytes, without < or >;
        # a title of at most 100 characters, without < or >.
        max_text=5_000,
        text_unit=TextUnit.UTF8_BYTES,
        forbids_angle_brackets=True,
        image_types=frozenset(),
        max_image_bytes=0,
        max_images=0,
        needs_video=True,
        needs_title=True,
        max_title=100,
        mixed_media=True,
    ),
    Platform.TIKTOK: PlatformRules(
        # The Content Posting API: a video's title (its caption) of at most
        # 2,200 UTF-16 runes.
        max_text=2_200,
        text_unit=TextUnit.UTF16_UNITS,
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

# --- counting as each platform counts --------------------------------------------
# The composer (static/js/socialmedia-composer.js) counts the same way in the
# browser, from ``composer_rules()``; tests/socialmedia/test_composer_counts.py
# and the browser test check that both give the same numbers.

# Whitespace, spelled out so that Python and JavaScript agree on it (their
# ``\s`` differ on a few control and format characters).
SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
HASHTAG_PATTERN = re.compile(rf"(?:^|(?<=[{SPACE}]))#[^{SPACE}#]+")
# Instagram user names: letters, digits, full stops and underscores.
MENTION_PATTERN = re.compile(rf"(?:^|(?<=[{SPACE}]))@[A-Za-z0-9._]+")
_TOKENS = re.compile(rf"([{SPACE}]+)")

# X's weighted length is the official twitter-text count (configuration v3:
# 280 weighted characters; Latin script, punctuation and general symbols
# weigh 1, everything else, CJK and emoji included, 2; an emoji sequence is
# one emoji; every URL, with or without "https://", counts 23), computed by
# the twitter-text-parser package, the Python port of twitter-text. The
# browser uses the official twitter-text JavaScript package
# (static/vendor/twitter-text/).
X_URL_LENGTH = _TWITTER_CONFIG["transformed_url_length"]
# The port's URL pattern backtracks on long runs of short dot-separated
# labels ("a.a.a.a…"): its time grows with the square of the dots in one
# word (1,600 dots take about 15 s). No real domain has more than 127 labels,
# so the text is counted word by word (URLs never span whitespace, so the sum
# is the same) and words beyond a budget of dots² are weighed character by
# character, without URL detection; only absurd input ever reaches that.
_X_DOT_BUDGET = 40_000


def x_weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text or "")
    scale = _TWITTER_CONFIG["scale"]
    budget = _X_DOT_BUDGET
    total = 0
    for token in _TOKENS.split(text):
        if not token:
            continue
        cost = token.count(".") ** 2
        if cost <= budget:
            budget -= cost
            total += parse_tweet(token).weightedLength
        else:
            total += sum(get_character_weight(char, _TWITTER_CONFIG) for char in token) // scale
    return total


def count_hashtags(text: str) -> int:
    return len(HASHTAG_PATTERN.findall(text or ""))


def count_mentions(text: str) -> int:
    return len(MENTION_PATTERN.findall(text or ""))


def text_length(platform: str, text: str) -> int:
    """The length of a caption in the unit the platform limits it by."""
    unit = RULES[platform].text_unit
    if unit == TextUnit.X_WEIGHTED:
        return x_weighted_length(text)
    if unit == TextUnit.UTF8_BYTES:
        return len(text.encode("utf-8"))
    if unit == TextUnit.UTF16_UNITS:
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def composer_rules() -> dict[str, dict]:
    """The text limits, for the composer's live counts (rendered as JSON)."""
    return {
        platform.value: {
            "label": str(platform.label),
            "max_text": RULES[platform].max_text,
            "unit": RULES[platform].text_unit,
            "max_hashtags": RULES[platform].max_hashtags,
            "max_mentions": RULES[platform].max_mentions,
            "needs_title": RULES[platform].needs_title,
            "max_title": RULES[platform].max_title,
            "needs_video": RULES[platform].needs_video,
            "forbids_angle_brackets": RULES[platform].forbids_angle_brackets,
            # Facebook shows a post without media with its link as a card
            # beside the text, not inside it.
            "link_in_text_without_media": platform != Platform.FACEBOOK,
        }
        for platform in Platform
    }


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


def caption_for(platform: str, *, text: str, link: str, has_media: bool) -> str:
    """The text the platform receives: the link goes at its end, except on
    Facebook without media, where the link is sent on its own and shown as
    a card."""
    if platform == Platform.FACEBOOK and not has_media:
        return text
    if link and link not in text:
        return f"{text}\n\n{link}".strip()
    return text


def text_limit_problems(
    platform: str, *, text: str, title: str, link: str, has_media: bool
) -> list[tuple[str, str]]:
    """What of the text and title the platform would refuse for its limits,
    as (``"text"`` or ``"title"``, Indonesian message) pairs. Checked when a
    draft is saved; what is merely missing (a title, a video) is checked at
    submission, so an unfinished draft can still be kept."""
    rules = RULES[platform]
    label = Platform(platform).label
    problems: list[tuple[str, str]] = []

    def add(part: str, message: str, **params):
        problems.append(
            (part, _("%(platform)s: %(problem)s") % {"platform": label, "problem": message % params})
        )

    caption = caption_for(platform, text=text, link=link, has_media=has_media)
    length = text_length(platform, caption)
    if length > rules.max_text:
        if rules.text_unit == TextUnit.X_WEIGHTED:
            message = _(
                "teks terlalu panjang (%(length)s dari %(max)s karakter; setiap tautan dihitung 23 karakter, "
                "huruf non-Latin dan emoji 2). Persingkat teks atau tulis versi khusus X."
            )
        elif rules.text_unit == TextUnit.UTF8_BYTES:
            message = _(
                "deskripsi terlalu panjang (%(length)s dari %(max)s bita; huruf non-Latin dan emoji memakai "
                "lebih dari satu bita). Persingkat teks atau tulis versi khusus."
            )
        elif rules.text_unit == TextUnit.UTF16_UNITS:
            message = _(
                "teks terlalu panjang (%(length)s dari %(max)s karakter; emoji dihitung 2). "
                "Persingkat teks atau tulis versi khusus."
            )
        else:
            message = _(
                "teks terlalu panjang (%(length)s dari %(max)s karakter). Persingkat teks atau tulis versi khusus."
            )
        add("text", message, length=length, max=rules.max_text)
    if rules.max_hashtags is not None and count_hashtags(caption) > rules.max_hashtags:
        add(
            "text",
            _("terlalu banyak tagar (%(count)s; paling banyak %(max)s)."),
            count=count_hashtags(caption),
            max=rules.max_hashtags,
        )
    if rules.max_mentions is not None and count_mentions(caption) > rules.max_mentions:
        add(
            "text",
            _("terlalu banyak sebutan akun dengan @ (%(count)s; paling banyak %(max)s)."),
            count=count_mentions(caption),
            max=rules.max_mentions,
        )
    if rules.forbids_angle_brackets and ("<" in caption or ">" in caption):
        add("text", _("deskripsi tidak boleh memuat tanda < atau >."))
    if rules.needs_title:
        if len(title) > rules.max_title:
            add(
                "title",
                _("judul terlalu panjang (%(length)s dari %(max)s karakter)."),
                length=len(title),
                max=rules.max_title,
            )
        elif rules.forbids_angle_brackets and ("<" in title or ">" in title):
            add("title", _("judul tidak boleh memuat tanda < atau >."))
    return problems


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
    problems = [
        message
        for _part, message in text_limit_problems(
            platform, text=text, title=title, link=link, has_media=bool(images or videos)
        )
    ]

    def add(message: str, **params):
        problems.append(_("%(platform)s: %(problem)s") % {"platform": label, "problem": message % params})

    if rules.needs_title and not title.strip():
        add(_("judul video wajib diisi."))
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
