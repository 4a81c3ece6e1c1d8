"""Reads of the public news site.

Every list is ordered by ``(-published_at, -id)`` and filtered on
``status = 'published'`` so that PostgreSQL walks one of the partial indexes
of ``NewsItem.Meta.indexes`` and stops after a page, however many items the
ministry has published. Every selector runs a fixed number of queries,
whatever the amount of data.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    CharField,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone
from django.utils.functional import cached_property

from humas_portal.core.models import UnitKind, WorkUnit

from . import rows
from .models import Category, NewsImage, NewsItem, NewsTag, PriorityProgram, Tag
from .rows import CARD_FIELDS, SUBTREE_FIELDS

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
    _local_pages.forget_generation()


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


# --- Pages held by the web process ------------------------------------------------
#
# A round trip to Redis costs about as much as serving a small page: 0.17 ms
# with a bare client and 0.27 ms through Django's cache on the benchmark
# machine, against 0.2 ms for the whole bare view. So a web process also
# holds the pages it served lately in its own memory, and trusts the
# generation it last read for LOCAL_GENERATION_SECONDS: within that time a
# page it holds for that generation is served without any round trip. A
# change committed by another process (a publication by the worker) reaches
# every web process within that second; one committed by this process, at
# once (``invalidate_public_cache``).

LOCAL_GENERATION_SECONDS = 1.0
LOCAL_PAGES_MAX_BYTES = 16 * 1024 * 1024
_clock = time.monotonic


class _LocalPages:
    """The pages of one generation held by this process, least recently
    served first, within ``LOCAL_PAGES_MAX_BYTES``. Threads of a gthread
    worker share it under the lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.namespace = ""  # the cache's key for the generation: one per key prefix
        self.generation: int | None = None
        self.read_at = float("-inf")
        self.pages: OrderedDict[str, tuple[Any, int, float]] = OrderedDict()
        self.size = 0

    def start(self, namespace: str, generation: int) -> None:
        self.namespace, self.generation = namespace, generation
        self.pages.clear()
        self.size = 0

    def forget_generation(self) -> None:
        with self.lock:
            self.read_at = float("-inf")

    def get(self, key: str, now: float) -> Any:
        held = self.pages.get(key)
        if held is None or held[2] <= now:
            return None
        self.pages.move_to_end(key)
        return held[0]

    def put(self, key: str, page: Any, size: int, expires_at: float) -> None:
        if size > LOCAL_PAGES_MAX_BYTES:
            return
        previous = self.pages.pop(key, None)
        if previous is not None:
            self.size -= previous[1]
        self.pages[key] = (page, size, expires_at)
        self.size += size
        while self.size > LOCAL_PAGES_MAX_BYTES:
            _key, (_page, dropped, _expires) = self.pages.popitem(last=False)
            self.size -= dropped


_local_pages = _LocalPages()


def kept_page(key: str) -> tuple[int, Any]:
    """Like ``cached_for_generation``, for whole pages: first from this
    process's memory (no round trip while its generation is recent), then
    from the cache, keeping what it finds in memory too."""
    namespace = cache.make_key(_GENERATION_KEY)
    started = _clock()
    local = _local_pages
    with local.lock:
        if local.namespace == namespace and started - local.read_at < LOCAL_GENERATION_SECONDS:
            page = local.get(key, started)
            if page is not None:
                return local.generation, page
    generation, page = cached_for_generation(key)
    with local.lock:
        if local.namespace != namespace or local.generation != generation:
            local.start(namespace, generation)
        local.read_at = started
        if page is not None:
            # Held no longer than the cache keeps it, bounding how old its
            # read count may be.
            local.put(key, page[0], page[1], started + settings.NEWS_PUBLIC_CACHE_SECONDS)
            page = page[0]
    return generation, page


def keep_page(key: str, generation: int, page: Any, *, size: int) -> None:
    """Keep a page rendered for ``generation`` in the cache and in this
    process's memory."""
    keep_for_generation(key, generation, (page, size), settings.NEWS_PUBLIC_CACHE_SECONDS)
    local = _local_pages
    with local.lock:
        if local.namespace == cache.make_key(_GENERATION_KEY) and local.generation == generation:
            local.put(key, page, size, _clock() + settings.NEWS_PUBLIC_CACHE_SECONDS)


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
    (an index-only scan) and only the page's rows are joined, by the card
    read of ``news.rows``: it pages lists of published news cards, newest
    first (``news_cards()`` filtered), and nothing else.
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
        # Wrapped by hand: QuerySet.count() of a slice builds the same SQL
        # with much more work.
        try:
            keys_sql, params = self.keys.order_by()[:cap].query.sql_with_params()
        except EmptyResultSet:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({keys_sql}) AS listed", params)  # noqa: S608 - ORM-built
            return cursor.fetchone()[0]

    @property
    def is_capped(self) -> bool:
        return self.count >= self.max_pages * self.per_page

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        try:
            ids_sql, params = self.keys[bottom:top].query.sql_with_params()
        except EmptyResultSet:  # a filter that cannot match (no units, say)
            return self._get_page([], number, self)
        return self._get_page(rows.newest_cards(ids_sql, params), number, self)


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
    """The latest items and the latest few of every priority program, in
    two queries: a ``UNION ALL`` of id-only index scans (the latest, then one
    per program, each stopping after a few rows of its partial index), then
    the cards of those ids. Unions of whole card queries take longer to plan
    than to run."""
    published = NewsItem.objects.published().order_by(*LATEST_ORDER)
    slices = [published.annotate(section=Value("", output_field=CharField()))[:latest]] + [
        published.filter(priority_program=program.value).annotate(
            section=Value(program.value, output_field=CharField())
        )[:per_program]
        for program in PriorityProgram
    ]
    union = union_of_slices([part.values_list("id", "section") for part in slices])
    cards = rows.cards(list(dict.fromkeys(pk for pk, _section in union)))
    by_section: dict[str, list[NewsItem]] = {}
    for pk, section in union:
        if pk in cards:
            by_section.setdefault(section, []).append(cards[pk])
    for items in by_section.values():
        items.sort(key=_newest_first)
    return HomeNews(
        latest=by_section.get("", []),
        sections=[
            ProgramSection(program=program, items=by_section[program.value])
            for program in PriorityProgram
            if program.value in by_section
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
    in one query (``news.rows``); ``(None, [])`` when there is no such
    active unit."""
    subtree = rows.active_unit_subtree(slug)
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
    category and photo, then its tags (``item.tag_list``), then its gallery
    (``item.gallery``) only if it has one, which the first query tells: two
    queries for most items, both written in SQL (``news.rows``)."""
    item = rows.published_item(slug)
    if item is None:
        return None
    item.tag_list = rows.item_tags(item.pk)
    item.gallery = (
        list(NewsImage.objects.filter(item_id=item.pk, in_gallery=True).order_by("position", "id"))
        if item.has_gallery
        else []
    )
    return item


def related_news(item: NewsItem, tags: Iterable[Tag], *, limit: int = 4) -> list[NewsItem]:
    """The "Baca juga" list: items sharing a tag with ``item`` first, then
    items of its category or priority program, newest first within each; two
    queries: the candidates' ids (``rows.related_candidates``, a short index
    walk per tag and one for the topic), then their cards. A union of whole
    card queries takes PostgreSQL longer to plan than to run.

    ``tags`` are the item's (``news_detail`` reads them).
    """
    chosen = list(dict.fromkeys(rows.related_candidates(item, [tag.pk for tag in tags], limit=limit)))
    return cards_in_order(chosen[:limit])


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

    On PostgreSQL the stored ``search_vector`` (GIN index) is matched with a
    web-style query (quotes, ``or``, ``-word``) in the ``indonesian``
    configuration. Only the most recent matches are ranked: a common word
    matches hundreds of thousands of items, and ranking them all would take
    seconds. Among those, the text rank is divided by the item's age so that
    a fresh, relevant item comes first and a month-old one of the same
    relevance ranks half as high.

    On SQLite (the embedded default) it is a case-insensitive substring match
    on title and lead, newest first.
    """
    key = "news:search:" + hashlib.sha256(query.lower().encode()).hexdigest()[:32]
    generation, ids = cached_for_generation(key)
    if ids is None:
        ids = _ranked_matches(query)
        keep_for_generation(key, generation, ids, SEARCH_CACHE_SECONDS)
    return ids


def _ranked_matches(query: str) -> list[int]:
    limit = settings.NEWS_SEARCH_MAX_RESULTS
    if not _uses_postgres():
        matches = NewsItem.objects.published().filter(Q(title__icontains=query) | Q(lead__icontains=query))
        return list(matches.order_by(*LATEST_ORDER).values_list("pk", flat=True)[:limit])
    # Finding the most recent matches means reading the publication time of
    # every match from the table: ten thousand rows for a word found in one
    # item in a hundred. The matches of the last month alone come from
    # combining the full-text index with the publication-time index, and are
    # enough for any word that is not rare; older matches are looked for
    # only when they are not (see rows.newest_matches). A rare word has few
    # matches to read anyway. Both queries are written in SQL
    # (``news.rows``): building them with the ORM took a fifth of a search.
    since = timezone.now() - SEARCH_RECENT_WINDOW
    newest = rows.newest_matches(query, SEARCH_CONFIG, since=since, limit=limit)
    newest.sort(key=lambda row: (row[1], row[0]), reverse=True)
    ids = [pk for pk, _published_at in newest[:limit]]
    if not ids:
        return []
    # Ranking reads the vectors of these few hundred rows only.
    return rows.ranked(ids, query, SEARCH_CONFIG, half_life_days=SEARCH_HALF_LIFE_DAYS)


def cards_in_order(ids: list[int]) -> list[NewsItem]:
    """The cards of these items, in the order of ``ids`` (one query)."""
    cards = rows.cards(ids)
    return [cards[pk] for pk in ids if pk in cards]


# --- Feeds and sitemaps ---------------------------------------------------------


def feed_items(queryset: QuerySet[NewsItem], *, limit: int) -> list[NewsItem]:
    """The latest items of a feed, with their tags (two queries)."""
    return list(
        queryset.only(*CARD_FIELDS, "reporter", "updated_at").prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug"))
        )[:limit]
    )
