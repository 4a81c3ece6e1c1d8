"""What search engines and link previews read: share cards, canonical
addresses, robots.txt and sitemap.xml."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from humas_portal.core.workflow import ReviewStatus
from news import counters
from news.models import PriorityProgram
from news.selectors import invalidate_public_cache

from .factories import CategoryFactory, NewsImageFactory, NewsItemFactory, TagFactory, published_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    # Cached list counts outlive a test (Redis); start each test afresh.
    invalidate_public_cache()


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _no_pending_views():
    counters._redis().delete(counters._pending_key())


class _HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta = {}
        self.links = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content"))
        elif tag == "link" and attrs.get("rel"):
            self.links.setdefault(attrs["rel"], attrs.get("href"))


def head_of(response):
    parser = _HeadParser()
    parser.feed(response.content.decode())
    return parser


def test_news_detail_has_open_graph_and_twitter_cards(client, org):
    photo = NewsImageFactory()
    item = NewsItemFactory(
        published=True,
        published_at=datetime(2026, 4, 1, 2, 0, tzinfo=UTC),
        title="Kakanwil Resmikan Gedung Baru MAN 1 Pasuruan",
        lead="Gedung baru berlantai tiga diresmikan hari ini.",
        unit=org.man_pasuruan,
        featured_image=photo,
    )

    head = head_of(client.get(item.get_absolute_url()))

    url = f"http://localhost:8000/berita/{item.slug}/"
    assert head.links["canonical"] == url
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == item.title
    assert head.meta["og:description"] == item.lead
    assert head.meta["og:url"] == url
    assert head.meta["og:image"] == f"http://localhost:8000{photo.full.url}"
    assert head.meta["article:published_time"] == "2026-04-01T09:00:00+07:00"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == head.meta["og:image"]
    assert head.meta["description"] == item.lead


def test_news_without_photo_has_a_plain_twitter_card(client):
    item = NewsItemFactory(published=True)
    head = head_of(client.get(item.get_absolute_url()))
    assert head.meta["twitter:card"] == "summary"
    assert "og:image" not in head.meta


def test_list_pages_have_canonical_and_feed_links(client, org):
    NewsItemFactory(published=True, unit=org.kua_bangil)
    head = head_of(client.get(reverse("news:unit", kwargs={"slug": org.kua_bangil.slug})))
    assert head.links["canonical"] == "http://localhost:8000/unit/kua-bangil/"
    assert head.links["alternate"] == "/unit/kua-bangil/rss/"


def test_search_results_are_not_indexed(client, db):
    assert head_of(client.get(reverse("news:search"), {"q": "nikah"})).meta["robots"] == "noindex, follow"


def test_robots_txt_points_to_the_sitemap_and_keeps_staff_areas_out(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/meja/", "/akun/", "/admin/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def _every_path(resolver=None, prefix=""):
    """Every URL pattern of the portal as a path, each converter filled in
    with a value of its kind (the sign-in check comes before any lookup)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    samples = {
        "int": "1",
        "slug": "x",
        "str": "x",
        "uuid": "00000000-0000-0000-0000-000000000001",
        "path": "x",
    }
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if route.startswith("^"):  # Django's own regex routes (static files)
            continue
        for name, value in samples.items():
            route = re.sub(rf"<{name}:\w+>", value, route)
        route = re.sub(r"<\w+>", "x", route)
        if isinstance(entry, URLResolver):
            yield from _every_path(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


def test_robots_txt_keeps_crawlers_out_of_every_page_that_asks_for_a_sign_in(client, db):
    disallowed = [
        line.removeprefix("Disallow: ")
        for line in client.get("/robots.txt").content.decode().splitlines()
        if line.startswith("Disallow: ")
    ]
    staff_pages = []
    for path in sorted(set(_every_path())):
        response = client.get(path)
        if response.status_code in (301, 302) and "/akun/masuk/" in response.get("Location", ""):
            staff_pages.append(path)
    # The walk found the staff areas at all (the desk, social media, the
    # monitoring pages, the PPID and Dumas desks).
    assert len(staff_pages) > 20
    uncovered = [path for path in staff_pages if not any(path.startswith(prefix) for prefix in disallowed)]
    assert uncovered == []


def _locations(response):
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (the portal's own output)
    return [el.text for el in root.iter(f"{SITEMAP}loc")]


def test_sitemap_index_links_every_section_that_has_pages(client, org):
    NewsItemFactory(published=True, unit=org.kua_bangil)
    CategoryFactory()
    locations = _locations(client.get("/sitemap.xml"))
    for section in ("halaman", "berita", "unit", "kategori"):
        assert f"http://testserver/sitemap-{section}.xml" in locations


def test_news_sitemap_lists_published_items_only_with_lastmod(client, org):
    published = NewsItemFactory(published=True, unit=org.kua_bangil)
    hidden = [NewsItemFactory(status=s) for s in (ReviewStatus.DRAFT, ReviewStatus.UNPUBLISHED)]

    response = client.get("/sitemap-berita.xml")

    root = ET.fromstring(response.content)  # noqa: S314 (the portal's own output)
    urls = root.findall(f"{SITEMAP}url")
    assert [u.findtext(f"{SITEMAP}loc") for u in urls] == [f"http://testserver{published.get_absolute_url()}"]
    # The date in the site's zone (WIB): from 17:00 UTC it is already tomorrow.
    assert urls[0].findtext(f"{SITEMAP}lastmod") == localtime(published.updated_at).strftime("%Y-%m-%d")
    for item in hidden:
        assert item.slug.encode() not in response.content


def test_news_sitemap_pages_by_id_range(client, org, settings, monkeypatch):
    from news.sitemaps import NewsSitemap

    monkeypatch.setattr(NewsSitemap, "limit", 2)
    items = published_corpus(5, units=[org.kua_bangil], categories=[CategoryFactory()], tags=[TagFactory()])
    by_id = sorted(items, key=lambda i: i.pk)

    index = _locations(client.get("/sitemap.xml"))
    pages = [loc for loc in index if "sitemap-berita.xml" in loc]
    # The ranges of two ids that hold one of the items; none of the empty
    # ranges below the first id.
    assert len(pages) == len({(item.pk - 1) // 2 for item in by_id})

    seen = []
    for loc in pages:
        seen += _locations(client.get(loc.replace("http://testserver", "")))
    assert sorted(seen) == sorted(f"http://testserver{i.get_absolute_url()}" for i in items)
    assert client.get("/sitemap-berita.xml", {"p": (by_id[-1].pk + 1) // 2 + 1}).status_code == 404


def test_unit_category_and_program_pages_are_in_the_sitemap(client, org):
    category = CategoryFactory(name="Pendidikan")
    units = _locations(client.get("/sitemap-unit.xml"))
    assert f"http://testserver{org.kua_bangil.get_absolute_url()}" in units
    assert _locations(client.get("/sitemap-kategori.xml")) == [
        f"http://testserver{category.get_absolute_url()}"
    ]
    pages = _locations(client.get("/sitemap-halaman.xml"))
    program_url = reverse("news:program", kwargs={"program": PriorityProgram.PRODUK_HALAL.value})
    assert f"http://testserver{program_url}" in pages


@pytest.mark.parametrize("count", [3, 30])
def test_sitemap_query_counts_do_not_grow_with_news(client, org, count, django_assert_num_queries):
    published_corpus(count, units=[org.kua_bangil], categories=[CategoryFactory()], tags=[TagFactory()])
    # Index: 1 MAX(id) of published news; 1 count of units; 1 count of
    # categories (the fixed pages need none).
    with django_assert_num_queries(3):
        client.get("/sitemap.xml")
    # A news page: 1 MAX(id) to validate the page number; 1 its id range.
    with django_assert_num_queries(2):
        response = client.get("/sitemap-berita.xml")
    assert response.content.count(b"<url>") == count
