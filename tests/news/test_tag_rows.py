"""A tag's rows carry the publication time of their item (``NewsTag``), kept
by the database whichever way an item is published, taken down or re-dated;
tag pages are read from them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from humas_portal.core.workflow import ReviewStatus
from news import services
from news.models import NewsItem, NewsTag
from news.selectors import invalidate_public_cache

from .factories import NewsItemFactory, TagFactory

pytestmark = pytest.mark.django_db


def _row_time(item, tag):
    return NewsTag.objects.get(newsitem=item, tag=tag).published_at


def _listed(client, tag, **params):
    response = client.get(reverse("news:tag", kwargs={"slug": tag.slug}), params)
    return [item.pk for item in response.context["items"]]


@pytest.fixture
def tag():
    return TagFactory(name="manasik")


def test_a_tag_row_takes_the_time_of_a_published_item_and_none_of_a_draft(org, tag):
    published = NewsItemFactory(published=True, unit=org.kua_bangil)
    draft = NewsItemFactory(unit=org.kua_bangil)
    published.tags.add(tag)
    draft.tags.add(tag)

    assert _row_time(published, tag) == published.published_at
    assert _row_time(draft, tag) is None


def test_the_scheduled_sweep_puts_an_item_on_its_tag_page(client, org, people, tag):
    """The sweep publishes with one UPDATE of many rows, never saving an
    item: the rows follow all the same."""
    approved = [
        NewsItemFactory(
            unit=org.kua_bangil,
            author=people.kontributor,
            status=ReviewStatus.APPROVED,
            decided_at=timezone.now(),
            publish_at=timezone.now() - timedelta(minutes=1),
        )
        for _ in range(2)
    ]
    for item in approved:
        item.tags.add(tag)
    assert _listed(client, tag) == []

    published = services.news_publish_due()
    invalidate_public_cache()  # on commit, in a real transaction

    assert sorted(published) == sorted(item.pk for item in approved)
    for item in approved:
        item.refresh_from_db()
        assert _row_time(item, tag) == item.published_at
    assert sorted(_listed(client, tag)) == sorted(item.pk for item in approved)


def test_an_unpublished_item_leaves_its_tag_page(
    client, org, people, tag, django_capture_on_commit_callbacks
):
    kept, taken_down = (NewsItemFactory(published=True, unit=org.kua_bangil) for _ in range(2))
    kept.tags.add(tag)
    taken_down.tags.add(tag)
    assert sorted(_listed(client, tag)) == sorted([kept.pk, taken_down.pk])

    with django_capture_on_commit_callbacks(execute=True):
        services.news_unpublish(item=taken_down, actor=people.admin_humas, reason="Foto peserta keliru.")

    assert _row_time(taken_down, tag) is None
    assert _listed(client, tag) == [kept.pk]


def test_a_corrected_publication_time_moves_the_item_in_the_tag_list(client, org, tag):
    now = timezone.now()
    older = NewsItemFactory(published=True, unit=org.kua_bangil, published_at=now - timedelta(days=2))
    newer = NewsItemFactory(published=True, unit=org.kua_bangil, published_at=now - timedelta(days=1))
    for item in (older, newer):
        item.tags.add(tag)
    assert _listed(client, tag) == [newer.pk, older.pk]

    NewsItem.objects.filter(pk=older.pk).update(published_at=now)
    invalidate_public_cache()

    assert _row_time(older, tag) == now
    assert _listed(client, tag) == [older.pk, newer.pk]


def test_a_tag_page_takes_three_queries_and_two_once_counted(
    client, org, tag, settings, django_assert_num_queries
):
    """However many items a tag has: the tag, the count of its rows (kept
    until the next change), the page's cards."""
    settings.NEWS_PAGE_SIZE = 2
    for _ in range(5):
        NewsItemFactory(published=True, unit=org.kua_bangil).tags.add(tag)
    url = reverse("news:tag", kwargs={"slug": tag.slug})
    with django_assert_num_queries(3):
        assert "Halaman 1 dari 3" in client.get(url).content.decode()
    with django_assert_num_queries(2):
        assert "Halaman 3 dari 3" in client.get(url, {"page": 3}).content.decode()


def test_tag_rows_loaded_in_bulk_take_their_items_time(org, tag):
    published = NewsItemFactory(published=True, unit=org.kua_bangil)
    draft = NewsItemFactory(unit=org.kua_bangil)
    NewsTag.objects.bulk_create([NewsTag(newsitem=published, tag=tag), NewsTag(newsitem=draft, tag=tag)])
    assert _row_time(published, tag) == published.published_at
    assert _row_time(draft, tag) is None
