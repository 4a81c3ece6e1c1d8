"""Prepared statements for the public site's fixed reads on PostgreSQL.

PostgreSQL plans a query anew every time it is sent as text. For the short
lookups behind an uncached news page (an item by its slug with its unit,
category and photo; its tags; the cards of four items) planning took longer
than running: 0.56 ms against 0.10 ms for the item alone on the benchmark
corpus (docs/benchmarks.md, finding 9). A statement prepared on the
connection is planned once, for every value of its parameters, and from
then on only runs.

``execute`` prepares a statement the second time it is run on the same
connection (a connection kept for one request gains nothing from it), in
the same round trip as its execution, and executes it by name from then
on. Statements are SQL-level ``PREPARE``
(psycopg2 has no protocol-level ones), which a pooler in transaction mode
(PgBouncer) cannot follow from one server connection to the next: behind
one, set ``DATABASE_PREPARED_STATEMENTS=false``. On other databases, or
with the setting off, the SQL is run as it is.

Only queries whose best plan does not depend on the values belong here
(lookups by a unique key or a list of ids): a generic plan suits them all,
and the connection asks for it (``plan_cache_mode=force_generic_plan``, set
with the setting). A generic plan cannot use a partial index whose
condition compares a column with a parameter (the lists' indexes of
published items): a query that needs one does not belong here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError

# How many times a statement runs on one connection before it is prepared.
PREPARE_ON_RUN = 2

_PLACEHOLDER = re.compile(r"%([s%])")


class _Statements:
    """What one database connection has prepared and how often it ran the
    statements it has not."""

    def __init__(self, raw_connection: Any):
        self.raw_connection = raw_connection
        self.prepared: set[str] = set()
        self.runs: dict[str, int] = {}
        # Part of every name; moved on after an error (see execute).
        self.epoch = 0


def enabled() -> bool:
    return connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS


def execute(cursor, sql: str, params: Sequence[Any]) -> None:
    """Run ``sql`` (with ``%s`` placeholders, as for ``cursor.execute``) on
    ``cursor``, a cursor of ``django.db.connection``: as a prepared
    statement from its second run on this connection when ``enabled()``.

    The statement is prepared and first executed in one round trip, so a
    prepared read costs as many queries as a plain one.
    """
    if not enabled():
        cursor.execute(sql, params)
        return
    statements = _statements()
    key = _digest(sql)
    name = f"hp_{key}_{statements.epoch}"
    arguments = f" ({', '.join(['%s'] * len(params))})" if params else ""
    run = f"EXECUTE {name}{arguments}"
    if name not in statements.prepared:
        runs = statements.runs.get(key, 0) + 1
        if runs < PREPARE_ON_RUN:
            statements.runs[key] = runs
            cursor.execute(sql, params)
            return
        run = f"PREPARE {name} AS {_numbered(sql)}; {run}"
    try:
        cursor.execute(run, params)
    except DatabaseError:
        # Whether the PREPARE took effect is unknown (it outlives the
        # transaction that failed), and the session may have lost its
        # statements (DISCARD ALL): prepare under new names from now on.
        statements.epoch += 1
        statements.prepared.clear()
        statements.runs.clear()
        raise
    statements.prepared.add(name)
    statements.runs.pop(key, None)


def _statements() -> _Statements:
    """The statements of the connection now open (a new connection, after a
    reconnect, starts with none)."""
    raw = connection.connection
    statements = getattr(connection, "_prepared_statements", None)
    if statements is None or statements.raw_connection is not raw:
        statements = _Statements(raw)
        connection._prepared_statements = statements
    return statements


def _digest(sql: str) -> str:
    return hashlib.blake2b(sql.encode(), digest_size=10).hexdigest()


def _numbered(sql: str) -> str:
    """``sql`` with its ``%s`` placeholders numbered as PostgreSQL's ``$n``;
    an escaped ``%%`` stays so, for the driver that sends the statement
    with its first parameters."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)
