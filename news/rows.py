"""The public site's most frequent reads, in SQL written once.

An uncached news page runs four queries and each took Django about as long
to build and compile as PostgreSQL took to plan and run it: the ORM turns a
queryset with three joined tables into SQL anew on every request
(docs/benchmarks.md, finding 8). The queries here are the same ones, put
together from the models' metadata (no table or column name is typed here;
the joined SELECT once per process, the small ones in a few string
operations), run with a cursor and turned into model instances the way the
ORM does it: ``Model.from_db`` with the backend's and the
fields' converters, the joined rows set as the related objects. They run on
PostgreSQL and on SQLite alike. On PostgreSQL the lookups by slug or by
ids run as prepared statements, planned once per connection
(``humas_portal.core.prepared``).

Only reads whose shape never changes belong here: a published item by its
slug, the cards of some items, an item's tags, the "Baca juga" candidates.
Everything else stays with the ORM.
"""

# ruff: noqa: S608 - the SQL here is built from the models' table and column
# names, quoted; every value goes in as a parameter.

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Model

from humas_portal.core import prepared
from humas_portal.core.models import WorkUnit

from .models import Category, NewsImage, NewsItem, NewsTag, ReviewStatus, Tag


class _Columns:
    """Some concrete fields of a model under a table alias: the SQL that
    selects them and the instance built from their values."""

    def __init__(self, model: type[Model], alias: str, names: Iterable[str] | None = None):
        wanted = set(names) if names is not None else None
        # from_db() takes the values in the order of the model's fields.
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if wanted is None or field.name in wanted or field.attname in wanted
        ]
        if wanted is not None and len(self.fields) != len(wanted):
            unknown = wanted - {f.name for f in self.fields} - {f.attname for f in self.fields}
            raise ValueError(f"{model.__name__} has no concrete fields {sorted(unknown)}")
        self.model = model
        self.alias = alias
        self.attnames = [field.attname for field in self.fields]
        self.width = len(self.fields)
        self._converters: dict[str, list] = {}

    def sql(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)

    def converters(self) -> list[tuple[int, list]]:
        """The converters the ORM would apply to each column on the current
        backend (none for most columns on PostgreSQL; datetimes and booleans
        on SQLite), by position; worked out once per backend."""
        known = self._converters.get(connection.vendor)
        if known is None:
            known = []
            for position, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if functions:
                    known.append((position, [(function, column) for function in functions]))
            self._converters[connection.vendor] = known
        return known

    def build(self, values: Sequence[Any]) -> Model | None:
        if values[0] is None:  # the primary key: an outer join that found nothing
            return None
        converters = self.converters()
        if converters:
            values = list(values)
            for position, functions in converters:
                for function, column in functions:
                    values[position] = function(values[position], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


class _Query:
    """A SELECT of items with their unit, category and featured photo
    joined (aliases ``i``, ``u``, ``c``, ``f``), and optionally more columns
    computed from the item (``extras``: a function giving their SQL); the
    WHERE clause is given per call."""

    def __init__(
        self,
        item: _Columns,
        unit: _Columns,
        category: _Columns,
        image: _Columns,
        extras: Callable[[], list[str]] | None = None,
    ):
        self.parts = (item, unit, category, image)
        self.extras = extras
        self._select: dict[str, tuple[str, int]] = {}

    def _compiled(self) -> tuple[str, int]:
        """The SELECT and the number of extra columns for the current
        connection's backend, worked out once per backend."""
        vendor = connection.vendor
        if vendor not in self._select:
            item, unit, category, image = self.parts
            extras = self.extras() if self.extras else []

            def join(kind: str, part: _Columns, model: type[Model], field: str) -> str:
                return (
                    f" {kind} JOIN {_table(model)} {part.alias}"
                    f" ON {part.alias}.{_column(model)} = {item.alias}.{_column(NewsItem, field)}"
                )

            sql = (
                f"SELECT {', '.join([item.sql(), *extras, unit.sql(), category.sql(), image.sql()])}"
                f" FROM {_table(NewsItem)} {item.alias}"
                + join("INNER", unit, WorkUnit, "unit")
                + join("LEFT OUTER", category, Category, "category")
                + join("LEFT OUTER", image, NewsImage, "featured_image")
            )
            self._select[vendor] = (sql, len(extras))
        return self._select[vendor]

    def run(self, where: str, params: Sequence[Any], *, prepare: bool = False) -> list[tuple[NewsItem, tuple]]:
        """The items matching ``where`` (on the aliases above), each with its
        related objects set and the values of the extra columns; run as a
        prepared statement when ``prepare`` (see ``humas_portal.core.prepared``:
        only for a ``where`` whose best plan is the same for every value)."""
        select, extra_width = self._compiled()
        with connection.cursor() as cursor:
            if prepare:
                prepared.execute(cursor, f"{select} WHERE {where}", params)
            else:
                cursor.execute(f"{select} WHERE {where}", params)
            rows = cursor.fetchall()
        item, unit, category, image = self.parts
        found = []
        for row in rows:
            news = item.build(row[: item.width])
            start = item.width + extra_width
            extras = tuple(row[item.width : start])
            related = []
            for part in (unit, category, image):
                related.append(part.build(row[start : start + part.width]))
                start += part.width
            news.unit, news.category, news.featured_image = related
            found.append((news, extras))
        return found


def _column(model: type[Model], name: str = "pk") -> str:
    """The quoted column of a model's field (its primary key by default)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return connection.ops.quote_name(field.column)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# What a news card shows (see news.templatetags.news_cards), named as the
# ORM names them; news.selectors.news_cards reads the same fields. Width and
# height of the photo are loaded too: the ImageField fills them in on load
# and would otherwise fetch them one query per card (and the card uses them
# to reserve the photo's space).
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


def _card_fields(relation: str = "") -> list[str]:
    """CARD_FIELDS of the item itself, or of one of its relations."""
    if not relation:
        return [name for name in CARD_FIELDS if "__" not in name] + ["unit", "category", "featured_image"]
    return [name.split("__", 1)[1] for name in CARD_FIELDS if name.startswith(f"{relation}__")]


_CARDS = _Query(
    _Columns(NewsItem, "i", _card_fields()),
    _Columns(WorkUnit, "u", _card_fields("unit")),
    _Columns(Category, "c", _card_fields("category")),
    _Columns(NewsImage, "f", _card_fields("featured_image")),
)


def _has_gallery() -> list[str]:
    return [
        f"EXISTS (SELECT 1 FROM {_table(NewsImage)} g WHERE g.{_column(NewsImage, 'item')} = i.{_column(NewsItem)}"
        f" AND g.{_column(NewsImage, 'in_gallery')} = %s)"
    ]


# A news page: every field of the item but its search vector, whether it has
# gallery photos, and every field of its unit, category and photo.
_DETAIL = _Query(
    _Columns(NewsItem, "i", [f.name for f in NewsItem._meta.concrete_fields if f.name != "search_vector"]),
    _Columns(WorkUnit, "u"),
    _Columns(Category, "c"),
    _Columns(NewsImage, "f"),
    extras=_has_gallery,
)


def _in(ids: Sequence[int]) -> str:
    return f"IN ({', '.join(['%s'] * len(ids))})"


def _among(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """``column`` is one of ``ids``: on PostgreSQL ``= ANY`` of one array
    parameter, the same statement whatever their number (so it can be
    prepared once); elsewhere an ``IN`` list."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} {_in(ids)}", list(ids)


def published_item(slug: str) -> NewsItem | None:
    """The published item with this slug, its unit, category and photo
    set, and ``has_gallery`` telling whether it has gallery photos."""
    found = _DETAIL.run(
        f"i.{_column(NewsItem, 'status')} = %s AND i.{_column(NewsItem, 'slug')} = %s LIMIT 1",
        [True, ReviewStatus.PUBLISHED.value, slug],
        prepare=True,
    )
    if not found:
        return None
    item, (has_gallery,) = found[0]
    item.has_gallery = bool(has_gallery)
    return item


def cards(ids: Sequence[int]) -> dict[int, NewsItem]:
    """The cards of those of these items that are published, by id."""
    if not ids:
        return {}
    among, id_params = _among(f"i.{_column(NewsItem)}", ids)
    found = _CARDS.run(
        f"i.{_column(NewsItem, 'status')} = %s AND {among}",
        [ReviewStatus.PUBLISHED.value, *id_params],
        prepare=True,
    )
    return {item.pk: item for item, _extras in found}


def newest_cards(ids_sql: str, params: Sequence[Any]) -> list[NewsItem]:
    """The cards of the published items among the ids that ``ids_sql``
    selects (with ``params``), newest first: a page of a list, whose ids
    come from the list's own (small, ORM-built) query."""
    found = _CARDS.run(
        f"i.{_column(NewsItem, 'status')} = %s AND i.{_column(NewsItem)} IN ({ids_sql})"
        f" ORDER BY i.{_column(NewsItem, 'published_at')} DESC, i.{_column(NewsItem)} DESC",
        [ReviewStatus.PUBLISHED.value, *params],
    )
    return [item for item, _extras in found]


# What the unit pages need of a unit and the units below it.
SUBTREE_FIELDS = ("id", "name", "short_name", "slug", "kind", "parent_id", "path", "is_active")
_SUBTREE = _Columns(WorkUnit, "u", SUBTREE_FIELDS)


def active_unit_subtree(slug: str) -> list[WorkUnit]:
    """The active unit with this slug and every unit below it, closed ones
    too, in the order of their materialised paths (``WorkUnit``'s own
    order); empty when there is no such active unit. A
    path holds only digits and slashes, so it needs no escaping in LIKE."""
    table, path = _table(WorkUnit), _column(WorkUnit, "path")
    found = (
        f"SELECT a.{path} FROM {table} a"
        f" WHERE a.{_column(WorkUnit, 'is_active')} = %s AND a.{_column(WorkUnit, 'slug')} = %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        prepared.execute(
            cursor,
            f"SELECT {_SUBTREE.sql()} FROM {table} u WHERE u.{path} LIKE ({found}) || '%%' ORDER BY u.{path}",
            [True, slug],
        )
        return [_SUBTREE.build(row) for row in cursor.fetchall()]


_TAGS = _Columns(Tag, "t", ("id", "name", "slug"))


def item_tags(item_id: int) -> list[Tag]:
    """The tags of an item, by name, as ``id``, ``name`` and ``slug``."""
    sql = (
        f"SELECT {_TAGS.sql()} FROM {_table(Tag)} t"
        f" INNER JOIN {_table(NewsTag)} nt ON nt.{_column(NewsTag, 'tag')} = t.{_column(Tag)}"
        f" WHERE nt.{_column(NewsTag, 'newsitem')} = %s"
        f" ORDER BY t.{_column(Tag, 'name')}, t.{_column(Tag)}"
    )
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, [item_id])
        return [_TAGS.build(row) for row in cursor.fetchall()]


def related_candidates(item: NewsItem, tag_ids: Sequence[int], *, limit: int) -> list[int]:
    """Ids of the "Baca juga" candidates of ``item``, best first: the newest
    ``limit`` published items of each of its tags, then the newest
    ``2 × limit`` of its category or priority program (they may hold the
    tagged ones), newest first within each part; one query, a ``UNION ALL``
    of short index walks (``news_tag_published_idx`` for a tag). May repeat
    an id."""
    tag_col, tag_item, tag_time = (_column(NewsTag, name) for name in ("tag", "newsitem", "published_at"))
    pk, status, published_at = (_column(NewsItem, name) for name in ("pk", "status", "published_at"))
    parts, params = [], []
    for number, tag_id in enumerate(tag_ids):
        parts.append(
            f"SELECT * FROM (SELECT 0 AS relation, {tag_time} AS published_at, {tag_item} AS item_id"
            f" FROM {_table(NewsTag)} WHERE {tag_col} = %s AND {tag_time} IS NOT NULL AND {tag_item} <> %s"
            f" ORDER BY {tag_time} DESC, {tag_item} DESC LIMIT {int(limit)}) AS t{number}"
        )
        params += [tag_id, item.pk]
    topic, topic_params = [], []
    if item.category_id:
        topic.append(f"{_column(NewsItem, 'category')} = %s")
        topic_params.append(item.category_id)
    if item.priority_program:
        topic.append(f"{_column(NewsItem, 'priority_program')} = %s")
        topic_params.append(item.priority_program)
    if topic:
        parts.append(
            f"SELECT * FROM (SELECT 1 AS relation, {published_at} AS published_at, {pk} AS item_id"
            f" FROM {_table(NewsItem)} WHERE {status} = %s AND {pk} <> %s AND ({' OR '.join(topic)})"
            f" ORDER BY {published_at} DESC, {pk} DESC LIMIT {int(limit) * 2}) AS topic"
        )
        params += [ReviewStatus.PUBLISHED.value, item.pk, *topic_params]
    if not parts:
        return []
    sql = (
        f"SELECT item_id FROM ({' UNION ALL '.join(parts)}) AS candidates"
        " ORDER BY relation, published_at DESC, item_id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# --- Search (PostgreSQL only; see news.selectors.search_results) ----------------


def newest_matches(query: str, config: str, *, since: datetime, limit: int) -> list[tuple[int, datetime]]:
    """``(id, published_at)`` of the newest ``limit`` published items
    matching the web-style ``query``: those published since ``since``, and
    older ones only if these are fewer than ``limit`` (PostgreSQL stops the
    ``UNION ALL`` at its ``LIMIT``, so the second part runs only then). Not
    in order."""
    pk, published_at = _column(NewsItem), _column(NewsItem, "published_at")
    matching = f"i.{_column(NewsItem, 'search_vector')} @@ websearch_to_tsquery(%s::regconfig, %s)"

    def part(name: str, operator: str) -> str:
        return (
            f"SELECT * FROM (SELECT i.{pk}, i.{published_at} FROM {_table(NewsItem)} i"
            f" WHERE i.{_column(NewsItem, 'status')} = %s AND {matching}"
            f" AND i.{published_at} {operator} %s"
            f" ORDER BY i.{published_at} DESC, i.{pk} DESC LIMIT {int(limit)}) AS {name}"
        )

    params = [ReviewStatus.PUBLISHED.value, config, query, since]
    with connection.cursor() as cursor:
        cursor.execute(
            f"{part('recent', '>=')} UNION ALL {part('older', '<')} LIMIT {int(limit)}", params * 2
        )
        return cursor.fetchall()


def ranked(ids: Sequence[int], query: str, config: str, *, half_life_days: float) -> list[int]:
    """These items best first for ``query``: the text rank divided by
    ``1 + age / half_life_days`` (an item that old ranks half as high),
    then newest first."""
    pk, published_at, vector = (_column(NewsItem, name) for name in ("pk", "published_at", "search_vector"))
    score = (
        f"ts_rank(i.{vector}, websearch_to_tsquery(%s::regconfig, %s))"
        f" / (1.0 + ((EXTRACT(EPOCH FROM (NOW() - i.{published_at})) / 86400.0) / %s))"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.{pk} FROM {_table(NewsItem)} i WHERE i.{pk} {_in(ids)}"
            f" ORDER BY {score} DESC, i.{published_at} DESC, i.{pk} DESC",
            [*ids, config, query, float(half_life_days)],
        )
        return [row[0] for row in cursor.fetchall()]
