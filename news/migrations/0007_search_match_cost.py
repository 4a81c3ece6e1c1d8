"""Tell PostgreSQL what matching a search vector costs.

To find the most recent items that match a word, the planner either walks
the published items newest first and tests each one's vector, or collects
the matches from the GIN index and sorts them. It rates a vector test
(``ts_match_vq``, the ``@@`` operator) as cheap as comparing two numbers,
while each test reads a vector of one or two kilobytes: for a word in 1% of
the items it walked 36,000 vectors (140–900 ms) where the index takes
16 ms. Rated at 500 operator costs, the planner still walks for common
words (a few hundred vectors) and uses the index for the others
(docs/benchmarks.md).

Changing a built-in function needs a superuser. Where the migrating role is
not one this does nothing and says so; the database administrator then runs
the statement once (docs/deploy/postgresql.md). ``pg_dump`` does not keep it:
run it again after restoring a dump into a new cluster.
"""

from django.db import migrations

RAISE = "ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) COST 500"
RESTORE = "ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) COST 1"


def _may_alter(schema_editor) -> bool:
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    if not (row and row[0]):
        print(f"\n  Not a superuser: ask the database administrator to run: {RAISE};")  # noqa: T201
        return False
    return True


def raise_cost(apps, schema_editor):
    if _may_alter(schema_editor):
        schema_editor.execute(RAISE)


def restore_cost(apps, schema_editor):
    if _may_alter(schema_editor):
        schema_editor.execute(RESTORE)


class Migration(migrations.Migration):
    dependencies = [("news", "0006_tag_count_indexes")]

    operations = [migrations.RunPython(raise_cost, restore_cost)]
