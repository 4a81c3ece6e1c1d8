"""Reads behind the public pages (``news.selectors``) that a page only shows
in part: the order of the "Baca juga" candidates, a unit with its subtree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from humas_portal.core.models import WorkUnit
from news import selectors
from news.models import PriorityProgram

from .factories import CategoryFactory, NewsItemFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_related_news_tagged_first_then_the_topic_newest_first(org, django_assert_num_queries):
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

    # 1 the candidates (a UNION ALL of one short walk per tag and one for
    # the topic); 1 their cards.
    with django_assert_num_queries(2):
        related = selectors.related_news(item, [haji, zakat], limit=4)

    # Items of a shared tag, newest first (once each), then the category's
    # or the program's.
    assert [i.pk for i in related] == [tagged_new.pk, tagged_old.pk, same_category.pk, same_program.pk]
    assert not {item.pk, unrelated.pk, draft.pk} & {i.pk for i in related}
    assert [i.pk for i in selectors.related_news(item, [haji], limit=2)] == [tagged_new.pk, tagged_old.pk]


def test_related_news_of_an_item_without_tags_or_topic_is_empty(org, django_assert_num_queries):
    item = NewsItemFactory(published=True, unit=org.kua_bangil, category=None, priority_program="")
    NewsItemFactory(published=True, unit=org.kua_bangil)
    with django_assert_num_queries(0):
        assert selectors.related_news(item, []) == []


def test_an_active_units_subtree_by_path_with_closed_units_below_it(org, django_assert_num_queries):
    org.man_pasuruan.is_active = False
    org.man_pasuruan.save()
    # Rewritten rows move to the end of the table: read unordered, the
    # office would come after its units.
    org.pasuruan.save()

    with django_assert_num_queries(1):
        unit, subtree = selectors.active_unit_with_subtree("kemenag-pasuruan")

    assert unit.pk == org.pasuruan.pk
    assert [u.slug for u in subtree] == ["kemenag-pasuruan", "kua-bangil", "man-1-pasuruan"]
    assert [u.pk for u in subtree] == [u.pk for u in WorkUnit.objects.under(org.pasuruan)]
    with django_assert_num_queries(0):
        assert (unit.name, unit.parent_id, unit.path, unit.is_active) == (
            org.pasuruan.name,
            org.kanwil.pk,
            org.pasuruan.path,
            True,
        )
    assert len(selectors.active_unit_with_subtree("kanwil-jatim")[1]) == 6
    # A closed unit has no page, and a slug's prefix is not a unit.
    assert selectors.active_unit_with_subtree("man-1-pasuruan") == (None, [])
    assert selectors.active_unit_with_subtree("kemenag") == (None, [])
