"""RSS and Atom feeds of the whole site, of a unit and of a category."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from humas_portal.core.workflow import ReviewStatus

from .factories import CategoryFactory, NewsImageFactory, NewsItemFactory, TagFactory, published_corpus

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (the portal's own output)
    assert root.tag == "rss"
    return root.findall("./channel/item")


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (the portal's own output)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_site_rss_lists_published_news_with_photo_and_categories(client, org):
    category = CategoryFactory(name="Pendidikan")
    item = NewsItemFactory(
        published=True,
        title="MAN 1 Pasuruan Raih Juara Olimpiade",
        lead="Siswa MAN 1 Pasuruan meraih medali emas.",
        reporter="Nur Hasanah",
        unit=org.man_pasuruan,
        category=category,
        featured_image=NewsImageFactory(),
    )
    item.tags.add(TagFactory(name="prestasi"))
    NewsItemFactory(title="Draf Tidak Boleh Muncul", status=ReviewStatus.SUBMITTED)

    items = rss_items(client.get(reverse("news:feed_rss")))

    assert len(items) == 1
    entry = items[0]
    assert entry.findtext("title") == item.title
    assert entry.findtext("description") == item.lead
    assert entry.findtext("link") == f"http://testserver{item.get_absolute_url()}"
    assert entry.findtext("pubDate")
    assert {c.text for c in entry.findall("category")} == {"Pendidikan", "prestasi"}
    enclosure = entry.find("enclosure")
    assert enclosure.get("url") == f"http://localhost:8000{item.featured_image.card.url}"
    assert enclosure.get("type") == "image/webp"


def test_site_atom_feed_is_valid_and_lists_items(client, org):
    item = NewsItemFactory(published=True, unit=org.kua_bangil, title="KUA Bangil Layani Nikah")
    entries = atom_entries(client.get(reverse("news:feed_atom")))
    assert [e.findtext(f"{ATOM}title") for e in entries] == [item.title]
    assert entries[0].findtext(f"{ATOM}updated")
    assert entries[0].findtext(f"{ATOM}published")


def test_office_feed_includes_its_satker_but_not_other_offices(client, org):
    own = NewsItemFactory(published=True, unit=org.pasuruan, title="Rapat Kankemenag Pasuruan")
    satker = NewsItemFactory(published=True, unit=org.kua_bangil, title="KUA Bangil Layani Nikah")
    NewsItemFactory(published=True, unit=org.kua_sidoarjo, title="KUA Sidoarjo Layani Nikah")

    url = reverse("news:unit_feed_rss", kwargs={"slug": org.pasuruan.slug})
    titles = {i.findtext("title") for i in rss_items(client.get(url))}
    assert titles == {own.title, satker.title}

    atom_url = reverse("news:unit_feed_atom", kwargs={"slug": org.kua_bangil.slug})
    assert [e.findtext(f"{ATOM}title") for e in atom_entries(client.get(atom_url))] == [satker.title]


def test_category_feed_lists_only_that_category(client, org):
    education, other = CategoryFactory(name="Pendidikan"), CategoryFactory(name="Haji")
    mine = NewsItemFactory(published=True, category=education, title="Madrasah Hebat")
    NewsItemFactory(published=True, category=other, title="Manasik Haji")
    url = reverse("news:category_feed_rss", kwargs={"slug": education.slug})
    assert [i.findtext("title") for i in rss_items(client.get(url))] == [mine.title]
    atom_url = reverse("news:category_feed_atom", kwargs={"slug": education.slug})
    assert len(atom_entries(client.get(atom_url))) == 1


def test_feeds_of_unknown_units_and_categories_are_404(client, db):
    assert client.get(reverse("news:unit_feed_rss", kwargs={"slug": "tidak-ada"})).status_code == 404
    assert client.get(reverse("news:category_feed_atom", kwargs={"slug": "tidak-ada"})).status_code == 404


def test_feed_length_follows_the_setting(client, org, settings):
    settings.NEWS_FEED_SIZE = 5
    published_corpus(8, units=[org.kua_bangil], categories=[CategoryFactory()], tags=[TagFactory()])
    assert len(rss_items(client.get(reverse("news:feed_rss")))) == 5


# Which queries each feed runs:
#   site:     1 the latest cards; 1 their tags
#   unit:     1 the unit; 1 its subtree; 1 cards; 1 tags
#   category: 1 the category; 1 cards; 1 tags
FEED_QUERIES = {"site": 2, "unit": 4, "category": 3}


@pytest.mark.parametrize("feed", sorted(FEED_QUERIES))
@pytest.mark.parametrize("count", [3, 30])
def test_feed_query_count_does_not_grow_with_news(client, org, feed, count, django_assert_num_queries):
    category = CategoryFactory()
    published_corpus(
        count,
        units=[org.kua_bangil, org.man_pasuruan],
        categories=[category],
        tags=[TagFactory(), TagFactory()],
    )
    url = {
        "site": reverse("news:feed_rss"),
        "unit": reverse("news:unit_feed_atom", kwargs={"slug": org.pasuruan.slug}),
        "category": reverse("news:category_feed_rss", kwargs={"slug": category.slug}),
    }[feed]
    with django_assert_num_queries(FEED_QUERIES[feed]):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"<item>") + response.content.count(b"<entry>") == count
