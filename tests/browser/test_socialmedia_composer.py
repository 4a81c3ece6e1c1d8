"""The social-media composer and calendar as a contributor meets them, in
headless Chromium: on a phone, choosing platforms shows their boxes, typing
updates each platform's count and preview, and the draft is saved by a
click; without scripts every box shows and the server refuses what is too
long; the browser counts exactly as the server does; the calendar shows
drafts and posts in review, and nothing scrolls sideways at 390 px."""

import io
import os
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from humas_portal.core.workflow import ReviewStatus
from socialmedia.models import Delivery, Platform, SocialPost
from socialmedia.validation import count_hashtags, count_mentions, text_length, x_weighted_length

from ..socialmedia.factories import SocialAccountFactory, SocialPostFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
TEXT = "Manasik haji 2026 🕋 di aula KUA Bangil, info kemenag.go.id/manasik #HajiRamah #KUABangil"

# Strings where counting is easy to get wrong: links with and without a
# scheme, CJK, emoji sequences, accents that NFC composes, line breaks,
# hashtags and mentions next to punctuation and e-mail addresses.
SAMPLES = [
    "",
    "Bimbingan perkawinan di KUA Bangil",
    "Baca https://kemenag.go.id/berita/bimbingan-perkawinan-angkatan-iii?utm_source=x",
    "Kunjungi kemenag.go.id dan www.pasuruan.kemenag.go.id/ptsp.",
    "日本語のテキスト 한국어 中文",
    "Keluarga 👨‍👩‍👧‍👦 jempol 👍🏽 bendera 🇮🇩 hati ❤️",
    "Cafe\u0301 e\u0301 — “kutipan” … ‘ok’",
    "Baris satu\nBaris dua\n\nBaris empat",
    "#HajiRamah #KUABangil,#bukan ##dua #️⃣ awal\u3000#jauh",
    "@kuabangil @man1pasuruan humas@kemenag.go.id (@dalam) @_titik.nama",
    "a." * 50,
    "x" * 300 + " https://t.co/abc " + "ü" * 10,
]


def jpeg(name="kegiatan.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1080), (20, 120, 60)).save(buffer, format="JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


@pytest.fixture
def accounts(org):
    return {
        Platform.FACEBOOK: SocialAccountFactory(
            unit=org.kua_bangil,
            platform=Platform.FACEBOOK,
            display_name="KUA Bangil Facebook",
            handle="kuabangil",
        ),
        Platform.INSTAGRAM: SocialAccountFactory(
            unit=org.kua_bangil, platform=Platform.INSTAGRAM, display_name="kuabangil.ig", handle="kuabangil"
        ),
        # Stored with its "@", as a platform may hand it over.
        Platform.X: SocialAccountFactory(
            unit=org.kua_bangil, platform=Platform.X, display_name="KUA Bangil", handle="@kuabangil"
        ),
    }


def test_on_a_phone_choosing_platforms_shows_their_boxes_counts_and_previews(
    org, people, accounts, phone_page, log_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = phone_page
    log_in(page, people.kontributor.username)
    page.goto("/medsos/")
    page.get_by_role("link", name="Tulis kiriman").first.click()
    expect(page.get_by_role("heading", name="Tulis kiriman")).to_be_visible()

    # Nothing chosen yet: no platform's box, count or preview.
    sections = {p: page.locator(f'[data-platform-section="{p}"]') for p in ("facebook", "instagram", "x")}
    for section in sections.values():
        expect(section).to_be_hidden()
    expect(page.locator("#composer-counts")).to_be_hidden()

    page.get_by_label(str(accounts[Platform.INSTAGRAM])).check()
    page.get_by_label(str(accounts[Platform.X])).check()
    expect(sections["instagram"]).to_be_visible()
    expect(sections["x"]).to_be_visible()
    expect(sections["facebook"]).to_be_hidden()
    expect(page.get_by_role("textbox", name="Teks khusus X (Twitter)")).to_be_visible()
    expect(page.get_by_role("textbox", name="Teks khusus Facebook")).to_be_hidden()

    # Typing updates every chosen platform's count as it goes.
    text_box = page.get_by_role("textbox", name="Teks", exact=True)
    text_box.click()
    text_box.press_sequentially(TEXT[:20])
    x_count = sections["x"].locator("[data-count-for]")
    expect(x_count).to_contain_text(f"X (Twitter): {x_weighted_length(TEXT[:20].strip())} dari 280 karakter")
    text_box.press_sequentially(TEXT[20:])
    expect(x_count).to_contain_text(f"X (Twitter): {x_weighted_length(TEXT)} dari 280 karakter")
    instagram_count = sections["instagram"].locator("[data-count-for]")
    expect(instagram_count).to_contain_text(f"Instagram: {len(TEXT)} dari 2.200 karakter")
    expect(instagram_count).to_contain_text("tagar 2 dari 30")
    summary = page.locator("#composer-counts li")
    expect(summary).to_have_count(2)
    expect(summary.first).to_contain_text("Instagram")

    # The previews: the account's name, its handle with one "@", the text.
    x_preview = sections["x"].locator("[data-preview-for]")
    expect(x_preview).to_be_visible()
    expect(x_preview.locator(".preview-name")).to_have_text("KUA Bangil")
    expect(x_preview.locator(".preview-handle")).to_have_text("@kuabangil")
    expect(x_preview.locator(".preview-text")).to_have_text(TEXT)
    instagram_preview = sections["instagram"].locator("[data-preview-for]")
    expect(instagram_preview.locator(".preview-image")).to_be_hidden()
    page.locator("input[name=images]").set_input_files(jpeg())
    expect(instagram_preview.locator(".preview-image")).to_be_visible()
    assert instagram_preview.locator(".preview-image").evaluate("img => img.naturalWidth") == 1080

    # A link goes at the end of the caption, and counts 23 on X.
    page.get_by_role("textbox", name="Tautan").fill("kemenag.go.id/berita/manasik")
    expect(x_count).to_contain_text(f"{x_weighted_length(TEXT) + 2 + 23} dari 280 karakter")
    expect(x_preview.locator(".preview-text")).to_have_text(f"{TEXT}\n\nhttps://kemenag.go.id/berita/manasik")

    # Too long for X: said in words, then a shorter version just for X.
    x_box = page.get_by_role("textbox", name="Teks khusus X (Twitter)")
    x_box.fill("Manasik haji " * 22)
    expect(x_count).to_contain_text("melebihi batas")
    expect(x_count).to_have_class("composer-count over")
    x_box.fill("Manasik haji di KUA Bangil, Sabtu pagi.")
    expect(x_count).not_to_contain_text("melebihi batas")
    expect(x_count).to_contain_text("teks khusus")
    expect(x_preview.locator(".preview-text")).to_contain_text("Manasik haji di KUA Bangil, Sabtu pagi.")

    assert page.evaluate(SIDEWAYS) <= 0
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".message")).to_contain_text("Draf kiriman tersimpan")
    post = SocialPost.objects.get()
    assert post.text == TEXT
    assert post.platform_texts == {"x": "Manasik haji di KUA Bangil, Sabtu pagi."}
    assert set(post.accounts.values_list("platform", flat=True)) == {"instagram", "x"}
    assert post.media.count() == 1


def test_without_scripts_every_box_shows_and_the_server_refuses_a_text_too_long(
    org, people, accounts, new_page, log_in
):
    page = new_page(java_script_enabled=False)
    log_in(page, people.kontributor.username)
    page.goto("/medsos/kiriman/baru/")
    for platform in ("Facebook", "Instagram", "X (Twitter)"):
        expect(page.get_by_role("textbox", name=f"Teks khusus {platform}")).to_be_visible()
    expect(page.get_by_text("Teks untuk platform yang tidak dipilih diabaikan.")).to_be_visible()
    page.get_by_label(str(accounts[Platform.X])).check()
    page.get_by_role("textbox", name="Teks", exact=True).fill("Manasik haji " * 25)
    page.get_by_role("textbox", name="Teks khusus Instagram").fill("Tidak dipilih, diabaikan.")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("X (Twitter): teks terlalu panjang (324 dari 280 karakter")).to_be_visible()
    assert not SocialPost.objects.exists()
    page.get_by_role("textbox", name="Teks khusus X (Twitter)").fill("Manasik haji hari ini.")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".message")).to_contain_text("Draf kiriman tersimpan")
    assert SocialPost.objects.get().platform_texts == {"x": "Manasik haji hari ini."}


def test_the_browser_counts_every_platform_as_the_server_does(org, people, accounts, page, log_in):
    log_in(page, people.kontributor.username)
    page.goto("/medsos/kiriman/baru/")
    page.wait_for_function("() => window.humasComposer && window.twttr")
    got = page.evaluate(
        """(samples) => samples.map((text) => ({
            lengths: ["facebook", "instagram", "x", "youtube", "tiktok"].map(
                (p) => window.humasComposer.textLength(p, text)),
            official: window.twttr.parseTweet(text).weightedLength,
            hashtags: window.humasComposer.countHashtags(text),
            mentions: window.humasComposer.countMentions(text),
        }))""",
        SAMPLES,
    )
    for text, browser in zip(SAMPLES, got, strict=True):
        server = [text_length(p, text) for p in ("facebook", "instagram", "x", "youtube", "tiktok")]
        assert browser["lengths"] == server, text
        assert browser["official"] == x_weighted_length(text), text
        assert browser["hashtags"] == count_hashtags(text), text
        assert browser["mentions"] == count_mentions(text), text
    # The caption: the link at the end, except on Facebook without media.
    captions = page.evaluate(
        """() => [
            window.humasComposer.captionFor("x", "Teks", "https://a.id", false),
            window.humasComposer.captionFor("facebook", "Teks", "https://a.id", false),
            window.humasComposer.captionFor("facebook", "Teks", "https://a.id", true),
            window.humasComposer.captionFor("x", "Teks https://a.id", "https://a.id", false),
        ]"""
    )
    from socialmedia.validation import caption_for

    assert captions == [
        caption_for("x", text="Teks", link="https://a.id", has_media=False),
        caption_for("facebook", text="Teks", link="https://a.id", has_media=False),
        caption_for("facebook", text="Teks", link="https://a.id", has_media=True),
        caption_for("x", text="Teks https://a.id", link="https://a.id", has_media=False),
    ]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_calendar_shows_drafts_and_posts_in_review_and_fits_a_phone(
    org, people, accounts, page, phone_page, log_in, size
):
    screen = phone_page if size == "phone" else page
    when = timezone.localtime(timezone.now(), org.kua_bangil.tzinfo).replace(hour=10, minute=0) + timedelta(
        days=1
    )
    youtube = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.YOUTUBE, handle="@kuabangiltv")
    long_text = "Penyuluh agama KUA Bangil membina majelis taklim di Desa Kalirejo tentang moderasi beragama"
    for status, text in (
        (ReviewStatus.DRAFT, long_text),
        (ReviewStatus.SUBMITTED, "Menunggu verifikasi: isbat nikah terpadu"),
        (ReviewStatus.APPROVED, "Disetujui: manasik haji"),
    ):
        post = SocialPostFactory(
            unit=org.kua_bangil,
            author=people.kontributor,
            status=status,
            text=text,
            scheduled_at=when,
            accounts=[youtube, accounts[Platform.X]],
        )
    Delivery.objects.create(post=post, account=youtube, scheduled_at=when, next_attempt_at=when)

    log_in(screen, people.kontributor.username)
    screen.goto("/medsos/")
    screen.get_by_role("link", name="Kalender").first.click()
    if when.month != timezone.localdate(timezone=org.kua_bangil.tzinfo).month:
        screen.get_by_role("link", name="Bulan berikutnya").click()
    agenda = screen.locator("section[aria-labelledby=agenda-title]")
    expect(agenda.locator("[data-state=draft]")).to_contain_text("Draf")
    expect(agenda.locator("[data-state=submitted]")).to_contain_text("Menunggu verifikasi")
    expect(agenda.locator("[data-state=scheduled]")).to_contain_text("Terjadwal")
    expect(agenda.locator("[data-state=draft]")).to_contain_text("Desa Ka…")
    expect(agenda.locator("[data-state=draft]")).to_contain_text("YouTube @kuabangiltv")
    assert "@@" not in screen.content()
    # In the grid's narrow cells a text ends with "…" drawn by the browser.
    cell_text = screen.locator(".calendar-grid [data-state=draft] .calendar-text")
    assert cell_text.evaluate("node => getComputedStyle(node).textOverflow") == "ellipsis"
    # The kinds differ in drawing too, not only in colour.
    styles = {
        state: agenda.locator(f"[data-state={state}]").evaluate(
            "node => getComputedStyle(node).borderTopStyle"
        )
        for state in ("draft", "submitted", "scheduled")
    }
    assert len(set(styles.values())) == 3, styles
    assert screen.evaluate(SIDEWAYS) <= 0

    screen.get_by_role("link", name="Tampilan minggu").click()
    expect(screen.get_by_role("heading", name="Kalender terbit", exact=False)).to_be_visible()
    if when.isocalendar()[1] != timezone.localdate(timezone=org.kua_bangil.tzinfo).isocalendar()[1]:
        screen.get_by_role("link", name="Minggu berikutnya").click()
    expect(screen.locator("[data-state=draft]")).to_contain_text("Draf")
    expect(screen.locator("[data-state=submitted]")).to_be_visible()
    assert screen.evaluate(SIDEWAYS) <= 0
