"""Reads of the public news site.

Every list is ordered by ``(-published_at, -id)`` and filtered on
``status = 'published'`` so that PostgreSQL walks one of the partial indexes
of ``NewsItem.Meta.indexes`` and stops after a page, however many items the
ministry has published. Every selector runs a fixed number of queries,
whatever the amount of data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, FloatField, Func, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils.functional import cached_property

from humas_portal.core.models import WorkUnit

from .models import Category, NewsImage, NewsItem, PriorityProgram, Tag

# What a news card shows. Width and height of the photo are loaded too: the
# ImageField fills them in on load and would otherwise fetch them one query
# per card (and the template uses them to reserve the photo's space).
CARD_FIELDS = (
    "id",
    "title",
    "slug",
    "lead",
    "published_at",
    "priority_program",
    "status",
    "unit__id",
    "unit__name",
    "unit__short_name",
    "unit__slug",
    "unit__timezone",
    "category__id",
    "category__name",
    "category__slug",
    "featured_image__id",
    "featured_image__original",
    "featured_image__width",
    "featured_image__height",
    "featured_image__card",
    "featured_image__thumbnail",
    "featured_image__full",
    "featured_image__alt_text",
)

LATEST_ORDER = ("-published_at", "-id")


def _newest_first(item: NewsItem) -> tuple:
    """Sort key matching LATEST_ORDER, for lists merged in Python."""
    return (-item.published_at.timestamp() if item.published_at else 0.0, -item.pk)


SEARCH_CONFIG = "indonesian"


def news_cards() -> QuerySet[NewsItem]:
    """Published items with what a card needs, newest first."""
    return (
        NewsItem.objects.published()
        .select_related("unit", "category", "featured_image")
        .only(*CARD_FIELDS)
        .order_by(*LATEST_ORDER)
    )


def union_of_slices(querysets: list[QuerySet]) -> list:
    """The rows of several LIMITed querysets in one ``UNION ALL`` query. The
    order of the rows is not defined: sort them in Python. SQLite cannot put
    LIMIT inside a compound query; there it is one query per queryset."""
    if not querysets:
        return []
    if connection.features.supports_slicing_ordering_in_compound:
        first, *rest = querysets
        return list(first.union(*rest, all=True)) if rest else list(first)
    return [row for queryset in querysets for row in queryset]


# --- Pagination -----------------------------------------------------------------


# Counts of public lists are kept this long, or until the next publish or
# unpublish (``invalidate_public_cache``), whichever comes first.
COUNT_CACHE_SECONDS = 300
_GENERATION_KEY = "news:public:generation"


def invalidate_public_cache() -> None:
    """Forget what the public site cached (the list counts); call it after
    an item is published or unpublished."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:  # never set, or evicted
        cache.add(_GENERATION_KEY, 1, timeout=None)


def _cache_generation() -> int:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, 1, timeout=None)
        generation = cache.get(_GENERATION_KEY, 1)
    return generation


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``max_pages`` pages and is cached,
    and whose pages skip through primary keys only.

    ``COUNT(*)`` of a whole list would read every matching row on every
    request; counting at most ``max_pages * per_page`` rows costs the same for
    a small satker and for a whole Kanwil, and the count is then kept for a
    few minutes under ``count_key``. Pages beyond the cap are not offered:
    older news is found through search and the sitemap.

    A deep page (``OFFSET 6000``) would otherwise join unit, category and
    photo for every skipped row; with ``late_lookup`` the offset runs over
    the index alone and only the page's rows are joined.
    """

    def __init__(self, object_list, per_page, *, max_pages: int, count_key: str = "", late_lookup=True):
        self.max_pages = max_pages
        self.count_key = count_key
        self.late_lookup = late_lookup
        super().__init__(object_list, per_page)

    @cached_property
    def count(self) -> int:
        key = ""
        if self.count_key:
            key = f"news:public:{_cache_generation()}:count:{self.max_pages * self.per_page}:{self.count_key}"
            cached = cache.get(key)
            if cached is not None:
                return cached
        cap = self.max_pages * self.per_page
        # COUNT over a LIMITed subquery of primary keys, unordered: the order
        # does not change the count and sorting would read every match.
        count = self.object_list.order_by().values("pk")[:cap].count()
        if key:
            cache.set(key, count, COUNT_CACHE_SECONDS)
        return count

    @property
    def is_capped(self) -> bool:
        return self.count >= self.max_pages * self.per_page

    def page(self, number) -> Page:
        if not self.late_lookup:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        window = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=window), number, self)


def news_page(queryset: QuerySet[NewsItem], number, *, count_key: str, late_lookup: bool = True) -> Page:
    """One page of a public list: the capped count (cached under
    ``count_key``, which must name the list exactly) and the page's rows.

    Raises ``InvalidPage`` for a page that does not exist, which the views
    turn into a 404 so that crawlers do not index empty pages.
    """
    paginator = CappedPaginator(
        queryset,
        settings.NEWS_PAGE_SIZE,
        max_pages=settings.NEWS_MAX_PAGES,
        count_key=count_key,
        late_lookup=late_lookup,
    )
    return paginator.page(number or 1)


# --- Home page ------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramSection:
    program: PriorityProgram
    items: list[NewsItem]


def home_latest(*, limit: int) -> list[NewsItem]:
    return list(news_cards()[:limit])


def home_program_sections(*, per_program: int) -> list[ProgramSection]:
    """The latest few items of every priority program, in one query: a
    ``UNION ALL`` of small index scans, one per program, each stopping after
    ``per_program`` rows of ``news_prog_published_idx``."""
    items = union_of_slices(
        [news_cards().filter(priority_program=program.value)[:per_program] for program in PriorityProgram]
    )
    by_program: dict[str, list[NewsItem]] = {}
    for item in sorted(items, key=_newest_first):
        by_program.setdefault(item.priority_program, []).append(item)
    return [
        ProgramSection(program=program, items=by_program[program.value])
        for program in PriorityProgram
        if program.value in by_program
    ]


def units_with_recent_news(*, limit: int, window: int = 300) -> list[WorkUnit]:
    """Units that published lately, the most recent first, in two queries.

    Looks at the latest ``window`` items only, so the cost does not depend on
    how many items or units there are.
    """
    recent_unit_ids = (
        NewsItem.objects.published().order_by(*LATEST_ORDER).values_list("unit_id", flat=True)[:window]
    )
    ordered: list[int] = []
    for unit_id in recent_unit_ids:
        if unit_id not in ordered:
            ordered.append(unit_id)
            if len(ordered) == limit:
                break
    units = WorkUnit.objects.filter(id__in=ordered).only("id", "name", "short_name", "slug", "kind")
    by_id = {unit.id: unit for unit in units} if ordered else {}
    return [by_id[pk] for pk in ordered if pk in by_id]


# --- Lists ----------------------------------------------------------------------


def unit_subtree(unit: WorkUnit) -> list[WorkUnit]:
    """The unit and every unit below it (one prefix query on ``path``).

    Units that were closed stay in: what they published is still the
    office's news.
    """
    return list(
        WorkUnit.objects.under(unit).only(
            "id", "name", "short_name", "slug", "kind", "parent_id", "path", "is_active"
        )
    )


def unit_news(unit_ids: Iterable[int]) -> QuerySet[NewsItem]:
    """News of a unit and, for an office, of the units under it.

    Filtering on the ids (not a join on ``path``) lets PostgreSQL use
    ``news_unit_published_idx`` for a satker.
    """
    return news_cards().filter(unit_id__in=list(unit_ids))


def category_news(category: Category) -> QuerySet[NewsItem]:
    return news_cards().filter(category=category)


def tag_news(tag: Tag) -> QuerySet[NewsItem]:
    # EXISTS rather than a join: no duplicates to remove, and PostgreSQL can
    # walk the published index newest first and probe the tag table.
    tagged = NewsItem.tags.through.objects.filter(newsitem_id=OuterRef("pk"), tag_id=tag.pk)
    return news_cards().filter(Exists(tagged))


def program_news(program: str) -> QuerySet[NewsItem]:
    return news_cards().filter(priority_program=program)


def active_units() -> QuerySet[WorkUnit]:
    return WorkUnit.objects.active().only("id", "name", "short_name", "slug", "kind", "path", "parent_id")


# --- Detail ---------------------------------------------------------------------


def news_detail(*, slug: str) -> NewsItem | None:
    """A published item with everything its page shows, in three queries:
    the item with unit, category and photo; its tags; its gallery."""
    gallery = NewsImage.objects.filter(in_gallery=True).order_by("position", "id")
    return (
        NewsItem.objects.published()
        .select_related("unit", "category", "featured_image")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug")),
            Prefetch("images", queryset=gallery, to_attr="gallery"),
        )
        .defer("search_vector")
        .filter(slug=slug)
        .first()
    )


def related_news(item: NewsItem, *, limit: int = 4) -> list[NewsItem]:
    """The "Baca juga" list: items sharing a tag with ``item`` first, then
    items of its category or priority program, newest first within each; one
    query (a ``UNION ALL`` of the two, each stopping after a few rows).

    ``item.tags`` must be prefetched (``news_detail`` does it).
    """
    parts = []
    tag_ids = [tag.pk for tag in item.tags.all()]
    if tag_ids:
        # EXISTS, not a join: PostgreSQL walks the published index newest
        # first and probes the tag table, with no duplicates to remove.
        shares_tag = NewsItem.tags.through.objects.filter(newsitem_id=OuterRef("pk"), tag_id__in=tag_ids)
        parts.append(news_cards().filter(Exists(shares_tag)).annotate(relation=Value(0)))
    same_topic = Q()
    if item.category_id:
        same_topic |= Q(category_id=item.category_id)
    if item.priority_program:
        same_topic |= Q(priority_program=item.priority_program)
    if same_topic:
        parts.append(news_cards().filter(same_topic).annotate(relation=Value(1)))
    if not parts:
        return []
    # Each part may hold the other's items, hence twice the rows from the
    # second.
    found = union_of_slices([part.exclude(pk=item.pk)[: limit * (1 + n)] for n, part in enumerate(parts)])
    related: list[NewsItem] = []
    seen: set[int] = set()
    for candidate in sorted(found, key=lambda r: (r.relation, *_newest_first(r))):
        if candidate.pk not in seen:
            seen.add(candidate.pk)
            related.append(candidate)
    return related[:limit]


# --- Search ---------------------------------------------------------------------


def _uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def update_search_vector(item_ids: Iterable[int]) -> int:
    """Fill the full-text index of these items in one UPDATE (title weighs
    most, then the lead, then dateline and body); call it whenever an item is
    published or its text changes. Returns how many rows were updated; does nothing on SQLite,
    where search falls back to a substring match.

    PostgreSQL's ``indonesian`` stemmer reduces affixed words to their root,
    so "kehumasan" is indexed as "humas".
    """
    ids = list(item_ids)
    if not ids or not _uses_postgres():
        return 0
    vector = (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("lead", weight="B", config=SEARCH_CONFIG)
        + SearchVector("dateline", weight="C", config=SEARCH_CONFIG)
        # HTML tags are tokens the parser knows and the configuration drops,
        # so the stored (sanitised) body can be indexed as it is.
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )
    return NewsItem.objects.filter(pk__in=ids).update(search_vector=vector)


class _AgeInDays(Func):
    """Days since publication, for the recency part of the search order."""

    template = "(EXTRACT(EPOCH FROM (NOW() - %(expressions)s)) / 86400.0)"
    output_field = FloatField()


def normalise_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:200]


def search_news(query: str) -> QuerySet[NewsItem]:
    """Published items matching ``query``, best first.

    On PostgreSQL the stored ``search_vector`` (GIN index) is matched with a
    web-style query (quotes, ``or``, ``-word``) in the ``indonesian``
    configuration. Only the most recent ``NEWS_SEARCH_MAX_RESULTS`` matches
    are ranked: a common word matches hundreds of thousands of items, and
    ranking them all would take seconds. Among those, the text rank is
    divided by the item's age so that a fresh, relevant item comes first and
    a month-old one of the same relevance ranks half as high.

    On SQLite (the embedded default) it is a case-insensitive substring match
    on title and lead, newest first.
    """
    if not _uses_postgres():
        return news_cards().filter(Q(title__icontains=query) | Q(lead__icontains=query))
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    recent_matches = (
        NewsItem.objects.published()
        .filter(search_vector=search_query)
        .order_by(*LATEST_ORDER)
        .values("pk")[: settings.NEWS_SEARCH_MAX_RESULTS]
    )
    rank = SearchRank(F("search_vector"), search_query)
    return (
        news_cards()
        .filter(pk__in=recent_matches)
        .annotate(
            rank=rank,
            score=rank / (1.0 + _AgeInDays(F("published_at")) / 30.0),
        )
        .order_by("-score", *LATEST_ORDER)
    )


# --- Feeds and sitemaps ---------------------------------------------------------


def feed_items(queryset: QuerySet[NewsItem], *, limit: int) -> list[NewsItem]:
    """The latest items of a feed, with their tags (two queries)."""
    return list(
        queryset.only(*CARD_FIELDS, "reporter", "updated_at").prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug"))
        )[:limit]
    )
