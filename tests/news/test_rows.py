"""The public pages' reads written in SQL (``news.rows``) give what the ORM
gives for the same question."""

from datetime import timedelta

import pytest
from django.db.models import Model
from django.utils import timezone

from humas_portal.core.models import WorkUnit
from news import rows
from news.models import NewsItem, PriorityProgram
from news.selectors import CARD_FIELDS, news_cards
from news.templatetags.news_cards import news_card

from .factories import CategoryFactory, NewsImageFactory, NewsItemFactory, TagFactory

pytestmark = pytest.mark.django_db


def field_values(instance: Model, names=None) -> dict:
    fields = instance._meta.concrete_fields
    return {f.attname: getattr(instance, f.attname) for f in fields if names is None or f.attname in names}


@pytest.fixture
def items(org):
    now = timezone.now()
    photo = NewsImageFactory(alt_text="")
    return {
        "full": NewsItemFactory(
            published=True,
            published_at=now - timedelta(hours=1),
            unit=org.kua_sidoarjo,
            category=CategoryFactory(name="Bimas Islam"),
            featured_image=photo,
            reporter="Siti",
            editor_credit="Ahmad",
        ),
        "bare": NewsItemFactory(
            published=True,
            published_at=now - timedelta(hours=2),
            unit=org.kanwil,
            category=None,
            priority_program="",
            featured_image=None,
        ),
        "draft": NewsItemFactory(unit=org.kua_sidoarjo),
    }


def card_names() -> set[str]:
    return {name for name in CARD_FIELDS if "__" not in name} | {
        "unit_id",
        "category_id",
        "featured_image_id",
    }


def test_cards_hold_what_the_orm_cards_hold_and_skip_unpublished_items(items, django_assert_num_queries):
    ids = [items["full"].pk, items["bare"].pk, items["draft"].pk, 999_999]
    with django_assert_num_queries(1):
        cards = rows.cards(ids)
    assert set(cards) == {items["full"].pk, items["bare"].pk}
    for pk, card in cards.items():
        expected = news_cards().get(pk=pk)
        names = card_names()
        assert field_values(card, names) == field_values(expected, names)
        for relation in ("unit", "category", "featured_image"):
            related, orm_related = getattr(card, relation), getattr(expected, relation)
            if orm_related is None:
                assert related is None
                continue
            loaded = {name.split("__")[1] for name in CARD_FIELDS if name.startswith(f"{relation}__")}
            assert field_values(related, loaded) == field_values(orm_related, loaded)
            assert related._state.adding is False
        # The card is drawn from what was read: no query.
        with django_assert_num_queries(0):
            assert news_card(card, show_lead=True) == news_card(expected, show_lead=True)
    assert rows.cards([]) == {}


def test_the_published_item_has_every_field_and_its_relations_loaded(items, django_assert_num_queries):
    item = items["full"]
    NewsImageFactory(item=item, in_gallery=True)
    with django_assert_num_queries(1):
        found = rows.published_item(item.slug)
    expected = NewsItem.objects.select_related("unit", "category", "featured_image").get(pk=item.pk)
    with django_assert_num_queries(0):
        everything_but_vector = [
            f.attname for f in NewsItem._meta.concrete_fields if f.name != "search_vector"
        ]
        assert field_values(found, everything_but_vector) == field_values(expected, everything_but_vector)
        assert field_values(found.unit) == field_values(expected.unit)
        assert field_values(found.category) == field_values(expected.category)
        assert field_values(found.featured_image) == field_values(expected.featured_image)
        assert found.featured_image.url_for("full") == expected.featured_image.url_for("full")
    assert found.has_gallery is True
    assert found._state.adding is False


def test_the_published_item_without_category_photo_or_gallery(items):
    found = rows.published_item(items["bare"].slug)
    assert found.category is None
    assert found.featured_image is None
    assert found.has_gallery is False
    # A photo of the item that is not in the gallery does not count.
    NewsImageFactory(item=items["bare"], in_gallery=False)
    assert rows.published_item(items["bare"].slug).has_gallery is False


def test_no_item_for_a_draft_or_an_unknown_slug(items):
    assert rows.published_item(items["draft"].slug) is None
    assert rows.published_item("tidak-ada") is None


def test_an_items_tags_by_name(items):
    item = items["full"]
    item.tags.add(TagFactory(name="zakat"), TagFactory(name="haji"), TagFactory(name="madrasah"))
    assert [tag.name for tag in rows.item_tags(item.pk)] == ["haji", "madrasah", "zakat"]
    assert rows.item_tags(items["bare"].pk) == []


def test_related_candidates_tagged_first_then_the_topic_newest_first(org):
    now = timezone.now()
    category = CategoryFactory(name="Pendidikan")
    haji, zakat = TagFactory(name="haji"), TagFactory(name="zakat")

    def published(minutes, **kwargs):
        kwargs.setdefault("priority_program", PriorityProgram.KERUKUNAN)
        return NewsItemFactory(
            published=True, published_at=now - timedelta(minutes=minutes), unit=org.kua_sidoarjo, **kwargs
        )

    item = published(0, category=category)
    item.tags.add(haji, zakat)
    tagged_old, tagged_new = published(50), published(10)
    tagged_old.tags.add(haji)
    tagged_new.tags.add(zakat, haji)
    same_category = published(5, category=category, priority_program="")
    same_program = published(20)
    unrelated = published(1, priority_program="")
    draft = NewsItemFactory(unit=org.kua_sidoarjo, category=category)
    draft.tags.add(haji)

    found = rows.related_candidates(item, [haji.pk, zakat.pk], limit=4)
    # Both tags' rows, newest first (an item of both tags comes twice), then
    # the category's or the program's.
    assert found[:3] == [tagged_new.pk, tagged_new.pk, tagged_old.pk]
    assert found[3:] == [same_category.pk, tagged_new.pk, same_program.pk, tagged_old.pk]
    assert item.pk not in found and unrelated.pk not in found and draft.pk not in found
    # Limits: one per tag, twice that for the topic.
    assert rows.related_candidates(item, [haji.pk], limit=1) == [
        tagged_new.pk,
        same_category.pk,
        tagged_new.pk,
    ]


def test_related_candidates_of_an_item_without_tags_or_topic(org):
    item = NewsItemFactory(published=True, unit=org.kua_sidoarjo, category=None, priority_program="")
    assert rows.related_candidates(item, [], limit=4) == []


def test_an_active_units_subtree_by_path_with_closed_units_below_it(org, django_assert_num_queries):
    org.man_pasuruan.is_active = False
    org.man_pasuruan.save()
    # Rewritten rows move to the end of the table: read unordered, the
    # office would come after its units.
    org.pasuruan.save()
    with django_assert_num_queries(1):
        subtree = rows.active_unit_subtree("kemenag-pasuruan")
    assert sorted(u.slug for u in subtree) == ["kemenag-pasuruan", "kua-bangil", "man-1-pasuruan"]
    # In the units' own order, as the ORM reads them.
    assert [u.pk for u in subtree] == [u.pk for u in WorkUnit.objects.under(org.pasuruan)]
    assert [u.pk for u in rows.active_unit_subtree("kanwil-jatim")] == [
        u.pk for u in WorkUnit.objects.under(org.kanwil)
    ]
    pasuruan = next(u for u in subtree if u.slug == "kemenag-pasuruan")
    with django_assert_num_queries(0):
        assert (pasuruan.name, pasuruan.parent_id, pasuruan.path) == (
            org.pasuruan.name,
            org.kanwil.pk,
            org.pasuruan.path,
        )
        assert pasuruan.is_active is True
    # A closed unit has no page, and a slug's prefix is not a unit.
    assert rows.active_unit_subtree("man-1-pasuruan") == []
    assert rows.active_unit_subtree("kemenag") == []
    assert len(rows.active_unit_subtree("kanwil-jatim")) == 6
