"""The server keeps rendered public pages for anonymous readers until the
next change of what they show; signed-in staff always get a fresh page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from humas_portal.core.workflow import ReviewStatus
from news import counters, services
from news.images import news_image_create
from news.models import NewsItem, PriorityProgram
from news.selectors import invalidate_public_cache
from news.tasks import make_image_renditions
from news.views_public import public_cache

from ..core.test_images import photo, upload
from .factories import CategoryFactory, NewsItemFactory, TagFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"


@pytest.fixture(autouse=True)
def _no_pending_views():
    # Item ids repeat between runs of a fresh test database.
    counters._redis().delete(counters._pending_key())


@pytest.fixture
def item(org):
    category = CategoryFactory(name="Bimas Islam")
    tag = TagFactory(name="zakat")
    item = NewsItemFactory(
        published=True,
        unit=org.kua_bangil,
        category=category,
        title="Penyaluran Zakat Fitrah di KUA Bangil",
        priority_program=PriorityProgram.LAYANAN_KEAGAMAAN,
    )
    item.tags.add(tag)
    return item


def public_urls(item):
    return {
        "home": reverse("news:home"),
        "latest": reverse("news:latest"),
        "detail": item.get_absolute_url(),
        "units": reverse("news:units"),
        "unit": item.unit.get_absolute_url(),
        "category": item.category.get_absolute_url(),
        "tag": item.tags.get().get_absolute_url(),
        "program": reverse("news:program", kwargs={"program": item.priority_program}),
        "search": reverse("news:search") + "?q=zakat",
        "rss": reverse("news:feed_rss"),
        "unit_atom": reverse("news:unit_feed_atom", kwargs={"slug": item.unit.slug}),
    }


def retitle_without_notice(item, title):
    """Change the stored title behind the public site's back (no signal, no
    invalidation), to tell a kept page from a fresh one."""
    NewsItem.objects.filter(pk=item.pk).update(title=title)


@pytest.mark.parametrize(
    "page",
    ["home", "latest", "detail", "units", "unit", "category", "tag", "program", "search", "rss", "unit_atom"],
)
def test_a_second_anonymous_request_is_served_without_a_query(client, item, page, django_assert_num_queries):
    url = public_urls(item)[page]
    first = client.get(url)
    assert first.status_code == 200
    assert (item.unit.name if page == "units" else item.title) in first.content.decode()

    # The page kept for this generation: one round trip to Redis, no SQL
    # (the detail page's read is counted in Redis too).
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Cache-Control"] == first["Cache-Control"]


def test_a_kept_page_is_kept_per_address_and_language(client, item):
    client.get(reverse("news:latest"))
    retitle_without_notice(item, "Judul Baru Setelah Disimpan")

    assert "Penyaluran Zakat Fitrah" in client.get(reverse("news:latest")).content.decode()
    # Another query string is another page.
    assert "Judul Baru Setelah Disimpan" in client.get(reverse("news:latest") + "?urut=1").content.decode()
    # So is the English page.
    client.get(reverse("core:switch_language", args=["en"]))
    english = client.get(reverse("news:latest"))
    assert english["Content-Language"] == "en"
    assert "Judul Baru Setelah Disimpan" in english.content.decode()


def test_a_kept_news_page_still_counts_each_read(client, item):
    for _ in range(3):
        assert client.get(item.get_absolute_url(), headers={"user-agent": BROWSER}).status_code == 200
    client.get(item.get_absolute_url(), headers={"user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
    client.head(item.get_absolute_url(), headers={"user-agent": BROWSER})
    assert counters.pending_views(item.pk) == 3


def test_publishing_makes_the_next_request_fresh(
    client, org, people, item, django_capture_on_commit_callbacks
):
    client.get(reverse("news:home"))
    client.get(reverse("news:latest"))
    approved = NewsItemFactory(
        unit=org.kua_bangil,
        author=people.kontributor,
        status=ReviewStatus.APPROVED,
        decided_at=timezone.now(),
        title="Manasik Haji Akbar Kabupaten Pasuruan",
    )
    assert approved.title not in client.get(reverse("news:home")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.news_publish(item_id=approved.pk) is True

    assert approved.title in client.get(reverse("news:home")).content.decode()
    assert approved.title in client.get(reverse("news:latest")).content.decode()


def test_an_unpublished_item_is_gone_from_the_origin_at_once(
    client, people, item, django_capture_on_commit_callbacks
):
    detail = client.get(item.get_absolute_url())
    assert detail.status_code == 200
    # Browsers and proxies may keep a page for a few seconds only.
    assert "max-age=5" in detail["Cache-Control"]
    assert item.title in client.get(reverse("news:home")).content.decode()
    assert item.title in client.get(reverse("news:feed_rss")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.news_unpublish(item=item, actor=people.admin_humas, reason="Data peserta keliru.")

    assert client.get(item.get_absolute_url()).status_code == 404
    assert item.title not in client.get(reverse("news:home")).content.decode()
    assert item.title not in client.get(reverse("news:feed_rss")).content.decode()


def test_signed_in_staff_never_get_a_kept_page(client, people, item):
    client.get(reverse("news:latest"))  # kept for anonymous readers
    retitle_without_notice(item, "Judul Baru Setelah Disimpan")

    client.force_login(people.kontributor)
    page = client.get(reverse("news:latest"))
    assert "Judul Baru Setelah Disimpan" in page.content.decode()
    assert "private" in page["Cache-Control"]


def test_signed_in_staff_never_fill_the_kept_page(client, people, item, django_assert_num_queries):
    client.force_login(people.kontributor)
    staff_page = client.get(reverse("news:latest")).content.decode()
    assert "Keluar" in staff_page  # their own menu
    client.logout()

    retitle_without_notice(item, "Judul Baru Setelah Disimpan")
    anonymous = client.get(reverse("news:latest")).content.decode()
    assert "Judul Baru Setelah Disimpan" in anonymous
    assert "Keluar" not in anonymous


def test_a_reader_with_a_message_waiting_gets_a_fresh_page(client, item):
    client.get(reverse("news:latest"))
    retitle_without_notice(item, "Judul Baru Setelah Disimpan")
    client.cookies["messages"] = "anything"
    assert "Judul Baru Setelah Disimpan" in client.get(reverse("news:latest")).content.decode()


def _anonymous_get(path="/halaman/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_a_response_that_sets_a_cookie_is_never_kept(db):
    calls = []

    @public_cache
    def sets_a_cookie(request):
        calls.append(request)
        response = HttpResponse("halaman")
        response.set_cookie("pilihan", "1")
        return response

    for _ in range(2):
        assert sets_a_cookie(_anonymous_get()).cookies["pilihan"].value == "1"
    assert len(calls) == 2


def test_a_page_holding_the_visitors_csrf_token_is_never_kept(db):
    calls = []

    @public_cache
    def with_a_form(request):
        calls.append(request)
        return HttpResponse(f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">')

    first = with_a_form(_anonymous_get()).content
    second = with_a_form(_anonymous_get()).content
    assert len(calls) == 2
    assert first != second


def test_a_page_that_is_not_found_is_never_kept(client, item):
    missing = reverse("news:detail", kwargs={"slug": "belum-terbit"})
    assert client.get(missing).status_code == 404
    NewsItemFactory(published=True, unit=item.unit, slug="belum-terbit", title="Baru Saja Terbit")
    assert client.get(missing).status_code == 200


def test_renaming_a_category_or_unit_refreshes_the_pages(client, item, django_capture_on_commit_callbacks):
    category_url = item.category.get_absolute_url()
    client.get(category_url)
    client.get(item.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        item.category.name = "Bimbingan Masyarakat Islam"
        item.category.save()
    assert "Bimbingan Masyarakat Islam" in client.get(category_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        item.unit.name = "KUA Kecamatan Bangil Kota"
        item.unit.save()
    assert "KUA Kecamatan Bangil Kota" in client.get(item.get_absolute_url()).content.decode()


def test_a_closed_unit_page_is_gone_at_once(client, item, django_capture_on_commit_callbacks):
    url = item.unit.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        item.unit.is_active = False
        item.unit.save()
    assert client.get(url).status_code == 404


def test_retagging_a_published_item_in_the_admin_refreshes_the_tag_pages(
    client, item, django_capture_on_commit_callbacks
):
    other = TagFactory(name="infak")
    assert item.title not in client.get(other.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        item.tags.add(other)
    assert item.title in client.get(other.get_absolute_url()).content.decode()


def test_a_photo_shows_its_rendition_once_the_worker_made_it(client, people, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = news_image_create(
        upload=upload(photo(1000, 700)), uploaded_by=people.kontributor, unit=item.unit, item=item
    )
    NewsItem.objects.filter(pk=item.pk).update(featured_image=image)
    assert image.original.url in client.get(item.get_absolute_url()).content.decode()

    assert make_image_renditions(image.pk) is True

    image.refresh_from_db()
    page = client.get(item.get_absolute_url()).content.decode()
    assert image.full.url in page


def test_a_change_committed_by_the_worker_shows_on_the_next_request(client, item):
    """Kept pages live in the shared cache only: a new generation started by
    another process (the worker publishing) is seen by every web process on
    its next request."""
    url = reverse("news:latest")
    client.get(url)
    retitle_without_notice(item, "Judul Baru Setelah Disimpan")
    assert "Penyaluran Zakat Fitrah" in client.get(url).content.decode()

    invalidate_public_cache()  # what the worker does on commit of a publication

    assert "Judul Baru Setelah Disimpan" in client.get(url).content.decode()
