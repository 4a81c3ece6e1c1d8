"""RSS 2.0 and Atom feeds: the whole site, one unit (an office's feed also
carries its satker) and one category. Each is a fixed handful of queries."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from humas_portal.core.models import WorkUnit

from . import selectors
from .models import Category, NewsItem
from .views_public import absolute_url


class LatestNewsFeed(Feed):
    """Latest published news of the whole portal."""

    feed_type = Rss201rev2Feed
    language = "id"

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return reverse("news:latest")

    def description(self, obj=None):
        return _("Berita terbaru dari satuan kerja Kementerian Agama.")

    def subtitle(self, obj=None):
        return self.description(obj)

    def items(self, obj=None):
        return selectors.feed_items(selectors.news_cards(), limit=settings.NEWS_FEED_SIZE)

    def item_title(self, item: NewsItem):
        return item.title

    def item_description(self, item: NewsItem):
        # RSS <description> and Atom <summary type="html"> carry HTML: the
        # lead is plain text, so it goes in escaped, and a "<" in it reaches
        # the reader as a "<", not as the start of a tag.
        return escape(item.lead)

    def item_pubdate(self, item: NewsItem):
        return item.published_at

    def item_updateddate(self, item: NewsItem):
        return max(item.updated_at, item.published_at) if item.published_at else item.updated_at

    def item_author_name(self, item: NewsItem):
        return item.reporter or item.unit.name

    def item_categories(self, item: NewsItem):
        names = [item.category.name] if item.category_id else []
        return names + [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item: NewsItem):
        """The photo of the item, so feed readers can show it."""
        image = item.featured_image
        if image is None:
            return []
        field = image.card or image.original
        try:
            length = field.size
        except OSError:  # the file is missing from storage; still point at it
            length = 0
        mime_type = mimetypes.guess_type(field.name)[0] or "image/jpeg"
        return [Enclosure(absolute_url(field.url), str(length), mime_type)]


class LatestNewsAtomFeed(LatestNewsFeed):
    feed_type = Atom1Feed


class UnitNewsFeed(LatestNewsFeed):
    """News of one unit; an office's feed includes the units under it."""

    def get_object(self, request, slug):
        unit = get_object_or_404(WorkUnit.objects.active(), slug=slug)
        unit.subtree = selectors.unit_subtree(unit)
        return unit

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _("Berita terbaru dari %(unit)s.") % {"unit": obj.name}

    def items(self, obj):
        return selectors.feed_items(selectors.unit_news(obj, obj.subtree), limit=settings.NEWS_FEED_SIZE)


class UnitNewsAtomFeed(UnitNewsFeed):
    feed_type = Atom1Feed


class CategoryNewsFeed(LatestNewsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _("Berita terbaru kategori %(category)s.") % {"category": obj.name}

    def items(self, obj):
        return selectors.feed_items(selectors.category_news(obj), limit=settings.NEWS_FEED_SIZE)


class CategoryNewsAtomFeed(CategoryNewsFeed):
    feed_type = Atom1Feed
