"""The staff pages: the post list (phone-friendly, fixed query count), the
calendar, the post page with its deliveries and the people's actions."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from humas_portal.core.workflow import ReviewStatus
from socialmedia.models import Delivery, DeliveryState, Platform

from .factories import SocialAccountFactory, SocialPostFactory

pytestmark = pytest.mark.django_db


def posts_with_deliveries(org, author, count, *, state=DeliveryState.SCHEDULED, when=None):
    facebook = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK)
    x = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.X)
    when = when or timezone.now()
    posts = []
    for n in range(count):
        post = SocialPostFactory(
            unit=org.kua_bangil,
            author=author,
            status=ReviewStatus.APPROVED,
            scheduled_at=when + timedelta(hours=n),
        )
        for account in (facebook, x):
            Delivery.objects.create(
                post=post,
                account=account,
                state=state,
                scheduled_at=post.scheduled_at,
                next_attempt_at=post.scheduled_at,
            )
        posts.append(post)
    return posts


@pytest.mark.parametrize("count", [3, 30])
def test_post_list_query_count_does_not_grow(client, org, people, django_assert_num_queries, count):
    posts_with_deliveries(org, people.kontributor, count)
    client.force_login(people.verifikator)
    # session, user, the user's role paths, the covered units, the
    # review-queue count, the page count, the posts with unit and author, and
    # their deliveries with accounts. ("May write" costs nothing here: a
    # Verifikator holds no writing role, so that filter is empty.)
    with django_assert_num_queries(8):
        response = client.get(reverse("socialmedia:post_list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-state="scheduled"') == 2 * min(count, 20)


def test_post_list_filters_by_status_unit_and_platform(client, org, people):
    posts_with_deliveries(org, people.kontributor, 2)
    other = SocialPostFactory(unit=org.man_pasuruan, author=people.kontributor_man, text="Pentas seni MAN 1")
    client.force_login(people.verifikator)
    page = client.get(reverse("socialmedia:post_list"), {"unit": org.man_pasuruan.pk}).content.decode()
    assert "Pentas seni MAN 1" in page and page.count('class="card"') >= 1
    page = client.get(reverse("socialmedia:post_list"), {"platform": Platform.X}).content.decode()
    assert "Pentas seni MAN 1" not in page
    page = client.get(reverse("socialmedia:post_list"), {"status": ReviewStatus.DRAFT}).content.decode()
    assert str(other) in page


def test_post_list_shows_only_covered_units(client, org, people):
    SocialPostFactory(unit=org.kua_sidoarjo, text="Kiriman Sidoarjo")
    SocialPostFactory(unit=org.kua_bangil, text="Kiriman Bangil")
    client.force_login(people.verifikator)
    page = client.get(reverse("socialmedia:post_list")).content.decode()
    assert "Kiriman Bangil" in page and "Kiriman Sidoarjo" not in page
    client.force_login(people.outsider)
    assert client.get(reverse("socialmedia:post_list")).status_code == 403


def test_post_page_is_hidden_outside_the_units(client, org, people):
    post = SocialPostFactory(unit=org.kua_bangil)
    client.force_login(people.verifikator_lain)
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(people.kontributor_man)
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(people.kontributor)
    assert client.get(post.get_absolute_url()).status_code == 200


def test_post_page_lists_platform_problems_before_submission(client, org, people):
    instagram = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.INSTAGRAM)
    post = SocialPostFactory(unit=org.kua_bangil, author=people.kontributor, accounts=[instagram])
    client.force_login(people.kontributor)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Instagram: kiriman wajib memuat gambar atau video." in page
    response = client.post(reverse("socialmedia:post_action", args=[post.pk, "submit"]), follow=True)
    assert "Instagram: kiriman wajib memuat gambar atau video." in response.content.decode()
    post.refresh_from_db()
    assert post.status == ReviewStatus.DRAFT


def test_review_through_the_pages(client, org, people, django_capture_on_commit_callbacks):
    account = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.FACEBOOK)
    post = SocialPostFactory(
        unit=org.kua_bangil,
        author=people.kontributor,
        accounts=[account],
        scheduled_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(people.kontributor)
    client.post(reverse("socialmedia:post_action", args=[post.pk, "submit"]))
    # A contributor cannot approve their own post.
    assert client.post(reverse("socialmedia:post_action", args=[post.pk, "approve"])).status_code == 403
    client.force_login(people.verifikator)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Setujui dan jadwalkan" in page and "Kembalikan untuk revisi" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("socialmedia:post_action", args=[post.pk, "approve"]), follow=True)
    assert "Kiriman kini berstatus “Disetujui, menunggu terbit”." in response.content.decode()
    post.refresh_from_db()
    assert post.status == ReviewStatus.APPROVED
    assert post.deliveries.get().state == DeliveryState.SCHEDULED


def test_unconfirmed_delivery_actions_for_the_admin_only(client, org, people):
    (post,) = posts_with_deliveries(org, people.kontributor, 1, state=DeliveryState.UNCONFIRMED)
    delivery = post.deliveries.first()
    client.force_login(people.kontributor)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Tandai terbit" not in page
    assert client.post(reverse("socialmedia:delivery_retry", args=[delivery.pk])).status_code == 403
    client.force_login(people.admin_humas)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Tandai terbit" in page and "Kirim ulang" in page
    client.post(
        reverse("socialmedia:delivery_mark_published", args=[delivery.pk]),
        {"url": "https://www.facebook.com/kuabangil/posts/1"},
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PUBLISHED
    assert delivery.platform_url == "https://www.facebook.com/kuabangil/posts/1"
    post.refresh_from_db()
    assert post.status == ReviewStatus.PUBLISHED
    other = post.deliveries.exclude(pk=delivery.pk).get()
    client.post(reverse("socialmedia:delivery_retry", args=[other.pk]))
    other.refresh_from_db()
    assert other.state == DeliveryState.SCHEDULED


# --- calendar ----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_calendar_month_query_count_does_not_grow(client, org, people, django_assert_num_queries, count):
    with time_machine.travel(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), tick=False):
        posts_with_deliveries(org, people.kontributor, count)
        account = SocialAccountFactory(unit=org.kua_bangil, platform=Platform.INSTAGRAM)
        for status in [ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED] * count:
            SocialPostFactory(
                unit=org.kua_bangil, author=people.kontributor, status=status, accounts=[account]
            )
        client.force_login(people.verifikator)
        # session, user, role paths, covered units, the month's deliveries
        # with their posts, units and accounts, the posts not yet approved
        # with their units, and those posts' accounts.
        with django_assert_num_queries(7):
            response = client.get(reverse("socialmedia:calendar_month"))
    assert response.status_code == 200
    assert response.content.decode().count('data-state="draft"') == 2 * count  # the grid and the agenda


def test_calendar_places_deliveries_on_the_units_local_day(client, org, people):
    """23.30 WIB on 31 March is still March for the KUA, although UTC says 16.30."""
    when = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
    posts_with_deliveries(org, people.kontributor, 1, when=when)
    Delivery.objects.filter(account__platform=Platform.X).update(state=DeliveryState.FAILED)
    client.force_login(people.verifikator)
    page = client.get(reverse("socialmedia:calendar_month"), {"bulan": "2026-03"}).content.decode()
    assert "Kalender terbit Maret 2026" in page
    assert "23.30 WIB" in page
    assert 'data-state="scheduled"' in page and 'data-state="failed"' in page
    assert "Selasa, 31 Maret 2026" in page
    # April's grid starts on Monday 30 March, but its agenda is April only.
    page = client.get(reverse("socialmedia:calendar_month"), {"bulan": "2026-04"}).content.decode()
    assert "Selasa, 31 Maret 2026" not in page
    assert "Tidak ada kiriman pada bulan ini." in page


def test_calendar_filters_by_platform_and_unit(client, org, people):
    when = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    posts_with_deliveries(org, people.kontributor, 1, when=when)
    client.force_login(people.verifikator)
    url = reverse("socialmedia:calendar_month")
    page = client.get(url, {"bulan": "2026-03", "platform": Platform.X}).content.decode()
    assert page.count("data-delivery=") == 2  # the grid and the agenda
    assert '<span class="calendar-account">Facebook' not in page
    page = client.get(url, {"bulan": "2026-03", "unit": org.man_pasuruan.pk}).content.decode()
    assert "data-delivery=" not in page
    # A unit the user does not cover is ignored, not shown.
    client.force_login(people.verifikator_lain)
    page = client.get(url, {"bulan": "2026-03", "unit": org.kua_bangil.pk}).content.decode()
    assert "data-delivery=" not in page


def test_calendar_week_lists_each_day(client, org, people):
    when = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)  # Wednesday 09.00 WIB
    posts_with_deliveries(org, people.kontributor, 1, when=when)
    client.force_login(people.kontributor)
    page = client.get(reverse("socialmedia:calendar_week"), {"tanggal": "2026-03-12"}).content.decode()
    assert "Kalender terbit 9 Mar – 15 Mar 2026" in page
    assert "Rab, 11 Maret 2026" in page
    assert page.count("09.00 WIB") == 2


def test_dashboard_card_shows_what_the_role_acts_on(client, org, people):
    posts_with_deliveries(org, people.kontributor, 1, state=DeliveryState.FAILED)
    SocialPostFactory(unit=org.kua_bangil, status=ReviewStatus.SUBMITTED)
    client.force_login(people.admin_humas)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Media sosial" in page and "2 pengiriman perlu diperiksa" in page
    client.force_login(people.verifikator)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "1 kiriman menunggu verifikasi" in page
    assert "perlu diperiksa" not in page
    client.force_login(people.outsider)
    assert "Kalender terbit" not in client.get(reverse("core:dashboard")).content.decode()
