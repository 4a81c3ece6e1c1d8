"""The public news site as a reader without an account sees it."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from humas_portal.core.models import UnitTimeZone
from humas_portal.core.workflow import ReviewStatus
from news import counters
from news.models import PriorityProgram
from news.selectors import invalidate_public_cache

from .factories import (
    CategoryFactory,
    NewsImageFactory,
    NewsItemFactory,
    TagFactory,
    published_corpus,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    # Cached list counts outlive a test (Redis); start each test afresh.
    invalidate_public_cache()


NOT_PUBLIC = [
    ReviewStatus.DRAFT,
    ReviewStatus.SUBMITTED,
    ReviewStatus.RETURNED,
    ReviewStatus.REJECTED,
    ReviewStatus.APPROVED,
    ReviewStatus.UNPUBLISHED,
]


@pytest.fixture(autouse=True)
def _no_pending_views():
    # Item ids repeat between runs of a fresh test database; reads counted in
    # an earlier run must not show up on these pages.
    counters._redis().delete(counters._pending_key())


@pytest.fixture
def topics(db):
    return {
        "categories": [CategoryFactory(name="Pendidikan"), CategoryFactory(name="Bimas Islam")],
        "tags": [TagFactory(name="madrasah"), TagFactory(name="nikah"), TagFactory(name="zakat")],
    }


@pytest.fixture
def corpus(org, topics):
    """Build ``n`` published items over the org's satker (and one office)."""

    def build(count):
        units = [org.kua_bangil, org.man_pasuruan, org.kua_sidoarjo, org.pasuruan]
        return published_corpus(count, units=units, **topics)

    return build


# --- Home -----------------------------------------------------------------------


def test_home_shows_latest_news_program_sections_and_active_units(client, org, corpus):
    items = corpus(12)
    draft = NewsItemFactory(title="Draf Rahasia Belum Terbit", unit=org.kua_bangil)

    response = client.get(reverse("news:home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert items[0].title in page
    assert items[0].featured_image.card.url in page  # the card rendition
    assert draft.title not in page
    for program in PriorityProgram:
        assert str(program.label) in page
    assert "KUA Kecamatan Bangil" in page
    assert "Kankemenag Kabupaten Sidoarjo" not in page  # published nothing itself


def test_home_without_news_says_so(client, db):
    response = client.get(reverse("news:home"))
    assert response.status_code == 200
    assert "Belum ada berita yang terbit." in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_does_not_grow_with_news(client, corpus, count, django_assert_num_queries):
    corpus(count)
    # 1 UNION ALL of the ids of the latest items and of the latest few per
    # priority program; 1 their cards (unit, category, photo joined); 1 unit
    # ids of the latest items; 1 those units.
    with django_assert_num_queries(4):
        response = client.get(reverse("news:home"))
    assert response.status_code == 200


def test_anonymous_pages_may_be_cached_briefly(client, corpus, settings):
    settings.NEWS_PUBLIC_MAX_AGE = 90
    corpus(1)
    response = client.get(reverse("news:home"))
    assert "public" in response["Cache-Control"]
    assert "max-age=90" in response["Cache-Control"]


def test_signed_in_staff_pages_are_not_shared(client, people, corpus):
    corpus(1)
    client.force_login(people.kontributor)
    response = client.get(reverse("news:home"))
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


# --- Detail ---------------------------------------------------------------------


def test_detail_shows_the_whole_item(client, org, topics, people):
    makassar = org.kua_sidoarjo
    makassar.timezone = UnitTimeZone.WITA
    makassar.save()
    photo = NewsImageFactory()
    gallery_photo = NewsImageFactory(in_gallery=True, caption="Suasana pembukaan kegiatan")
    item = NewsItemFactory(
        published=True,
        published_at=datetime(2026, 3, 2, 1, 30, tzinfo=UTC),
        title="KUA Sidoarjo Gelar Bimbingan Perkawinan",
        lead="Sebanyak 40 pasangan calon pengantin mengikuti bimbingan perkawinan.",
        body="<p>Kegiatan dibuka <strong>Kepala KUA</strong>.</p>",
        dateline="Sidoarjo",
        reporter="Siti Aminah",
        editor_credit="Ahmad Fauzi",
        unit=makassar,
        category=topics["categories"][1],
        priority_program=PriorityProgram.LAYANAN_KEAGAMAAN,
        featured_image=photo,
        featured_caption="Kepala KUA membuka bimbingan perkawinan",
    )
    item.tags.add(topics["tags"][1])
    gallery_photo.item = item
    gallery_photo.save()

    response = client.get(item.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>KUA Sidoarjo Gelar Bimbingan Perkawinan</h1>" in page
    assert "Sebanyak 40 pasangan calon pengantin" in page
    assert "Sidoarjo —" in page  # the dateline opens the lead
    # 01:30 UTC is 09:30 in Makassar (WITA), the unit's own zone, on a
    # Monday; machines read the time in the site's zone (WIB).
    assert '<time datetime="2026-03-02T08:30:00+07:00">Senin, 2 Maret 2026, 09:30 WITA</time>' in page
    assert '<meta property="article:published_time" content="2026-03-02T08:30:00+07:00">' in page
    assert (
        '<meta name="description" content="Sebanyak 40 pasangan calon pengantin mengikuti bimbingan perkawinan.">'
        in page
    )
    assert "Siti Aminah" in page and "Ahmad Fauzi" in page
    assert "Bimas Islam" in page and "#nikah" in page
    assert str(PriorityProgram.LAYANAN_KEAGAMAAN.label) in page
    assert photo.full.url in page and "Kepala KUA membuka bimbingan perkawinan" in page
    assert gallery_photo.thumbnail.url in page or gallery_photo.card.url in page
    assert "Suasana pembukaan kegiatan" in page
    # The sanitised body keeps its markup.
    assert "<strong>Kepala KUA</strong>" in page


@pytest.mark.parametrize("status", NOT_PUBLIC)
def test_detail_of_an_item_that_is_not_published_is_404(client, org, status):
    item = NewsItemFactory(status=status, unit=org.kua_bangil)
    response = client.get(reverse("news:detail", kwargs={"slug": item.slug}))
    assert response.status_code == 404


def test_detail_of_an_unknown_slug_is_404(client, db):
    assert client.get(reverse("news:detail", kwargs={"slug": "tidak-ada"})).status_code == 404


def test_baca_juga_lists_related_news_but_not_the_item_itself(client, org, topics):
    tag = topics["tags"][0]
    item = NewsItemFactory(published=True, unit=org.kua_bangil, priority_program=PriorityProgram.HAJI_UMRAH)
    item.tags.add(tag)
    same_tag = NewsItemFactory(
        published=True,
        title="Madrasah Adakan Lomba Cerdas Cermat",
        priority_program=PriorityProgram.KERUKUNAN,
    )
    same_tag.tags.add(tag)
    same_program = NewsItemFactory(
        published=True, title="Manasik Haji Calon Jemaah", priority_program=PriorityProgram.HAJI_UMRAH
    )
    unrelated = NewsItemFactory(
        published=True,
        title="Penyuluh Sosialisasi Produk Halal",
        priority_program=PriorityProgram.PRODUK_HALAL,
    )
    draft = NewsItemFactory(title="Draf Terkait Haji", priority_program=PriorityProgram.HAJI_UMRAH)

    response = client.get(item.get_absolute_url())

    related = [i.pk for i in response.context["related"]]
    assert related == [same_tag.pk, same_program.pk]  # a shared tag first
    page = response.content.decode()
    assert "Baca juga" in page
    assert unrelated.title not in page and draft.title not in page


def test_baca_juga_of_an_untagged_item_shows_the_newest_of_its_program(client, org):
    now = timezone.now()
    item = NewsItemFactory(published=True, unit=org.kua_bangil, priority_program=PriorityProgram.HAJI_UMRAH)
    same_program = [
        NewsItemFactory(
            published=True,
            published_at=now - timedelta(hours=n),
            priority_program=PriorityProgram.HAJI_UMRAH,
        )
        for n in range(1, 7)
    ]

    response = client.get(item.get_absolute_url())

    assert [i.pk for i in response.context["related"]] == [i.pk for i in same_program[:4]]


@pytest.mark.parametrize("count", [3, 30])
def test_detail_query_count_does_not_grow_with_news(client, corpus, topics, count, django_assert_num_queries):
    items = corpus(count)
    item = items[0]
    # 1 the item with unit, category and photo, and whether it has a
    # gallery; 1 its tags; 1 UNION ALL of the ids of items sharing a tag and
    # of items of the same category or program; 1 the cards of the chosen
    # ones.
    with django_assert_num_queries(4):
        response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert response.context["related"]
    # And 1 the gallery, for an item that has one.
    NewsImageFactory(item=item, in_gallery=True)
    invalidate_public_cache()
    with django_assert_num_queries(5):
        response = client.get(item.get_absolute_url())
    assert len(response.context["gallery"]) == 1


# --- Lists ----------------------------------------------------------------------


def test_office_page_lists_its_own_news_and_its_satker(client, org):
    own = NewsItemFactory(published=True, unit=org.pasuruan, title="Rapat Koordinasi Kankemenag Pasuruan")
    satker = NewsItemFactory(published=True, unit=org.kua_bangil, title="KUA Bangil Layani Nikah")
    elsewhere = NewsItemFactory(published=True, unit=org.kua_sidoarjo, title="KUA Sidoarjo Layani Nikah")

    page = client.get(reverse("news:unit", kwargs={"slug": org.pasuruan.slug})).content.decode()

    assert own.title in page and satker.title in page
    assert elsewhere.title not in page
    assert "KUA Kecamatan Bangil" in page  # listed among the units under it


def test_satker_page_lists_only_its_own_news(client, org):
    own = NewsItemFactory(published=True, unit=org.kua_bangil, title="KUA Bangil Layani Nikah")
    sibling = NewsItemFactory(published=True, unit=org.man_pasuruan, title="MAN 1 Pasuruan Juara Lomba")
    office = NewsItemFactory(published=True, unit=org.pasuruan, title="Rapat Koordinasi Kankemenag")
    draft = NewsItemFactory(unit=org.kua_bangil, title="Draf KUA Bangil")

    page = client.get(reverse("news:unit", kwargs={"slug": org.kua_bangil.slug})).content.decode()

    assert own.title in page
    assert sibling.title not in page and office.title not in page and draft.title not in page


def test_category_tag_and_program_pages_list_only_their_news(client, org, topics):
    category, other_category = topics["categories"]
    tag = topics["tags"][0]
    in_category = NewsItemFactory(published=True, category=category, title="Berita Kategori Pendidikan")
    other = NewsItemFactory(
        published=True,
        category=other_category,
        title="Berita Bimas Islam",
        priority_program=PriorityProgram.MODERASI,
    )
    tagged = NewsItemFactory(published=True, title="Berita Bertag Madrasah")
    tagged.tags.add(tag)

    category_page = client.get(category.get_absolute_url()).content.decode()
    assert in_category.title in category_page and other.title not in category_page

    tag_page = client.get(tag.get_absolute_url()).content.decode()
    assert tagged.title in tag_page and in_category.title not in tag_page

    program_url = reverse("news:program", kwargs={"program": PriorityProgram.MODERASI.value})
    program_page = client.get(program_url).content.decode()
    assert other.title in program_page and in_category.title not in program_page


def test_unknown_unit_category_tag_and_program_are_404(client, db):
    for name, kwargs in [
        ("news:unit", {"slug": "tidak-ada"}),
        ("news:category", {"slug": "tidak-ada"}),
        ("news:tag", {"slug": "tidak-ada"}),
        ("news:program", {"program": "tidak-ada"}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


def _list_urls(org, topics):
    return {
        "latest": reverse("news:latest"),
        "unit": reverse("news:unit", kwargs={"slug": org.pasuruan.slug}),
        "category": topics["categories"][0].get_absolute_url(),
        "tag": topics["tags"][0].get_absolute_url(),
        "program": reverse("news:program", kwargs={"program": PriorityProgram.KEHIDUPAN_BERAGAMA.value}),
    }


# Which queries each list page runs:
#   latest:   1 capped count, 1 page of cards (unit, category, photo joined)
#   unit:     1 the unit with its subtree (the units under it), count, cards
#   category: 1 the category, count, cards
#   tag:      1 the tag, 1 the ids of its items (count and pages), cards
#   program:  count, cards
LIST_QUERIES = {"latest": 2, "unit": 3, "category": 3, "tag": 3, "program": 2}


@pytest.mark.parametrize("page_name", sorted(LIST_QUERIES))
@pytest.mark.parametrize("count", [3, 30])
def test_list_page_query_count_does_not_grow_with_news(
    client, org, topics, corpus, page_name, count, django_assert_num_queries
):
    corpus(count)
    url = _list_urls(org, topics)[page_name]
    with django_assert_num_queries(LIST_QUERIES[page_name]):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["items"]) > 0


def test_list_pages_are_paginated_and_out_of_range_pages_are_404(client, org, corpus, settings):
    settings.NEWS_PAGE_SIZE = 5
    items = corpus(12)
    url = reverse("news:latest")

    first = client.get(url)
    assert [i.pk for i in first.context["items"]] == [i.pk for i in items[:5]]
    assert "Halaman 1 dari 3" in first.content.decode()

    third = client.get(url, {"page": 3})
    assert [i.pk for i in third.context["items"]] == [i.pk for i in items[10:]]
    assert 'rel="canonical" href="http://localhost:8000/berita/?page=3"' in third.content.decode()

    assert client.get(url, {"page": 4}).status_code == 404
    assert client.get(url, {"page": "dua"}).status_code == 404


def test_pagination_stops_at_the_page_cap(client, corpus, settings):
    settings.NEWS_PAGE_SIZE = 2
    settings.NEWS_MAX_PAGES = 3
    corpus(10)
    url = reverse("news:latest")
    last = client.get(url, {"page": 3})
    assert last.status_code == 200
    assert "Berita yang lebih lama dapat ditemukan melalui pencarian." in last.content.decode()
    assert client.get(url, {"page": 4}).status_code == 404


def test_units_page_lists_active_units_as_a_tree(client, org, django_assert_num_queries):
    org.kua_sidoarjo.is_active = False
    org.kua_sidoarjo.save()
    # 1 the active units, ordered by their path in the hierarchy.
    with django_assert_num_queries(1):
        response = client.get(reverse("news:units"))
    page = response.content.decode()
    assert "Kankemenag Kabupaten Pasuruan" in page and "KUA Kecamatan Bangil" in page
    assert "KUA Kecamatan Sidoarjo" not in page
    assert page.index("Kankemenag Kabupaten Pasuruan") < page.index("KUA Kecamatan Bangil")


def test_inactive_unit_page_is_404(client, org):
    org.kua_sidoarjo.is_active = False
    org.kua_sidoarjo.save()
    assert client.get(org.kua_sidoarjo.get_absolute_url()).status_code == 404


def test_cards_show_the_time_in_the_units_zone(client, org):
    org.kua_bangil.timezone = UnitTimeZone.WIT
    org.kua_bangil.save()
    NewsItemFactory(
        published=True, unit=org.kua_bangil, published_at=datetime(2026, 5, 4, 23, 15, tzinfo=UTC)
    )
    page = client.get(reverse("news:latest")).content.decode()
    assert "5 Mei 2026, 08:15 WIT" in page


def test_newest_first_with_ties_broken_by_id(client, org):
    moment = datetime(2026, 1, 10, 3, 0, tzinfo=UTC)
    older = NewsItemFactory(published=True, published_at=moment - timedelta(hours=1))
    first = NewsItemFactory(published=True, published_at=moment)
    second = NewsItemFactory(published=True, published_at=moment)
    response = client.get(reverse("news:latest"))
    assert [i.pk for i in response.context["items"]] == [second.pk, first.pk, older.pk]


def test_list_counts_are_kept_until_the_next_publication(
    client, org, corpus, settings, django_assert_num_queries
):
    settings.NEWS_PAGE_SIZE = 2
    corpus(4)
    url = reverse("news:latest")
    assert "Halaman 1 dari 2" in client.get(url).content.decode()

    # Another page of the same list: only its cards; the capped count is kept.
    with django_assert_num_queries(1):
        assert "Halaman 2 dari 2" in client.get(url, {"page": 2}).content.decode()

    NewsItemFactory(published=True, unit=org.kua_bangil)
    NewsItemFactory(published=True, unit=org.kua_bangil)
    assert "Halaman 1 dari 2" in client.get(url, {"page": 1}).content.decode()  # still the kept count
    invalidate_public_cache()
    assert "Halaman 1 dari 3" in client.get(url).content.decode()


def test_a_count_at_the_cap_outlives_publications(client, corpus, settings, django_assert_num_queries):
    """A list that reached the page cap stays there whatever is published
    next, so a Kanwil or a popular tag is not counted again after every
    publication."""
    settings.NEWS_PAGE_SIZE = 2
    settings.NEWS_MAX_PAGES = 2
    corpus(5)
    url = reverse("news:latest")
    assert "Halaman 1 dari 2" in client.get(url).content.decode()
    invalidate_public_cache()
    # Only the page of cards: the count at the cap is kept.
    with django_assert_num_queries(1):
        assert "Halaman 2 dari 2" in client.get(url, {"page": 2}).content.decode()


def _tag_page(client, tag, **params):
    return client.get(tag.get_absolute_url(), params)


def _tagged_newest_first(tag, unit, count, *, step):
    """``count`` published items with ``tag``, each ``step`` older than the
    one before."""
    now = timezone.now()
    items = [NewsItemFactory(published=True, unit=unit, published_at=now - step * n) for n in range(count)]
    for item in items:
        item.tags.add(tag)
    return items


def test_a_tag_page_lists_its_published_items_newest_first_across_pages(client, org, topics, settings):
    settings.NEWS_PAGE_SIZE = 2
    tag = topics["tags"][2]
    items = _tagged_newest_first(tag, org.kua_bangil, 5, step=timedelta(days=1))
    draft = NewsItemFactory(unit=org.kua_bangil)
    draft.tags.add(tag)
    NewsItemFactory(published=True, unit=org.kua_bangil)  # another tag's

    pages = [_tag_page(client, tag, page=n) for n in (1, 2, 3)]

    assert [[i.pk for i in page.context["items"]] for page in pages] == [
        [items[0].pk, items[1].pk],
        [items[2].pk, items[3].pk],
        [items[4].pk],
    ]
    assert "Halaman 1 dari 3" in pages[0].content.decode()
    assert _tag_page(client, tag, page=4).status_code == 404


def test_a_tag_page_reads_its_kept_count_until_the_next_publication(
    client, org, topics, django_assert_num_queries
):
    tag = topics["tags"][2]
    first = NewsItemFactory(published=True, unit=org.kua_bangil)
    first.tags.add(tag)
    invalidate_public_cache()
    assert [i.pk for i in _tag_page(client, tag).context["items"]] == [first.pk]

    # Page 2 does not exist; finding that out takes the tag only.
    with django_assert_num_queries(1):
        assert _tag_page(client, tag, page=2).status_code == 404

    second = NewsItemFactory(published=True, unit=org.kua_bangil)
    second.tags.add(tag)
    invalidate_public_cache()  # what publishing does on commit
    assert [i.pk for i in _tag_page(client, tag).context["items"]] == [second.pk, first.pk]


def test_a_tag_with_more_items_than_the_list_shows_stays_capped(client, org, topics, settings):
    settings.NEWS_PAGE_SIZE = 2
    settings.NEWS_MAX_PAGES = 2
    tag = topics["tags"][2]
    items = _tagged_newest_first(tag, org.kua_bangil, 6, step=timedelta(hours=1))

    first, second = _tag_page(client, tag), _tag_page(client, tag, page=2)

    assert [i.pk for i in first.context["items"]] == [items[0].pk, items[1].pk]
    assert [i.pk for i in second.context["items"]] == [items[2].pk, items[3].pk]
    assert "Halaman 2 dari 2" in second.content.decode()
    assert _tag_page(client, tag, page=3).status_code == 404


def test_a_big_tag_is_not_counted_again_after_a_publication(
    client, org, topics, settings, django_assert_num_queries
):
    settings.NEWS_PAGE_SIZE = 2
    settings.NEWS_MAX_PAGES = 2
    tag = topics["tags"][2]
    for _ in range(6):
        NewsItemFactory(published=True, unit=org.kua_bangil).tags.add(tag)
    assert "Halaman 1 dari 2" in _tag_page(client, tag).content.decode()
    invalidate_public_cache()
    # The tag and the page's cards: the count at the cap is kept.
    with django_assert_num_queries(2):
        assert "Halaman 2 dari 2" in _tag_page(client, tag, page=2).content.decode()


def test_office_page_keeps_the_news_of_a_closed_satker(client, org):
    item = NewsItemFactory(published=True, unit=org.man_pasuruan, title="Wisuda Terakhir MAN 1 Pasuruan")
    org.man_pasuruan.is_active = False
    org.man_pasuruan.save()
    response = client.get(reverse("news:unit", kwargs={"slug": org.pasuruan.slug}))
    assert item.title in response.content.decode()
    assert [u.slug for u in response.context["children"]] == ["kua-bangil"]


def test_head_requests_are_answered_without_counting_a_read(client, org):
    item = NewsItemFactory(published=True, unit=org.kua_bangil)
    assert client.head(reverse("news:home")).status_code == 200
    assert client.head(item.get_absolute_url()).status_code == 200
    assert counters.pending_views(item.pk) == 0


# --- Database -------------------------------------------------------------------


def test_database_connections_plan_queries_without_parallel_workers():
    """Many concurrent page requests on a few cores: parallel workers for one
    query only add start-ups and contention (docs/benchmarks.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.parametrize(("value", "expected"), [("", "0"), ("false", None)])
def test_parallel_query_can_be_allowed_again(value, expected):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "humas_portal.settings",
        "DATABASE_DISABLE_PARALLEL_QUERY": value,
    }
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', ''))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    shown = "0" if "max_parallel_workers_per_gather=0" in result.stdout else None
    assert shown == expected
