"""sitemap.xml: every published item (with its last change), every active
unit, category and priority program page."""

from __future__ import annotations

import math

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from humas_portal.core.models import WorkUnit

from .models import Category, NewsItem, PriorityProgram


class _IdRangePage:
    def __init__(self, object_list):
        self.object_list = object_list


class IdRangePaginator:
    """Sitemap pages cut by ranges of primary keys instead of OFFSET.

    Page ``n`` holds the published items with ids in
    ``((n-1)*per_page, n*per_page]``: a primary-key range scan whatever the
    page, and the number of pages is one ``MAX(id)``. With a million items
    the standard paginator would count them all for the index and read up to
    a million rows to skip to the last page. Pages may hold fewer than
    ``per_page`` items (drafts leave gaps), which sitemaps allow.
    """

    def __init__(self, queryset, per_page: int):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def num_pages(self) -> int:
        highest = self.queryset.aggregate(highest=Max("id"))["highest"] or 0
        return max(1, math.ceil(highest / self.per_page))

    def page(self, number) -> _IdRangePage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("Page is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        start = (number - 1) * self.per_page
        return _IdRangePage(self.queryset.filter(id__gt=start, id__lte=start + self.per_page).order_by("id"))


class NewsSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5_000

    def items(self):
        return NewsItem.objects.published().only("id", "slug", "updated_at")

    @cached_property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    @cached_property
    def _detail_prefix(self) -> str:
        # One reverse() per page rather than per item: thousands of items a
        # page made resolving the URL the slowest part of the sitemap.
        sample = reverse("news:detail", kwargs={"slug": "x"})
        return sample[: -len("x/")]

    def location(self, item: NewsItem) -> str:
        return f"{self._detail_prefix}{item.slug}/"

    def lastmod(self, item: NewsItem):
        return item.updated_at

    def get_latest_lastmod(self):
        # The default reads every item to find the newest change; the index
        # goes without a date for this section rather than scan the table.
        return None


class UnitSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return WorkUnit.objects.active().only("id", "slug").order_by("path")


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.only("id", "slug").order_by("name")


class PageSitemap(Sitemap):
    """The home page, the unit list and the priority program pages."""

    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return [
            reverse("news:home"),
            reverse("news:latest"),
            reverse("news:units"),
            *(reverse("news:program", kwargs={"program": p.value}) for p in PriorityProgram),
        ]

    def location(self, item):
        return item


SITEMAPS = {
    "halaman": PageSitemap,
    "berita": NewsSitemap,
    "unit": UnitSitemap,
    "kategori": CategorySitemap,
}
