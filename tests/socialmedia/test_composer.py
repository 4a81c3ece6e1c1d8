"""The composer on the server: each platform's text counted as the platform
counts it, the limits of the chosen platforms checked when a draft is saved
(with the error on the box that holds the text), the boxes of platforms
not chosen ignored, and the page laid out for the composer's script."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from socialmedia.forms import PostForm
from socialmedia.models import AccountStatus, Platform, SocialPost
from socialmedia.templatetags.socialmedia import at_handle
from socialmedia.validation import (
    composer_rules,
    count_mentions,
    platform_problems,
    text_length,
    x_weighted_length,
)

from .factories import SocialAccountFactory, SocialPostFactory, jpeg_upload

pytestmark = pytest.mark.django_db


# --- counting ------------------------------------------------------------------------


def test_x_counts_a_bare_domain_as_a_link():
    """X links "kemenag.go.id" without "https://" too, and counts it 23."""
    assert x_weighted_length("Kunjungi kemenag.go.id") == 9 + 23
    assert x_weighted_length("Daftar di www.kemenag.go.id/ptsp sekarang") == 10 + 23 + 9


def test_x_counts_line_breaks_and_joined_emoji_as_twitter_text_does():
    assert x_weighted_length("Salam\n\nhangat 👨\u200d👩\u200d👧\u200d👦") == 14 + 2
    assert x_weighted_length("“kutipan” — ok") == 14


def test_x_counting_stays_fast_on_a_long_chain_of_dots():
    """The Python port backtracks on "a.a.a.…"; the count stays bounded."""
    started = time.monotonic()
    assert x_weighted_length("a." * 3000 + " selesai") == 6008
    assert time.monotonic() - started < 3


def test_youtube_counts_bytes_and_tiktok_utf16_units():
    assert text_length(Platform.YOUTUBE, "é" * 10) == 20
    assert text_length(Platform.TIKTOK, "😀" * 10) == 20
    assert text_length(Platform.INSTAGRAM, "😀" * 10) == 10
    video = []
    over = platform_problems(Platform.YOUTUBE, text="é" * 2600, title="Judul", link="", media=video)
    assert any("5200 dari 5000 bita" in problem for problem in over)
    over = platform_problems(Platform.TIKTOK, text="😀" * 1101, title="", link="", media=video)
    assert any("2202 dari 2200 karakter; emoji dihitung 2" in problem for problem in over)


def test_youtube_refuses_angle_brackets_in_the_description():
    found = platform_problems(Platform.YOUTUBE, text="Nilai <90", title="Judul", link="", media=[])
    assert "YouTube: deskripsi tidak boleh memuat tanda < atau >." in found


def test_instagram_takes_twenty_mentions():
    twenty = " ".join(f"@akun{n}" for n in range(20))
    assert count_mentions(twenty + " humas@kemenag.go.id") == 20
    assert not [p for p in _instagram(twenty) if "sebutan" in p]
    assert "Instagram: terlalu banyak sebutan akun dengan @ (21; paling banyak 20)." in _instagram(
        twenty + " @satu"
    )


def _instagram(text):
    from socialmedia.validation import MediaInfo

    image = MediaInfo(kind="image", content_type="image/jpeg", size=1000, width=1080, height=1080)
    return platform_problems(Platform.INSTAGRAM, text=text, title="", link="", media=[image])


def test_composer_rules_carry_every_limit():
    rules = composer_rules()
    assert rules["x"]["max_text"] == 280 and rules["x"]["unit"] == "x_weighted"
    assert rules["instagram"]["max_text"] == 2200
    assert rules["instagram"]["max_hashtags"] == 30 and rules["instagram"]["max_mentions"] == 20
    assert rules["youtube"]["unit"] == "utf8_bytes" and rules["youtube"]["max_title"] == 100
    assert rules["tiktok"]["unit"] == "utf16_units"
    assert rules["facebook"]["max_text"] == 63_206
    assert rules["facebook"]["link_in_text_without_media"] is False


# --- the form ----------------------------------------------------------------------------


@pytest.fixture
def accounts(org):
    return {
        platform: SocialAccountFactory(unit=org.kua_bangil, platform=platform, display_name=f"KUA {platform}")
        for platform in (Platform.FACEBOOK, Platform.INSTAGRAM, Platform.X)
    }


def form_data(accounts, **fields):
    data = {
        "text": "Bimbingan perkawinan di KUA Bangil.",
        "scheduled_at": (timezone.localtime() + timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "accounts": [a.pk for a in accounts],
    }
    data.update(fields)
    return data


def test_a_text_too_long_for_x_is_refused_only_when_x_is_chosen(org, accounts):
    text = "Manasik haji " * 25  # 325 characters
    form = PostForm(form_data([accounts["x"]], text=text), unit=org.kua_bangil)
    assert not form.is_valid()
    assert form.errors["text"] == [
        "X (Twitter): teks terlalu panjang (324 dari 280 karakter; setiap tautan dihitung 23 karakter, "
        "huruf non-Latin dan emoji 2). Persingkat teks atau tulis versi khusus X."
    ]
    assert PostForm(form_data([accounts["facebook"]], text=text), unit=org.kua_bangil).is_valid()


def test_a_short_version_for_x_lets_the_long_text_go_to_the_others(org, accounts):
    chosen = [accounts["facebook"], accounts["x"]]
    text = "Manasik haji " * 25
    form = PostForm(form_data(chosen, text=text, text_x="Manasik haji hari ini."), unit=org.kua_bangil)
    assert form.is_valid(), form.errors
    too_long = PostForm(form_data(chosen, text=text, text_x="x" * 281), unit=org.kua_bangil)
    assert not too_long.is_valid()
    assert list(too_long.errors) == ["text_x"]


def test_the_link_is_counted_with_the_text(org, accounts):
    text = "a" * 256
    ok = PostForm(form_data([accounts["x"]], text=text), unit=org.kua_bangil)
    assert ok.is_valid()
    linked = PostForm(
        form_data([accounts["x"]], text=text, link="kemenag.go.id/berita/1"), unit=org.kua_bangil
    )
    assert not linked.is_valid()
    assert "281 dari 280" in linked.errors["text"][0]


def test_instagram_hashtags_over_thirty_are_refused_on_save(org, accounts):
    tags = " ".join(f"#tagar{n}" for n in range(31))
    form = PostForm(form_data([accounts["instagram"]], text=tags), unit=org.kua_bangil)
    assert not form.is_valid()
    assert form.errors["text"] == ["Instagram: terlalu banyak tagar (31; paling banyak 30)."]


def test_a_line_break_from_the_browser_counts_once(org, accounts):
    """Browsers send CR LF; X and the composer count one character."""
    text = "\r\n".join(["a" * 69] * 3 + ["a" * 70])  # 277 + 3 breaks = 280
    form = PostForm(form_data([accounts["x"]], text=text), unit=org.kua_bangil)
    assert form.is_valid(), form.errors
    assert "\r" not in form.cleaned_data["text"]


def test_a_draft_may_still_lack_what_submission_asks_for(org):
    """Saving checks limits only: a YouTube draft without title or video is kept."""
    youtube = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.YOUTUBE)
    assert PostForm(form_data([youtube]), unit=org.kua_bangil).is_valid()
    form = PostForm(form_data([youtube], title="x" * 101), unit=org.kua_bangil)
    assert not form.is_valid()
    assert form.errors["title"] == ["YouTube: judul terlalu panjang (101 dari 100 karakter)."]


def test_texts_for_platforms_not_chosen_are_dropped(client, org, people, accounts):
    client.force_login(people.kontributor)
    response = client.post(
        reverse("socialmedia:post_create"),
        form_data(
            [accounts["facebook"], accounts["x"]],
            text_x="Versi X",
            text_instagram="Versi Instagram yang tidak dipilih " * 100,
        ),
    )
    post = SocialPost.objects.get()
    assert response.status_code == 302
    assert post.platform_texts == {"x": "Versi X"}


def test_the_page_without_scripts_shows_a_box_per_platform_of_the_units_accounts(
    client, org, people, accounts
):
    SocialAccountFactory(unit=org.kua_bangil, platform=Platform.YOUTUBE, status=AccountStatus.DISABLED)
    client.force_login(people.kontributor)
    page = client.get(reverse("socialmedia:post_create")).content.decode()
    for platform in ("facebook", "instagram", "x"):
        assert f'name="text_{platform}"' in page
        assert f'data-platform-section="{platform}"' in page
    # A disabled account is not offered, so its platform has no box.
    assert 'name="text_youtube"' not in page and 'name="text_tiktok"' not in page
    assert 'data-platform="x"' in page and 'data-handle="kemenagcontoh"' in page
    assert 'id="composer-rules"' in page
    assert "vendor/twitter-text/twitter-text.min.js" in page and "js/socialmedia-composer.js" in page
    # Each box names its limit for a browser that runs no script.
    assert "Paling banyak 280 karakter; setiap tautan dihitung 23" in page
    assert "Paling banyak 2.200 karakter." in page


def test_an_account_awaiting_a_new_token_can_be_written_for(client, org, people):
    waiting = SocialAccountFactory(
        unit=org.kua_bangil, platform=Platform.FACEBOOK, status=AccountStatus.NEEDS_RECONNECTION
    )
    client.force_login(people.kontributor)
    page = client.get(reverse("socialmedia:post_create")).content.decode()
    assert f'value="{waiting.pk}"' in page
    assert "perlu dihubungkan ulang sebelum disetujui" in page


def test_an_error_is_shown_on_the_page_in_indonesian(client, org, people, accounts):
    client.force_login(people.kontributor)
    response = client.post(
        reverse("socialmedia:post_create"),
        form_data([accounts["instagram"]], text="Foto " + " ".join(f"#t{n}" for n in range(31))),
    )
    assert response.status_code == 200
    assert "Instagram: terlalu banyak tagar (31; paling banyak 30)." in response.content.decode()
    assert not SocialPost.objects.exists()


def test_the_edit_page_offers_the_stored_image_to_the_preview(
    client, org, people, accounts, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from socialmedia.services import post_create

    post = post_create(
        actor=people.kontributor,
        unit=org.kua_bangil,
        text="Dengan foto",
        scheduled_at=timezone.now() + timezone.timedelta(days=1),
        accounts=[accounts["instagram"]],
        images_to_add=[jpeg_upload()],
    )
    client.force_login(people.kontributor)
    page = client.get(reverse("socialmedia:post_edit", args=[post.pk])).content.decode()
    image = post.media.get()
    assert f'"id": {image.pk}, "kind": "image", "url": "{image.file.url}"' in page


# --- handles and long titles --------------------------------------------------------


def test_a_handle_is_shown_with_one_at_sign():
    assert at_handle("@man1pasuruan") == "@man1pasuruan"
    assert at_handle("man1pasuruan") == "@man1pasuruan"
    assert at_handle("") == ""


def test_the_account_list_never_shows_two_at_signs(client, org, people):
    SocialAccountFactory(unit=org.kua_bangil, platform=Platform.YOUTUBE, handle="@kuabangiltv")
    client.force_login(people.admin_humas)
    page = client.get(reverse("socialmedia:account_list")).content.decode()
    assert "@kuabangiltv" in page and "@@" not in page


def test_a_long_first_line_ends_with_an_ellipsis():
    post = SocialPostFactory.build(text="Pelaksanaan " * 20)
    assert str(post).endswith("…") and len(str(post)) == 80
    assert str(SocialPostFactory.build(text="Pendek")) == "Pendek"
