"""Reads of the public news site.

Every list is ordered by ``(-published_at, -id)`` and filtered on
``status = 'published'`` so that PostgreSQL walks one of the partial indexes
of ``NewsItem.Meta.indexes`` and stops after a page, however many items the
ministry has published. Every selector runs a fixed number of queries,
whatever the amount of data.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Extract, Now
from django.utils import timezone
from django.utils.functional import cached_property

from humas_portal.core.models import UnitKind, WorkUnit

from .models import SEARCH_CONFIG, Category, NewsImage, NewsItem, NewsTag, PriorityProgram, Tag

LATEST_ORDER = ("-published_at", "-id")

# What a news card shows (see news.templatetags.news_cards). Width and height
# of the photo are loaded too: the ImageField fills them in on load and would
# otherwise fetch them one query per card (and the card uses them to reserve
# the photo's space).
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

# What the unit pages need of a unit and the units below it.
SUBTREE_FIELDS = ("id", "name", "short_name", "slug", "kind", "parent_id", "path", "is_active")


def news_cards() -> QuerySet[NewsItem]:
    """Published items with what a card needs, newest first."""
    return (
        NewsItem.objects.published()
        .select_related("unit", "category", "featured_image")
        .only(*CARD_FIELDS)
        .order_by(*LATEST_ORDER)
    )


def _union_all(querysets: list[QuerySet]) -> list:
    """The rows of several LIMITed querysets in one ``UNION ALL`` query. The
    order of the rows is not defined: sort them in Python."""
    if not querysets:
        return []
    first, *rest = querysets
    return list(first.union(*rest, all=True)) if rest else list(first)


# --- What the public site keeps in the cache --------------------------------------
#
# Rendered pages, the home page's sections and the list counts are kept under
# a *generation*: one number in the cache that every kept value carries. A
# change of anything the public pages show moves to a new generation, which
# discards everything kept at once, without finding and deleting keys.

_GENERATION_KEY = "news:public:generation"


def invalidate_public_cache() -> None:
    """Discard everything the public site kept (pages, sections, counts).

    Call it on commit of any change that shows on public pages: the
    publishing services do for a publication or an unpublication, receivers
    in ``news.models`` for the admin's and the units' changes.
    """
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:  # never set, or evicted
        _start_generation()


def _start_generation() -> int:
    # Not 1: after an eviction a restarted counter would make values kept
    # under its old numbers current again. The clock in microseconds is ahead
    # of any number an earlier counter reached by one step per publication.
    cache.add(_GENERATION_KEY, time.time_ns() // 1000, timeout=None)
    return cache.get(_GENERATION_KEY)


def cached_for_generation(key: str) -> tuple[int, Any]:
    """The current generation and the value kept under ``key`` for it (or
    ``None``), in one round trip to the cache. Keep a value computed now with
    ``keep_for_generation`` and the generation returned here, read before the
    database: a change committed meanwhile then discards it."""
    generation, found, value = _kept(key)
    return generation, value if found else None


def _kept(key: str, *, lasting: Callable[[Any], bool] = lambda value: False) -> tuple[int, bool, Any]:
    """The current generation, whether a value usable now is kept under
    ``key``, and that value: one kept for the current generation, or one
    for which ``lasting`` says a change cannot make it wrong (a count at the
    cap). One round trip to the cache."""
    found = cache.get_many([_GENERATION_KEY, key])
    generation = found.get(_GENERATION_KEY) or _start_generation()
    kept = found.get(key)
    if kept is not None and (kept[0] == generation or lasting(kept[1])):
        return generation, True, kept[1]
    return generation, False, None


def keep_for_generation(key: str, generation: int, value: Any, timeout: int) -> None:
    cache.set(key, (generation, value), timeout)


# --- Pagination -----------------------------------------------------------------


# Counts of public lists are kept this long, or until the next change of the
# public site, whichever comes first.
COUNT_CACHE_SECONDS = 300
# A count that reached the cap stays at the cap for a long time whatever is
# published, so it is kept across generations: a publication does not make
# the next reader of a Kanwil or a popular tag count it again.
CAPPED_COUNT_CACHE_SECONDS = 3600


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``max_pages`` pages and is cached,
    and whose pages skip through primary keys only.

    ``COUNT(*)`` of a whole list would read every matching row on every
    request; counting at most ``max_pages * per_page`` rows costs the same for
    a small satker and for a whole Kanwil, and the count is then kept for a
    few minutes under ``count_key``. Pages beyond the cap are not offered:
    older news is found through search and the sitemap.

    A deep page (``OFFSET 6000``) would otherwise join unit, category and
    photo for every skipped row; the offset runs over primary keys alone
    (an index-only scan, in a subquery) and only the page's rows are
    joined. It pages lists of published news cards, newest first
    (``news_cards()`` filtered), and nothing else.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        max_pages: int,
        count_key: str = "",
        keys: QuerySet | None = None,
    ):
        self.max_pages = max_pages
        self.count_key = count_key
        # The ids of the list's items in the list's order (one-column
        # queryset), when another table lists them faster (a tag's rows).
        self.keys = keys if keys is not None else object_list.values_list("pk", flat=True)
        super().__init__(object_list, per_page)

    @cached_property
    def count(self) -> int:
        cap = self.max_pages * self.per_page
        if not self.count_key:
            return self._count(cap)
        key = f"news:public:count:{cap}:{self.count_key}"
        generation, found, count = _kept(key, lasting=lambda count: count >= cap)
        if found:
            return count
        count = self._count(cap)
        cache.set(
            key, (generation, count), CAPPED_COUNT_CACHE_SECONDS if count >= cap else COUNT_CACHE_SECONDS
        )
        return count

    def _count(self, cap: int) -> int:
        # COUNT over a LIMITed subquery of primary keys, unordered: the order
        # does not change the count and sorting would read every match.
        return self.keys.order_by()[:cap].count()

    @property
    def is_capped(self) -> bool:
        return self.count >= self.max_pages * self.per_page

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        items = self.object_list.filter(pk__in=self.keys[bottom:top]) if top > bottom else []
        return self._get_page(list(items), number, self)


def news_page(
    queryset: QuerySet[NewsItem],
    number,
    *,
    count_key: str,
    keys: QuerySet | None = None,
) -> Page:
    """One page of a public list: the capped count (cached under
    ``count_key``, which must name the list exactly) and the page's rows;
    ``keys`` as for ``CappedPaginator``.

    Raises ``InvalidPage`` for a page that does not exist, which the views
    turn into a 404 so that crawlers do not index empty pages.
    """
    paginator = CappedPaginator(
        queryset,
        settings.NEWS_PAGE_SIZE,
        max_pages=settings.NEWS_MAX_PAGES,
        count_key=count_key,
        keys=keys,
    )
    return paginator.page(number or 1)


# --- Home page ------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramSection:
    program: PriorityProgram
    items: list[NewsItem]


@dataclass(frozen=True)
class HomeNews:
    latest: list[NewsItem]
    sections: list[ProgramSection]


def home_news(*, latest: int, per_program: int) -> HomeNews:
    """The latest items and the latest few of every priority program, each
    item shown once: a program's section skips the items already among the
    latest (and a program whose every recent item is among them has no
    section).

    Two queries: a ``UNION ALL`` of id-only index scans (the latest, then
    one per program, each stopping after a few rows of its partial index:
    ``latest + per_program`` of them, enough whichever of them the latest
    hold), then the cards of the ids shown. Unions of whole card queries
    take longer to plan than to run."""
    published = NewsItem.objects.published().order_by(*LATEST_ORDER)
    slices = [published.annotate(section=Value("", output_field=CharField()))[:latest]] + [
        published.filter(priority_program=program.value).annotate(
            section=Value(program.value, output_field=CharField())
        )[: latest + per_program]
        for program in PriorityProgram
    ]
    union = _union_all([part.values_list("id", "section", "published_at") for part in slices])
    # Newest first within each section, as the index walks gave them.
    union.sort(key=lambda row: (row[2], row[0]), reverse=True)
    latest_ids = [pk for pk, section, _published_at in union if section == ""]
    shown = set(latest_ids)
    by_section: dict[str, list[int]] = {}
    for pk, section, _published_at in union:
        if section and pk not in shown and len(by_section.setdefault(section, [])) < per_program:
            by_section[section].append(pk)
    cards = _cards(latest_ids + [pk for ids in by_section.values() for pk in ids])
    return HomeNews(
        latest=[cards[pk] for pk in latest_ids if pk in cards],
        sections=[
            ProgramSection(program=program, items=items)
            for program in PriorityProgram
            if (items := [cards[pk] for pk in by_section.get(program.value, []) if pk in cards])
        ],
    )


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
    return list(WorkUnit.objects.under(unit).only(*SUBTREE_FIELDS))


def active_unit_with_subtree(slug: str) -> tuple[WorkUnit | None, list[WorkUnit]]:
    """The active unit with this slug and its subtree (as ``unit_subtree``)
    in one query; ``(None, [])`` when there is no such active unit."""
    path = WorkUnit.objects.active().filter(slug=slug).values("path")[:1]
    subtree = list(WorkUnit.objects.filter(path__startswith=Subquery(path)).only(*SUBTREE_FIELDS))
    unit = next((u for u in subtree if u.slug == slug), None)
    return unit, subtree if unit is not None else []


# The office kinds whose news items carry them (NewsItem.kanwil, .kankemenag).
OFFICE_COLUMNS = {UnitKind.KANWIL: "kanwil_id", UnitKind.KANKEMENAG: "kankemenag_id"}


def unit_news(unit: WorkUnit, subtree: Iterable[WorkUnit]) -> QuerySet[NewsItem]:
    """News of a unit and, for an office, of the units under it
    (``subtree``, as ``unit_subtree`` gives it).

    A Kanwil's or a Kankemenag's news is the news that carries it as its
    office: one index of the office's own items, whose deep pages cost what
    page 1 does. That is the subtree's news exactly unless another unit of
    the same kind sits under it (an item carries the nearest one), which
    the hierarchy never has but the data could: then, as for every other
    unit, the news is filtered on the subtree's ids (not a join on
    ``path``), which lets PostgreSQL use ``news_unit_published_idx`` for a
    satker.
    """
    subtree = list(subtree)
    column = OFFICE_COLUMNS.get(unit.kind)
    if column and not any(other.kind == unit.kind and other.pk != unit.pk for other in subtree):
        return news_cards().filter(**{column: unit.pk})
    return news_cards().filter(unit_id__in=[other.pk for other in subtree])


def category_news(category: Category) -> QuerySet[NewsItem]:
    return news_cards().filter(category=category)


def tag_item_keys(tag: Tag) -> QuerySet:
    """The ids of a tag's published items, newest first, from the tag's own
    rows: ``news_tag_published_idx`` gives a page, and the list's count,
    without reading the news table (see ``NewsTag``). Pass it as the
    ``keys`` of ``news_page`` with ``news_cards()``."""
    return (
        NewsTag.objects.filter(tag_id=tag.pk, published_at__isnull=False)
        .order_by("-published_at", "-newsitem_id")
        .values_list("newsitem_id", flat=True)
    )


def program_news(program: str) -> QuerySet[NewsItem]:
    return news_cards().filter(priority_program=program)


def active_units() -> QuerySet[WorkUnit]:
    return WorkUnit.objects.active().only("id", "name", "short_name", "slug", "kind", "path", "parent_id")


# --- Detail ---------------------------------------------------------------------


def news_detail(*, slug: str) -> NewsItem | None:
    """A published item with everything its page shows: the item with unit,
    category and photo and whether it has gallery photos, then its tags
    (``item.tag_list``), then its gallery (``item.gallery``) only if it has
    one: two queries for most items."""
    item = (
        NewsItem.objects.published()
        .select_related("unit", "category", "featured_image")
        .defer("search_vector")
        .annotate(has_gallery=Exists(NewsImage.objects.filter(item=OuterRef("pk"), in_gallery=True)))
        .filter(slug=slug)
        .first()
    )
    if item is None:
        return None
    item.tag_list = list(item.tags.only("id", "name", "slug").order_by("name", "id"))
    item.gallery = (
        list(NewsImage.objects.filter(item_id=item.pk, in_gallery=True).order_by("position", "id"))
        if item.has_gallery
        else []
    )
    return item


def related_news(item: NewsItem, tags: Iterable[Tag], *, limit: int = 4) -> list[NewsItem]:
    """The "Baca juga" list: items sharing a tag with ``item`` first, then
    items of its category or priority program, newest first within each; two
    queries: the candidates' ids (``_related_candidates``, a short index
    walk per tag and one for the topic), then their cards. A union of whole
    card queries takes PostgreSQL longer to plan than to run.

    ``tags`` are the item's (``news_detail`` reads them).
    """
    chosen = list(dict.fromkeys(_related_candidates(item, [tag.pk for tag in tags], limit=limit)))
    return cards_in_order(chosen[:limit])


def _related_candidates(item: NewsItem, tag_ids: list[int], *, limit: int) -> list[int]:
    """Ids of the "Baca juga" candidates of ``item``, best first: the newest
    ``limit`` published items of each of its tags, then the newest
    ``2 × limit`` of its category or priority program (they may hold the
    tagged ones), newest first within each part; one ``UNION ALL`` query of
    short index walks (``news_tag_published_idx`` for a tag). May repeat an
    id."""

    def candidates(queryset: QuerySet, relation: int, item_field: str) -> QuerySet:
        return queryset.annotate(
            relation=Value(relation, output_field=IntegerField()),
            shown_at=F("published_at"),
            candidate=F(item_field),
        ).values_list("relation", "shown_at", "candidate")

    parts = [
        candidates(
            NewsTag.objects.filter(tag_id=tag_id, published_at__isnull=False)
            .exclude(newsitem_id=item.pk)
            .order_by("-published_at", "-newsitem_id"),
            0,
            "newsitem_id",
        )[:limit]
        for tag_id in tag_ids
    ]
    topic = Q()
    if item.category_id:
        topic |= Q(category_id=item.category_id)
    if item.priority_program:
        topic |= Q(priority_program=item.priority_program)
    if topic:
        parts.append(
            candidates(
                NewsItem.objects.published().exclude(pk=item.pk).filter(topic).order_by(*LATEST_ORDER),
                1,
                "pk",
            )[: limit * 2]
        )
    found = _union_all(parts)
    found.sort(key=lambda row: (row[0], -row[1].timestamp(), -row[2]))
    return [candidate for _relation, _shown_at, candidate in found]


# --- Search ---------------------------------------------------------------------


def normalise_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:200]


# The first, cheap look for a query's most recent matches is within this
# window; see ``search_results``.
SEARCH_RECENT_WINDOW = timedelta(days=31)
# Ranked results of a query are kept this long, or until the next change of
# the public site: every page of the results reads the same list.
SEARCH_CACHE_SECONDS = COUNT_CACHE_SECONDS
# A match this many days old ranks half as high as a fresh one of the same
# relevance.
SEARCH_HALF_LIFE_DAYS = 30.0


def search_results(query: str) -> list[int]:
    """Ids of the published items matching ``query``, best first: the most
    recent ``NEWS_SEARCH_MAX_RESULTS`` matches, ranked. Kept in the cache for
    the current generation, so that the count and every page of the results
    come from one search.

    The stored ``search_vector`` (GIN index) is matched with a web-style
    query in the ``indonesian`` configuration: every word must match (in any
    form its stem takes), ``"two words"`` must match as a phrase, ``or``
    between words accepts either, and ``-word`` excludes. Only the most
    recent matches are ranked: a common word matches hundreds of thousands
    of items, and ranking them all would take seconds. Among those, the text
    rank is divided by the item's age so that a fresh, relevant item comes
    first and a month-old one of the same relevance ranks half as high.
    """
    key = "news:search:" + hashlib.sha256(query.lower().encode()).hexdigest()[:32]
    generation, ids = cached_for_generation(key)
    if ids is None:
        ids = _ranked_matches(query)
        keep_for_generation(key, generation, ids, SEARCH_CACHE_SECONDS)
    return ids


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


def _ranked_matches(query: str) -> list[int]:
    limit = settings.NEWS_SEARCH_MAX_RESULTS
    matching = NewsItem.objects.published().filter(search_vector=_search_query(query))
    # Finding the most recent matches means reading the publication time of
    # every match from the table: ten thousand rows for a word found in one
    # item in a hundred. The matches of the last month alone come from
    # combining the full-text index with the publication-time index
    # (news_published_at_brin), and are enough for any word that is not
    # rare; PostgreSQL stops the UNION ALL at its LIMIT, so older matches are
    # read only when the last month has fewer than ``limit``. A rare word has
    # few matches to read anyway.
    since = timezone.now() - SEARCH_RECENT_WINDOW

    def newest(part: QuerySet) -> QuerySet:
        return part.order_by(*LATEST_ORDER).values_list("pk", "published_at")[:limit]

    recent = newest(matching.filter(published_at__gte=since))
    older = newest(matching.filter(published_at__lt=since))
    found = list(recent.union(older, all=True)[:limit])
    found.sort(key=lambda row: (row[1], row[0]), reverse=True)
    ids = [pk for pk, _published_at in found[:limit]]
    if not ids:
        return []
    # Ranking reads the vectors of these few hundred rows only.
    age_in_days = ExpressionWrapper(
        Extract(Now() - F("published_at"), "epoch") / 86400.0, output_field=FloatField()
    )
    score = ExpressionWrapper(
        SearchRank(F("search_vector"), _search_query(query)) / (1.0 + age_in_days / SEARCH_HALF_LIFE_DAYS),
        output_field=FloatField(),
    )
    ranked = (
        NewsItem.objects.filter(pk__in=ids)
        .annotate(score=score)
        .order_by("-score", "-published_at", "-id")
        .values_list("pk", flat=True)
    )
    return list(ranked)


def _cards(ids: list[int]) -> dict[int, NewsItem]:
    """The cards of those of these items that are published, by id (one
    query, none for no ids)."""
    return {item.pk: item for item in news_cards().filter(pk__in=ids)} if ids else {}


def cards_in_order(ids: list[int]) -> list[NewsItem]:
    """The cards of these items, in the order of ``ids`` (one query)."""
    cards = _cards(ids)
    return [cards[pk] for pk in ids if pk in cards]


# --- Feeds and sitemaps ---------------------------------------------------------


def feed_items(queryset: QuerySet[NewsItem], *, limit: int) -> list[NewsItem]:
    """The latest items of a feed, with their tags (two queries)."""
    return list(
        queryset.only(*CARD_FIELDS, "reporter", "updated_at").prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug"))
        )[:limit]
    )
