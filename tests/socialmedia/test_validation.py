"""Each platform's rules, checked before a post is scheduled, with a clear
Indonesian message; videos judged by their content."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from socialmedia.media import check_video
from socialmedia.models import MediaKind, Platform
from socialmedia.validation import MediaInfo, count_hashtags, platform_problems, x_weighted_length

from .factories import mp4_bytes, mp4_upload

JPEG = MediaInfo(
    kind=MediaKind.IMAGE, content_type="image/jpeg", size=300_000, width=1080, height=1080, name="a.jpg"
)
VIDEO = MediaInfo(kind=MediaKind.VIDEO, content_type="video/mp4", size=5_000_000, duration=30, name="v.mp4")


def problems(platform, text="Kegiatan bimbingan perkawinan", title="", link="", media=()):
    return platform_problems(platform, text=text, title=title, link=link, media=media)


def test_x_counts_urls_as_23_characters():
    url = "https://kemenag.go.id/berita/" + "sangat-panjang-" * 10
    assert x_weighted_length("Baca " + url) == 5 + 23
    assert x_weighted_length("a" * 280) == 280


def test_x_counts_cjk_and_emoji_as_two():
    assert x_weighted_length("日本") == 4
    assert x_weighted_length("🎉") == 2
    # A family emoji joined with zero-width joiners is one emoji.
    assert x_weighted_length("👨\u200d👩\u200d👧") == 2
    assert x_weighted_length("👍🏽") == 2


def test_x_rejects_text_over_280_with_the_link_counted():
    text = "a" * 260
    assert problems(Platform.X, text=text) == []
    found = problems(Platform.X, text=text, link="https://kemenag.go.id/berita/1")
    assert len(found) == 1
    assert found[0].startswith("X (Twitter): teks terlalu panjang (285 dari 280 karakter")
    assert "23 karakter" in found[0]


def test_instagram_needs_media():
    assert problems(Platform.INSTAGRAM) == ["Instagram: kiriman wajib memuat gambar atau video."]
    assert problems(Platform.INSTAGRAM, media=[JPEG]) == []
    assert problems(Platform.INSTAGRAM, media=[VIDEO]) == []


def test_instagram_caption_and_hashtag_limits():
    long_caption = problems(Platform.INSTAGRAM, text="x" * 2201, media=[JPEG])
    assert long_caption == [
        "Instagram: teks terlalu panjang (2201 dari 2200 karakter). Persingkat teks atau tulis versi khusus."
    ]
    tags = " ".join(f"#tag{n}" for n in range(31))
    assert count_hashtags(tags) == 31
    assert problems(Platform.INSTAGRAM, text=tags, media=[JPEG]) == [
        "Instagram: terlalu banyak tagar (31; paling banyak 30)."
    ]
    assert problems(Platform.INSTAGRAM, text=" ".join(f"#tag{n}" for n in range(30)), media=[JPEG]) == []


def test_instagram_takes_jpeg_only_within_its_aspect_ratio():
    png = MediaInfo(
        kind=MediaKind.IMAGE, content_type="image/png", size=1000, width=1000, height=1000, name="b.png"
    )
    tall = MediaInfo(
        kind=MediaKind.IMAGE, content_type="image/jpeg", size=1000, width=500, height=1000, name="c.jpg"
    )
    found = problems(Platform.INSTAGRAM, media=[png, tall])
    assert "Instagram: format b.png tidak diterima; gunakan JPEG." in found
    assert "Instagram: rasio c.jpg (500×1000) harus antara 4:5 dan 1,91:1." in found


def test_youtube_needs_a_video_and_a_short_title():
    assert problems(Platform.YOUTUBE, title="Judul") == ["YouTube: kiriman wajib memuat satu video."]
    assert problems(Platform.YOUTUBE, media=[VIDEO]) == ["YouTube: judul video wajib diisi."]
    assert problems(Platform.YOUTUBE, title="j" * 101, media=[VIDEO]) == [
        "YouTube: judul terlalu panjang (101 dari 100 karakter)."
    ]
    assert problems(Platform.YOUTUBE, title="Manasik haji 2025", media=[VIDEO]) == []


def test_tiktok_needs_a_video_within_its_duration():
    assert problems(Platform.TIKTOK) == ["TikTok: kiriman wajib memuat satu video."]
    short = MediaInfo(kind=MediaKind.VIDEO, content_type="video/mp4", size=1000, duration=1.5)
    assert problems(Platform.TIKTOK, media=[short]) == [
        "TikTok: video terlalu pendek (paling singkat 3 detik)."
    ]


def test_image_size_limits_differ_per_platform():
    big = MediaInfo(
        kind=MediaKind.IMAGE,
        content_type="image/jpeg",
        size=6 * 1024 * 1024,
        width=1080,
        height=1080,
        name="besar.jpg",
    )
    assert problems(Platform.X, media=[big]) == [
        "X (Twitter): ukuran besar.jpg 6,0\xa0MB melebihi batas 5,0\xa0MB."
    ]
    assert problems(Platform.FACEBOOK, media=[big]) == [
        "Facebook: ukuran besar.jpg 6,0\xa0MB melebihi batas 4,0\xa0MB."
    ]
    assert problems(Platform.INSTAGRAM, media=[big]) == []


def test_x_takes_four_images_and_not_a_mix():
    five = [JPEG] * 5
    assert problems(Platform.X, media=five) == ["X (Twitter): paling banyak 4 gambar (ada 5)."]
    assert problems(Platform.X, media=[JPEG, VIDEO]) == [
        "X (Twitter): satu kiriman hanya dapat memuat gambar atau video, tidak keduanya."
    ]


def test_a_video_is_recognised_by_its_header_and_its_duration_read():
    checked = check_video(mp4_upload(seconds=42.5))
    assert checked.content_type == "video/mp4"
    assert checked.duration == pytest.approx(42.5)
    mov = check_video(
        SimpleUploadedFile("klip.mov", mp4_bytes(brand=b"qt  "), content_type="video/quicktime")
    )
    assert mov.content_type == "video/quicktime"


def test_a_file_named_mp4_that_is_not_a_video_is_refused():
    fake = SimpleUploadedFile(
        "video.mp4", b"<html><script>alert(1)</script></html>" * 10, content_type="video/mp4"
    )
    with pytest.raises(ValidationError) as error:
        check_video(fake)
    assert error.value.messages == [
        "Berkas ini bukan video MP4 atau MOV. Unggah video berformat MP4 (H.264) atau MOV."
    ]


def test_a_video_over_the_upload_limit_is_refused(settings):
    settings.SOCIAL_VIDEO_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        check_video(mp4_upload(padding=5000))
    assert "melebihi batas" in error.value.messages[0]
