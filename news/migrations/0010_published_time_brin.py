"""A BRIN index of publication times, on PostgreSQL only.

Search looks for a query's matches of the last month first
(``news.selectors.search_results``). PostgreSQL did that by combining the
full-text index with a bitmap of the month's entries of
``news_published_idx``: some 80,000 entries read for every search, even for
a word found in a dozen items (14–18 ms of a rare word's 20 on the
benchmark machine). News rows are written in roughly the order they are
published, so a block-range index of the time answers "the last month" from
a few pages (72 kB for a million items) and the same search reads 2 ms
(docs/benchmarks.md, finding 7).

PostgreSQL only, like the full-text index: SQLite has no BRIN, and there
search is a substring match.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS news_published_at_brin ON news_newsitem "
    "USING brin (published_at) WHERE status = 'published'"
)
DROP = "DROP INDEX IF EXISTS news_published_at_brin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("news", "0009_tag_rows_carry_publication_time")]

    operations = [migrations.RunPython(create_index, drop_index)]
