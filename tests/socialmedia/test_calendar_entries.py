"""The calendar shows the whole plan: drafts, posts in review and posts
returned for revision at their planned time, beside the deliveries of
approved posts; each kind is named in words and drawn its own way; long
texts end with "…"; handles carry one "@"."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from humas_portal.core.workflow import ReviewStatus
from socialmedia.models import Delivery, DeliveryState, Platform

from .factories import SocialAccountFactory, SocialPostFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)  # Tuesday 10.00 WIB


@pytest.fixture
def plan(org, people):
    facebook = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK, handle="kuabangil")
    youtube = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.YOUTUBE, handle="@kuabangiltv")
    posts = {}
    for status, text in (
        (ReviewStatus.DRAFT, "Draf layanan isbat nikah"),
        (ReviewStatus.SUBMITTED, "Menunggu: majelis taklim Kalirejo"),
        (ReviewStatus.RETURNED, "Dikembalikan: pentas seni"),
        (ReviewStatus.REJECTED, "Ditolak: tidak tampil"),
        (ReviewStatus.APPROVED, "Disetujui: manasik haji"),
    ):
        posts[status] = SocialPostFactory(
            unit=org.kua_bangil,
            author=people.kontributor,
            status=status,
            text=text,
            scheduled_at=WHEN,
            accounts=[facebook, youtube],
        )
    approved = posts[ReviewStatus.APPROVED]
    Delivery.objects.create(post=approved, account=facebook, scheduled_at=WHEN, next_attempt_at=WHEN)
    return posts


def month(client, **params):
    params.setdefault("bulan", "2026-03")
    return client.get(reverse("socialmedia:calendar_month"), params).content.decode()


def test_drafts_and_posts_in_review_are_on_the_calendar_named_in_words(client, people, plan):
    client.force_login(people.verifikator)
    page = month(client)
    for state, label in (
        ("draft", "Draf"),
        ("submitted", "Menunggu verifikasi"),
        ("returned", "Dikembalikan untuk revisi"),
        ("scheduled", "Terjadwal"),
    ):
        # Twice: the grid and the agenda.
        assert page.count(f'data-state="{state}"') == 2, state
        assert f'class="calendar-item cal-{state}"' in page
        assert label in page
    assert "Ditolak: tidak tampil" not in page
    # The approved post shows through its delivery, not a second time as a post.
    assert f'data-post="{plan[ReviewStatus.APPROVED].pk}"' not in page
    # The legend names every kind.
    assert "Keterangan:" in page


def test_the_week_shows_them_too_and_the_platform_filter_applies(client, people, plan):
    client.force_login(people.kontributor)
    url = reverse("socialmedia:calendar_week")
    page = client.get(url, {"tanggal": "2026-03-10"}).content.decode()
    assert page.count('data-state="draft"') == 1 and page.count('data-state="submitted"') == 1
    assert page.count("10.00 WIB") == 4
    page = client.get(url, {"tanggal": "2026-03-10", "platform": Platform.YOUTUBE}).content.decode()
    # The planned posts go to YouTube too; the delivery is Facebook's only.
    assert page.count('data-state="draft"') == 1 and 'data-state="scheduled"' not in page
    assert '<span class="calendar-account">Facebook' not in page


def test_handles_carry_one_at_sign(client, people, plan):
    client.force_login(people.verifikator)
    page = month(client)
    assert "YouTube @kuabangiltv" in page and "Facebook @kuabangil" in page
    assert "@@" not in page


def test_a_long_text_ends_with_an_ellipsis(client, org, people):
    SocialPostFactory(
        unit=org.kua_bangil,
        author=people.kontributor,
        text="Penyuluh agama KUA Bangil membina majelis taklim di Desa Kalirejo tentang moderasi beragama",
        scheduled_at=WHEN,
    )
    client.force_login(people.verifikator)
    page = month(client)
    assert "Penyuluh agama KUA Bangil membina majelis taklim di Desa Ka…" in page
    assert "tentang moderasi beragama</span>" not in page


def test_a_planned_post_of_a_unit_not_covered_is_not_shown(client, org, people, plan):
    client.force_login(people.verifikator_lain)
    page = month(client)
    assert 'data-state="draft"' not in page


def test_a_failed_delivery_is_named_as_failed(client, people, plan):
    Delivery.objects.update(state=DeliveryState.FAILED)
    client.force_login(people.verifikator)
    page = month(client)
    assert page.count('data-state="failed"') == 2 and "Gagal" in page
