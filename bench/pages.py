"""The pages the benchmark loads, as data.

Each page names the URL it is served at (candidate URL names and keyword
arguments, the first that reverses wins, so the list survives a renamed
route), the value of its canonical request, and a set of variants: distinct
requests of the same kind (other items, units, words) that a cold run
cycles through so that most of its requests miss every cache.

A page whose URL does not exist in the running portal is reported as not
available instead of failing the run; the test of the small mode requires
every ``required`` page to be measured.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, reverse

from . import words

Kwargs = Callable[[object], list[dict]]


@dataclass
class CorpusContext:
    meta: dict[str, str]
    detail_slugs: list[str]
    unit_slug: str
    unit_slugs: list[str]
    unit_pages: int
    deep_page: int
    programs: list[str]
    category_slugs: list[str]
    tag_slugs: list[str]
    common_term: str
    rare_term: str
    common_terms: list[str]
    rare_terms: list[str]


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    url_names: tuple[str, ...]
    canonical: Callable[[CorpusContext], object] = lambda ctx: None
    values: Callable[[CorpusContext], list] = lambda ctx: [None]
    kwargs: Callable[[CorpusContext, object], list[dict]] = lambda ctx, v: [{}]
    query: Callable[[CorpusContext, object], dict] = lambda ctx, v: {}
    required: bool = True
    notes: str = ""


@dataclass
class ResolvedPage:
    spec: PageSpec
    path: str | None
    variants: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.path is not None


def _page_query(ctx, value):
    return {"page": value} if value and value > 1 else {}


PAGES: list[PageSpec] = [
    PageSpec("bare", "Bare view (baseline)", ("bench_bare",)),
    PageSpec("home", "Home page", ("news:home",)),
    PageSpec(
        "detail",
        "News detail",
        ("news:detail",),
        canonical=lambda ctx: ctx.detail_slugs[0],
        values=lambda ctx: ctx.detail_slugs,
        kwargs=lambda ctx, v: [{"slug": v}],
    ),
    PageSpec(
        "unit",
        "Unit list, page 1",
        ("news:unit",),
        canonical=lambda ctx: ctx.unit_slug,
        values=lambda ctx: ctx.unit_slugs,
        kwargs=lambda ctx, v: [{"slug": v}],
    ),
    PageSpec(
        "unit_deep",
        "Unit list, deep page",
        ("news:unit",),
        canonical=lambda ctx: ctx.deep_page,
        values=lambda ctx: _deep_pages(ctx),
        kwargs=lambda ctx, v: [{"slug": ctx.unit_slug}],
        query=_page_query,
    ),
    PageSpec(
        "program",
        "Priority program",
        ("news:program",),
        canonical=lambda ctx: ctx.programs[0],
        values=lambda ctx: ctx.programs,
        kwargs=lambda ctx, v: [{"program": v}, {"value": v}, {"slug": v}],
    ),
    PageSpec(
        "category",
        "Category",
        ("news:category",),
        canonical=lambda ctx: ctx.category_slugs[0],
        values=lambda ctx: ctx.category_slugs,
        kwargs=lambda ctx, v: [{"slug": v}],
        required=False,
    ),
    PageSpec(
        "tag",
        "Tag",
        ("news:tag",),
        canonical=lambda ctx: ctx.tag_slugs[0],
        values=lambda ctx: ctx.tag_slugs,
        kwargs=lambda ctx, v: [{"slug": v}],
        required=False,
    ),
    PageSpec(
        "search_common",
        "Search, common word",
        ("news:search",),
        canonical=lambda ctx: ctx.common_term,
        values=lambda ctx: ctx.common_terms,
        query=lambda ctx, v: {"q": v},
    ),
    PageSpec(
        "search_rare",
        "Search, rare word",
        ("news:search",),
        canonical=lambda ctx: ctx.rare_term,
        values=lambda ctx: ctx.rare_terms,
        query=lambda ctx, v: {"q": v},
    ),
    PageSpec("feed", "RSS feed", ("news:feed_rss", "news:feed", "news:rss", "news:latest_feed")),
]

REQUIRED_KEYS = [spec.key for spec in PAGES if spec.required]


def _deep_pages(ctx: CorpusContext) -> list[int]:
    """Pages around the deep page, for the cold run."""
    low = max(2, ctx.deep_page - 100)
    high = min(ctx.unit_pages, ctx.deep_page + 100)
    return list(range(low, high + 1)) or [ctx.deep_page]


def _url(name: str, kwargs: dict, query: dict) -> str:
    path = reverse(name, kwargs=kwargs or None)
    return f"{path}?{urlencode(query)}" if query else path


def resolve(spec: PageSpec, ctx: CorpusContext, *, max_variants: int = 2000) -> ResolvedPage:
    """The canonical path and the variant paths, or an unavailable page."""
    canonical = spec.canonical(ctx)
    for name in spec.url_names:
        for index, kwargs in enumerate(spec.kwargs(ctx, canonical)):
            try:
                path = _url(name, kwargs, spec.query(ctx, canonical))
            except NoReverseMatch:
                continue
            variants = []
            for value in spec.values(ctx)[:max_variants]:
                try:
                    variants.append(_url(name, spec.kwargs(ctx, value)[index], spec.query(ctx, value)))
                except NoReverseMatch:
                    continue
            return ResolvedPage(spec, path, variants or [path])
    return ResolvedPage(spec, None)


def corpus_context(meta: dict[str, str], *, seed: int, deep_page: int) -> CorpusContext:
    """What the page list needs from the bench database, read in a few
    queries (run once, before the load)."""
    rng = random.Random(f"{seed}:pages")
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM news_newsitem WHERE status = 'published'")
        max_id = cur.fetchone()[0] or 0
        ids = sorted({rng.randint(1, max_id) for _ in range(2000)}) if max_id else []
        cur.execute(
            "SELECT slug FROM news_newsitem WHERE id = ANY(%s) AND status = 'published' ORDER BY id", [ids]
        )
        slugs = [row[0] for row in cur.fetchall()]
        rng.shuffle(slugs)
        # The unit whose list is longest: the worst case for its deep pages.
        cur.execute(
            """
            SELECT u.slug, u.path FROM news_newsitem n JOIN core_workunit u ON u.id = n.unit_id
            WHERE n.status = 'published' GROUP BY u.slug, u.path ORDER BY count(*) DESC, u.slug LIMIT 1
            """
        )
        unit_slug, unit_path = cur.fetchone()
        # The unit page lists the unit and every unit under it.
        cur.execute(
            """
            SELECT count(*) FROM news_newsitem
            WHERE status = 'published'
              AND unit_id IN (SELECT id FROM core_workunit WHERE path LIKE %s AND is_active)
            """,
            [unit_path + "%"],
        )
        listed = cur.fetchone()[0]
        cur.execute("SELECT slug FROM core_workunit WHERE is_active ORDER BY id")
        unit_slugs = [row[0] for row in cur.fetchall()]
        cur.execute(
            """
            SELECT priority_program FROM news_newsitem WHERE status = 'published' AND priority_program <> ''
            GROUP BY 1 ORDER BY count(*) DESC, 1
            """
        )
        programs = [row[0] for row in cur.fetchall()]
        cur.execute("SELECT slug FROM news_category ORDER BY id")
        categories = [row[0] for row in cur.fetchall()]
        cur.execute("SELECT slug FROM news_tag ORDER BY id")
        tags = [row[0] for row in cur.fetchall()]
    page_size = getattr(settings, "NEWS_PAGE_SIZE", 12)
    max_pages = getattr(settings, "NEWS_MAX_PAGES", 10**9)
    unit_pages = max(1, min(max_pages, math.ceil(listed / page_size)))
    content = list(dict.fromkeys(words.CONTENT_WORDS))
    return CorpusContext(
        meta=meta,
        detail_slugs=slugs,
        unit_slug=unit_slug,
        unit_slugs=unit_slugs,
        unit_pages=unit_pages,
        deep_page=min(deep_page, unit_pages),
        programs=programs,
        category_slugs=categories,
        tag_slugs=tags,
        common_term=meta["common_term"],
        rare_term=meta["rare_term"],
        common_terms=[meta["common_term"], *[w for w in content[:60] if w != meta["common_term"]]],
        rare_terms=[
            meta["rare_term"],
            *[w for w in dict.fromkeys(words.RARE_WORDS) if w != meta["rare_term"]],
        ],
    )
