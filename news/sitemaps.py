"""sitemap.xml: every published item (with its last change), every active
unit, category and priority program page; the index lists only pages that
hold an address."""

from __future__ import annotations

import math

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Max
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from humas_portal.core.models import WorkUnit
from humas_portal.core.workflow import ReviewStatus

from .models import Category, NewsItem, PriorityProgram


class _IdRangePage:
    def __init__(self, object_list):
        self.object_list = object_list


class IdRangePaginator:
    """Sitemap pages of published news cut by ranges of primary keys instead
    of OFFSET.

    Page ``n`` holds the published items with ids in
    ``((n-1)*per_page, n*per_page]``: a primary-key range scan whatever the
    page, and the number of pages is one ``MAX(id)``. With a million items
    the standard paginator would count them all for the index and read up to
    a million rows to skip to the last page. Pages may hold fewer than
    ``per_page`` items (drafts leave gaps), which sitemaps allow; a range
    with no published item at all (a run of drafts, a purge) is left out of
    the index (``non_empty_pages``) and its page is not found.
    """

    def __init__(self, queryset, per_page: int):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def num_pages(self) -> int:
        highest = self.queryset.aggregate(highest=Max("id"))["highest"] or 0
        return math.ceil(highest / self.per_page)

    def non_empty_pages(self) -> list[int]:
        """The numbers of the pages that hold a published item, in one
        query: from the first published id, each step probes the primary
        key for the first published id past the page it is on, so the
        query costs one index probe per page, not a read of every id."""
        table = connection.ops.quote_name(NewsItem._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE page (n) AS (
                    SELECT (MIN(id) - 1) / %(size)s FROM {table} WHERE status = %(published)s
                  UNION ALL
                    SELECT (
                        SELECT (MIN(id) - 1) / %(size)s FROM {table}
                        WHERE status = %(published)s AND id > (page.n + 1) * %(size)s
                    )
                    FROM page WHERE page.n IS NOT NULL
                )
                SELECT n + 1 FROM page WHERE n IS NOT NULL ORDER BY n
                """,  # noqa: S608 - our table name, values as parameters
                {"size": self.per_page, "published": ReviewStatus.PUBLISHED.value},
            )
            return [number for (number,) in cursor.fetchall()]

    def page(self, number) -> _IdRangePage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("Page is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        start = (number - 1) * self.per_page
        return _IdRangePage(self.queryset.filter(id__gt=start, id__lte=start + self.per_page).order_by("id"))


class _ListedPages:
    """A sitemap section whose pages are the standard paginator's, with no
    page at all for an empty section (Django's paginator has an empty first
    page, which the index would list)."""

    @cached_property
    def paginator(self):
        return Paginator(self._items(), self.limit, allow_empty_first_page=False)

    def non_empty_pages(self) -> list[int]:
        return list(self.paginator.page_range)


class NewsSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5_000

    def items(self):
        return NewsItem.objects.published().only("id", "slug", "updated_at")

    @cached_property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def non_empty_pages(self) -> list[int]:
        return self.paginator.non_empty_pages()

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


class UnitSitemap(_ListedPages, Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return WorkUnit.objects.active().only("id", "slug").order_by("path")


class CategorySitemap(_ListedPages, Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Category.objects.only("id", "slug").order_by("name")


class PageSitemap(_ListedPages, Sitemap):
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


# --- Views ----------------------------------------------------------------------
#
# Django's views list every section's first page in the index and answer an
# empty page with an empty <urlset>; search engines report both as errors.
# These list only the pages that hold an address, and a page without one is
# not found.


@x_robots_tag
def sitemap_index(request, *, sitemaps=SITEMAPS, sitemap_url_name="news:sitemap_section"):
    """The sitemap index: each page of each section that holds an address."""
    locations = []
    for section, site in sitemaps.items():
        base = request.build_absolute_uri(reverse(sitemap_url_name, kwargs={"section": section}))
        for number in site().non_empty_pages():
            locations.append(SitemapIndexItem(base if number == 1 else f"{base}?p={number}"))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": locations}, content_type="application/xml"
    )


def sitemap_section(request, *, section: str, sitemaps=SITEMAPS):
    """One page of one section; a page that holds no address is not found."""
    response = sitemap_views.sitemap(request, sitemaps=sitemaps, section=section)
    if not response.context_data["urlset"]:
        raise Http404(_("Halaman peta situs ini kosong."))
    return response
