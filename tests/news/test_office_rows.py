"""A news item carries its unit's Kanwil and Kankemenag (``NewsItem.kanwil``,
``.kankemenag``), kept by the database however the item is written or its
unit moved; an office's page and feed are read from them."""

import pytest
from django.urls import reverse

from humas_portal.core.models import UnitKind, WorkUnit
from news import selectors
from news.models import NewsItem
from news.selectors import invalidate_public_cache

from ..factories import UserFactory, WorkUnitFactory
from .factories import NewsItemFactory

pytestmark = pytest.mark.django_db


def _offices(item):
    return tuple(NewsItem.objects.filter(pk=item.pk).values_list("kanwil_id", "kankemenag_id").get())


def _listed(client, unit, **params):
    response = client.get(reverse("news:unit", kwargs={"slug": unit.slug}), params)
    assert response.status_code == 200
    return [item.pk for item in response.context["items"]]


def _moved(unit, parent):
    unit.refresh_from_db()
    unit.parent = parent
    unit.save()
    invalidate_public_cache()  # on commit, in a real transaction


def test_an_item_takes_the_offices_above_its_unit(org):
    at_kua = NewsItemFactory(unit=org.kua_bangil)
    at_kankemenag = NewsItemFactory(unit=org.pasuruan)
    at_kanwil = NewsItemFactory(unit=org.kanwil)

    assert _offices(at_kua) == (org.kanwil.pk, org.pasuruan.pk)
    assert _offices(at_kankemenag) == (org.kanwil.pk, org.pasuruan.pk)
    assert _offices(at_kanwil) == (org.kanwil.pk, None)


def test_saving_an_item_or_writing_the_columns_keeps_the_offices(org):
    """A Python instance never knows the columns; its save writes them as
    NULL and the database puts them back. So does a wrong value."""
    item = NewsItemFactory(unit=org.kua_bangil)
    assert item.kanwil_id is None  # not read back after the INSERT
    item.title = "Judul yang diperbaiki"
    item.save()
    assert _offices(item) == (org.kanwil.pk, org.pasuruan.pk)

    NewsItem.objects.filter(pk=item.pk).update(kanwil=org.sidoarjo, kankemenag=None)
    assert _offices(item) == (org.kanwil.pk, org.pasuruan.pk)


def test_an_item_moved_to_another_unit_takes_its_offices(client, org):
    item = NewsItemFactory(published=True, unit=org.kua_bangil)
    assert _listed(client, org.pasuruan) == [item.pk]

    NewsItem.objects.filter(pk=item.pk).update(unit=org.kua_sidoarjo)
    invalidate_public_cache()

    assert _offices(item) == (org.kanwil.pk, org.sidoarjo.pk)
    assert _listed(client, org.pasuruan) == []
    assert _listed(client, org.sidoarjo) == [item.pk]


def test_a_satker_moved_to_another_kankemenag_takes_its_news_along(client, org):
    item = NewsItemFactory(published=True, unit=org.kua_bangil)

    _moved(org.kua_bangil, org.sidoarjo)

    assert _offices(item) == (org.kanwil.pk, org.sidoarjo.pk)
    assert _listed(client, org.pasuruan) == []
    assert _listed(client, org.sidoarjo) == [item.pk]
    assert _listed(client, org.kanwil) == [item.pk]


def test_a_kankemenag_moved_to_another_kanwil_takes_its_whole_subtree(client, org):
    other_kanwil = WorkUnitFactory(name="Kanwil Kemenag Provinsi Bali", kind=UnitKind.KANWIL)
    at_office = NewsItemFactory(published=True, unit=org.pasuruan)
    at_kua = NewsItemFactory(published=True, unit=org.kua_bangil)
    at_madrasah = NewsItemFactory(published=True, unit=org.man_pasuruan)
    elsewhere = NewsItemFactory(published=True, unit=org.kua_sidoarjo)

    _moved(org.pasuruan, other_kanwil)

    for item in (at_office, at_kua, at_madrasah):
        assert _offices(item) == (other_kanwil.pk, org.pasuruan.pk)
    assert _offices(elsewhere) == (org.kanwil.pk, org.sidoarjo.pk)
    assert _listed(client, org.kanwil) == [elsewhere.pk]
    assert sorted(_listed(client, other_kanwil)) == sorted([at_office.pk, at_kua.pk, at_madrasah.pk])


def test_a_unit_made_an_office_becomes_the_office_of_its_subtree(client, org):
    """A change of kind reaches the items of the units under the unit too."""
    madrasah = org.man_pasuruan
    annex = WorkUnitFactory(name="MAN 1 Pasuruan Kelas Jauh", kind=UnitKind.MAN, parent=madrasah)
    item = NewsItemFactory(published=True, unit=annex)
    assert _offices(item) == (org.kanwil.pk, org.pasuruan.pk)

    WorkUnit.objects.filter(pk=madrasah.pk).update(kind=UnitKind.KANKEMENAG)

    assert _offices(item) == (org.kanwil.pk, madrasah.pk)


def test_an_office_under_an_office_of_its_kind_still_lists_its_whole_subtree(client, org):
    """An item carries the nearest office; where the data nests one
    Kankemenag under another, the outer one's page filters on its subtree."""
    inner = WorkUnitFactory(name="Kankemenag Kota Pasuruan", kind=UnitKind.KANKEMENAG, parent=org.pasuruan)
    at_inner = NewsItemFactory(published=True, unit=inner)
    at_outer = NewsItemFactory(published=True, unit=org.kua_bangil)

    assert _offices(at_inner) == (org.kanwil.pk, inner.pk)
    assert sorted(_listed(client, org.pasuruan)) == sorted([at_inner.pk, at_outer.pk])
    assert _listed(client, inner) == [at_inner.pk]


def test_office_lists_read_the_office_column_and_others_the_subtree(org):
    def where(unit):
        return str(selectors.unit_news(unit, selectors.unit_subtree(unit)).query).split("WHERE")[1]

    assert "kanwil_id" in where(org.kanwil) and "unit_id" not in where(org.kanwil)
    assert "kankemenag_id" in where(org.pasuruan) and "unit_id" not in where(org.pasuruan)
    assert "unit_id" in where(org.kua_bangil) and "kankemenag_id" not in where(org.kua_bangil)


def test_every_page_of_an_office_lists_its_subtree_newest_first(client, org, settings):
    settings.NEWS_PAGE_SIZE = 2
    mine = [
        NewsItemFactory(published=True, unit=unit)
        for unit in (org.pasuruan, org.kua_bangil, org.man_pasuruan, org.kua_bangil, org.pasuruan)
    ]
    NewsItemFactory(published=True, unit=org.kua_sidoarjo)
    NewsItemFactory(unit=org.kua_bangil)  # a draft
    expected = [item.pk for item in sorted(mine, key=lambda i: (i.published_at, i.pk), reverse=True)]

    pages = [_listed(client, org.pasuruan, page=n) for n in (1, 2, 3)]

    assert [pk for page in pages for pk in page] == expected
    assert (
        client.get(reverse("news:unit", kwargs={"slug": org.pasuruan.slug}), {"page": 4}).status_code == 404
    )


def test_an_offices_feed_lists_its_subtree(client, org):
    mine = NewsItemFactory(published=True, unit=org.kua_bangil, title="Bimbingan perkawinan di Bangil")
    NewsItemFactory(published=True, unit=org.kua_sidoarjo, title="Manasik haji di Sidoarjo")

    feed = client.get(reverse("news:unit_feed_rss", kwargs={"slug": org.pasuruan.slug})).content.decode()

    assert mine.title in feed
    assert "Manasik haji di Sidoarjo" not in feed


def test_items_loaded_in_bulk_carry_their_offices(org):
    """A bulk load never runs Python per item; the database fills them."""
    built = [NewsItemFactory.build(unit=unit, author=UserFactory()) for unit in (org.kua_bangil, org.kanwil)]
    at_kua, at_kanwil = NewsItem.objects.bulk_create(built)
    assert _offices(at_kua) == (org.kanwil.pk, org.pasuruan.pk)
    assert _offices(at_kanwil) == (org.kanwil.pk, None)
