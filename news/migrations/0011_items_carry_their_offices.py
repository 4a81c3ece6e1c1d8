"""Each news item carries its unit's Kanwil and Kankemenag.

An office's list showed the news of its whole subtree by walking
``news_published_idx`` (every published item of the country, newest first)
and keeping the entries of the office's units: page 500 of a Kanwil read
some 37,000 entries to keep 6,000 (docs/benchmarks.md, findings 10 and 11).
With the offices on the item's own row, ``news_kanwil_published_idx`` and
``news_kankemenag_published_idx`` give any page of an office, and its count,
from the office's own entries.

``kanwil_id`` and ``kankemenag_id`` are the nearest unit of that kind at or
above the item's unit (the unit itself when it is one), ``NULL`` when there
is none. They are filled from the units' paths, then kept by triggers, on
PostgreSQL and on SQLite alike:

- an item that is written takes them from its unit, whatever values the
  statement carried (a Python instance never knows them, and saving it
  must not erase them);
- a unit that moves gives its items the offices of its new place (each
  unit of a moved subtree gets its own new path, so each one updates its
  own items);
- a unit whose kind changes (a satker made an office, say) updates the
  items of its whole subtree.

Triggers rather than Python for the same reason as the tag rows'
(migration 0009): items are written by the forms, the admin, bulk loads
and data fixes, and units are moved by ``WorkUnit.save`` and the admin; a
stale copy would hide an office's news from its page or show another's.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

# The tag rows' triggers (migration 0009) name news_newsitem; see
# lift_tag_triggers.
tag_rows = import_module("news.migrations.0009_tag_rows_carry_publication_time")

# The values of UnitKind.KANWIL and UnitKind.KANKEMENAG, spelt out: a
# migration must not change when the code does.
KANWIL = "kanwil"
KANKEMENAG = "kankemenag"


def _nearest_pg(kind: str, path: str) -> str:
    """The id of the nearest unit of ``kind`` on ``path`` (a unit's path)."""
    return f"""(
        SELECT office.id FROM core_workunit AS office
        WHERE office.id = ANY (string_to_array(btrim({path}, '/'), '/')::bigint[])
          AND office.kind = '{kind}'
        ORDER BY length(office.path) DESC
        LIMIT 1
    )"""


POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION news_item_take_offices() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        unit_path varchar;
    BEGIN
        SELECT unit.path INTO unit_path FROM core_workunit AS unit WHERE unit.id = NEW.unit_id;
        NEW.kanwil_id := {_nearest_pg(KANWIL, "unit_path")};
        NEW.kankemenag_id := {_nearest_pg(KANKEMENAG, "unit_path")};
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER news_item_take_offices
    BEFORE INSERT OR UPDATE OF unit_id, kanwil_id, kankemenag_id ON news_newsitem
    FOR EACH ROW EXECUTE FUNCTION news_item_take_offices()
    """,
    f"""
    CREATE FUNCTION news_unit_give_offices() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        -- Writing unit_id fires news_item_take_offices for each row; the
        -- WHERE skips rows that would not change.
        IF OLD.kind IS DISTINCT FROM NEW.kind THEN
            UPDATE news_newsitem AS item SET unit_id = item.unit_id
            FROM core_workunit AS unit
            WHERE item.unit_id = unit.id AND left(unit.path, length(NEW.path)) = NEW.path;
        ELSE
            UPDATE news_newsitem AS item SET unit_id = item.unit_id
            WHERE item.unit_id = NEW.id
              AND (item.kanwil_id IS DISTINCT FROM {_nearest_pg(KANWIL, "NEW.path")}
                   OR item.kankemenag_id IS DISTINCT FROM {_nearest_pg(KANKEMENAG, "NEW.path")});
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER news_unit_give_offices
    AFTER UPDATE OF path, kind ON core_workunit
    FOR EACH ROW
    WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION news_unit_give_offices()
    """,
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER news_unit_give_offices ON core_workunit",
    "DROP FUNCTION news_unit_give_offices()",
    "DROP TRIGGER news_item_take_offices ON news_newsitem",
    "DROP FUNCTION news_item_take_offices()",
]


def _nearest_sqlite(kind: str, unit_id: str) -> str:
    return f"""(
        SELECT office.id FROM core_workunit AS office, core_workunit AS unit
        WHERE unit.id = {unit_id} AND office.kind = '{kind}'
          AND substr(unit.path, 1, length(office.path)) = office.path
        ORDER BY length(office.path) DESC
        LIMIT 1
    )"""


# SQLite has no BEFORE trigger that can change the row: the row is written,
# then corrected. Triggers do not fire themselves again (recursive_triggers
# is off), so the correction does not loop.
_SQLITE_TAKE = f"""
        UPDATE news_newsitem
        SET kanwil_id = {_nearest_sqlite(KANWIL, "NEW.unit_id")},
            kankemenag_id = {_nearest_sqlite(KANKEMENAG, "NEW.unit_id")}
        WHERE id = NEW.id;
"""

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER news_item_take_offices
    AFTER INSERT ON news_newsitem
    BEGIN {_SQLITE_TAKE} END
    """,
    f"""
    CREATE TRIGGER news_item_keep_offices
    AFTER UPDATE OF unit_id, kanwil_id, kankemenag_id ON news_newsitem
    BEGIN {_SQLITE_TAKE} END
    """,
    f"""
    CREATE TRIGGER news_unit_give_offices
    AFTER UPDATE OF path, kind ON core_workunit
    WHEN OLD.path IS NOT NEW.path OR OLD.kind IS NOT NEW.kind
    BEGIN
        -- The units under a moved unit still have their old paths here and
        -- do not match: each of them updates its own items when its path
        -- is rewritten.
        UPDATE news_newsitem
        SET kanwil_id = {_nearest_sqlite(KANWIL, "news_newsitem.unit_id")},
            kankemenag_id = {_nearest_sqlite(KANKEMENAG, "news_newsitem.unit_id")}
        WHERE unit_id IN (
            SELECT unit.id FROM core_workunit AS unit
            WHERE substr(unit.path, 1, length(NEW.path)) = NEW.path
        );
    END
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER news_unit_give_offices",
    "DROP TRIGGER news_item_keep_offices",
    "DROP TRIGGER news_item_take_offices",
]

# Fills the columns of the items there are: writing unit_id fires the
# triggers just made.
FILL = "UPDATE news_newsitem SET unit_id = unit_id"


def _run(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)
    else:  # pragma: no cover - the portal runs on PostgreSQL or SQLite
        raise NotImplementedError(f"No office triggers for {vendor}.")
    schema_editor.execute(FILL)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRES_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD)


# Unapplying removes the two columns. SQLite cannot drop a column that is a
# foreign key: Django copies the table to a new one, drops the old one and
# gives the new one its name, and SQLite refuses that rename while a trigger
# of another table (the tag rows') names the table that is gone. The tag
# triggers are lifted for the removal and put back after it.


def lift_tag_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, tag_rows.SQLITE_BACKWARD)


def restore_tag_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, tag_rows.SQLITE_FORWARD)


def _office(name: str):
    return migrations.AddField(
        model_name="newsitem",
        name=name,
        field=models.ForeignKey(
            db_index=False,
            editable=False,
            null=True,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="+",
            to="core.workunit",
        ),
    )


def _published_index(name: str):
    return migrations.AddIndex(
        model_name="newsitem",
        index=models.Index(
            condition=models.Q((f"{name}__isnull", False), ("status", "published")),
            fields=[name, "-published_at", "-id"],
            name=f"news_{name}_published_idx",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("news", "0010_published_time_brin"),
    ]

    operations = [
        # Run backwards only: the last step of unapplying, and the one
        # before the columns go (see lift_tag_triggers).
        migrations.RunPython(migrations.RunPython.noop, restore_tag_triggers),
        _office("kanwil"),
        _office("kankemenag"),
        migrations.RunPython(migrations.RunPython.noop, lift_tag_triggers),
        migrations.RunPython(create_triggers, drop_triggers),
        _published_index("kanwil"),
        _published_index("kankemenag"),
    ]
