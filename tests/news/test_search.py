"""Full-text search of published news (PostgreSQL, ``indonesian`` stemming)."""

from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.urls import reverse
from django.utils import timezone

from humas_portal.core.workflow import ReviewStatus
from news.models import NewsItem
from news.selectors import invalidate_public_cache

from .factories import CategoryFactory, NewsItemFactory, TagFactory, published_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    # Cached list counts outlive a test (Redis); start each test afresh.
    invalidate_public_cache()


def search(client, q, **params):
    return client.get(reverse("news:search"), {"q": q, **params})


def test_humas_finds_kehumasan(client):
    item = NewsItemFactory(
        published=True,
        title="Pelatihan Kehumasan bagi Pengelola Media Satker",
        lead="Kankemenag menggelar pelatihan jurnalistik untuk petugas media madrasah.",
    )
    NewsItemFactory(published=True, title="Manasik Haji Calon Jemaah", lead="Calon jemaah mengikuti manasik.")

    response = search(client, "humas")

    assert [i.pk for i in response.context["items"]] == [item.pk]
    assert item.title in response.content.decode()


def test_search_matches_the_body_too(client):
    item = NewsItemFactory(
        published=True,
        title="Rapat Koordinasi Bulanan",
        body="<p>Pembahasan <strong>sertifikasi halal</strong> bagi pelaku usaha mikro.</p>",
    )
    assert [i.pk for i in search(client, "halal").context["items"]] == [item.pk]


def test_a_title_match_ranks_above_a_mention_in_the_body(client):
    now = timezone.now()
    in_body = NewsItemFactory(
        published=True,
        published_at=now,
        title="Rapat Koordinasi Bulanan Kankemenag",
        body="<p>Rapat juga membahas peran kehumasan di setiap satker.</p>",
    )
    in_title = NewsItemFactory(
        published=True,
        published_at=now - timedelta(hours=2),
        title="Kehumasan Madrasah Diperkuat Lewat Pelatihan",
        body="<p>Pelatihan berlangsung dua hari.</p>",
    )
    assert [i.pk for i in search(client, "humas").context["items"]] == [in_title.pk, in_body.pk]


def test_a_recent_item_outranks_a_slightly_more_relevant_old_one(client):
    now = timezone.now()
    old = NewsItemFactory(
        published=True,
        published_at=now - timedelta(days=90),
        title="Moderasi Beragama: Moderasi untuk Madrasah",
    )
    new = NewsItemFactory(
        published=True, published_at=now - timedelta(days=1), title="Moderasi Beragama di Madrasah"
    )
    assert [i.pk for i in search(client, "moderasi").context["items"]] == [new.pk, old.pk]


@pytest.mark.parametrize(
    "status", [ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.APPROVED, ReviewStatus.UNPUBLISHED]
)
def test_search_never_shows_unpublished_items(client, status):
    NewsItemFactory(status=status, title="Kehumasan Rahasia Internal")
    response = search(client, "humas")
    assert response.context["items"] == []
    assert "Tidak ada berita yang cocok" in response.content.decode()


def test_websearch_syntax_excludes_words(client):
    haji = NewsItemFactory(published=True, title="Manasik Haji dan Umrah")
    NewsItemFactory(published=True, title="Penyelenggaraan Umrah Backpacker Dilarang")
    response = search(client, "umrah -backpacker")
    assert [i.pk for i in response.context["items"]] == [haji.pk]


@pytest.mark.parametrize("q", ["", "   ", "\t\n"])
def test_an_empty_query_shows_a_friendly_page_and_runs_no_query(client, q, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search(client, q)
    assert response.status_code == 200
    assert "Ketik kata kunci untuk mencari berita" in response.content.decode()


def test_pagination_keeps_the_query(client, settings):
    settings.NEWS_PAGE_SIZE = 2
    for n in range(5):
        NewsItemFactory(published=True, title=f"Sosialisasi Kehumasan Tahap {n}")

    first = search(client, "kehumasan")
    page = first.content.decode()
    assert "q=kehumasan&amp;page=2" in page or "page=2&amp;q=kehumasan" in page

    third = search(client, "kehumasan", page=3)
    assert third.status_code == 200
    assert len(third.context["items"]) == 1
    assert search(client, "kehumasan", page=4).status_code == 404


def test_only_the_most_recent_matches_are_ranked(client, settings):
    settings.NEWS_SEARCH_MAX_RESULTS = 3
    now = timezone.now()
    items = [
        NewsItemFactory(published=True, published_at=now - timedelta(days=n), title=f"Zakat Fitrah Tahap {n}")
        for n in range(5)
    ]
    response = search(client, "zakat")
    assert {i.pk for i in response.context["items"]} == {i.pk for i in items[:3]}
    assert "Lebih dari 3 berita ditemukan" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_search_query_count_does_not_grow_with_news(client, org, count, django_assert_num_queries):
    published_corpus(
        count,
        units=[org.kua_bangil, org.man_pasuruan],
        categories=[CategoryFactory()],
        tags=[TagFactory()],
    )
    # 1 the ids of the most recent matches (last month, then older ones only
    # if needed, in one UNION ALL); 1 their ranking; 1 the page's cards.
    with django_assert_num_queries(3):
        response = search(client, "bimbingan perkawinan")
    assert len(response.context["items"]) == min(count, 12)


def test_every_item_is_indexed_by_the_database_as_it_is_written():
    """The index is kept by PostgreSQL itself (a generated column), for
    items written by any path: the factory, a bulk load, a queryset update."""
    one = NewsItemFactory(published=True, title="Pembinaan Penyuluh Agama")
    built = NewsItemFactory.build(published=True, unit=one.unit, author=one.author, slug="dimuat-sekaligus")
    (bulk,) = NewsItem.objects.bulk_create([built])
    NewsItem.objects.filter(pk=bulk.pk).update(title="Pembinaan Takmir Masjid")
    assert not NewsItem.objects.filter(search_vector__isnull=True).exists()
    found = NewsItem.objects.filter(search_vector=SearchQuery("takmir", config="indonesian"))
    assert [item.pk for item in found] == [bulk.pk]


def test_several_words_must_all_match(client):
    lead = "Kegiatan rutin tahunan."
    both = NewsItemFactory(published=True, title="Bimbingan Perkawinan Calon Pengantin", lead=lead)
    NewsItemFactory(published=True, title="Bimbingan Manasik Haji", lead=lead)
    NewsItemFactory(published=True, title="Pencatatan Perkawinan di KUA", lead=lead)
    assert [i.pk for i in search(client, "bimbingan perkawinan").context["items"]] == [both.pk]


def test_a_quoted_phrase_matches_those_words_in_that_order(client):
    phrase = NewsItemFactory(published=True, title="Sosialisasi Moderasi Beragama di Madrasah")
    NewsItemFactory(published=True, title="Beragama dengan Moderasi: Dialog Lintas Iman")
    assert [i.pk for i in search(client, '"moderasi beragama"').context["items"]] == [phrase.pk]
    # Unquoted, both have the two words.
    assert len(search(client, "moderasi beragama").context["items"]) == 2


def test_or_accepts_either_word(client):
    haji = NewsItemFactory(published=True, title="Manasik Haji Kabupaten")
    zakat = NewsItemFactory(published=True, title="Penyaluran Zakat Fitrah")
    NewsItemFactory(published=True, title="Wisuda Madrasah Aliyah")
    found = {i.pk for i in search(client, "haji or zakat").context["items"]}
    assert found == {haji.pk, zakat.pk}


def test_a_corrected_text_is_found_by_its_new_words(client):
    item = NewsItemFactory(published=True, title="Rapat Kerja Tahunan")
    assert search(client, "wakaf").context["items"] == []

    item.title = "Rapat Kerja Badan Wakaf"
    item.save()
    invalidate_public_cache()  # what saving a published item does on commit

    assert [i.pk for i in search(client, "wakaf").context["items"]] == [item.pk]


@pytest.mark.parametrize("in_last_month", [0, 2, 4])
def test_the_most_recent_matches_are_found_inside_and_outside_the_last_month(client, settings, in_last_month):
    """The search looks at the last month first and at older items only
    when the last month has too few matches; either way the results are the
    most recent matches."""
    settings.NEWS_SEARCH_MAX_RESULTS = 3
    now = timezone.now()
    ages = [timedelta(days=2 + n) for n in range(in_last_month)] + [
        timedelta(days=60 + 30 * n) for n in range(3)
    ]
    items = [
        NewsItemFactory(published=True, published_at=now - age, title=f"Isbat Nikah Tahap {n}")
        for n, age in enumerate(ages)
    ]

    response = search(client, "isbat")

    assert {i.pk for i in response.context["items"]} == {i.pk for i in items[:3]}


def test_every_page_of_a_search_reads_one_kept_result_list(client, settings, django_assert_num_queries):
    settings.NEWS_PAGE_SIZE = 2
    for n in range(5):
        NewsItemFactory(published=True, title=f"Rukyatul Hilal Tahap {n}")
    assert len(search(client, "rukyatul").context["items"]) == 2

    # Only the page's cards: the ranked list is kept until the next change.
    with django_assert_num_queries(1):
        second = search(client, "rukyatul", page=2)
    assert len(second.context["items"]) == 2


def test_a_publication_discards_kept_search_results(client):
    first = NewsItemFactory(published=True, title="Festival Hadrah Madrasah")
    assert [i.pk for i in search(client, "hadrah").context["items"]] == [first.pk]

    second = NewsItemFactory(published=True, title="Lomba Hadrah Antar-KUA")
    invalidate_public_cache()  # what the publish service does on commit

    assert {i.pk for i in search(client, "hadrah").context["items"]} == {first.pk, second.pk}


def test_a_search_page_past_the_end_is_not_found(client):
    NewsItemFactory(published=True, title="Sosialisasi Wakaf Uang")
    assert search(client, "wakaf", page=2).status_code == 404
    assert search(client, "wakaf", page="abc").status_code == 404
