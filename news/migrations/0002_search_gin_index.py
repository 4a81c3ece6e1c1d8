"""Full-text search index, on PostgreSQL only.

The embedded default runs on SQLite, which has neither tsvector nor GIN; there
search falls back to a plain substring match (see ``news.selectors``).
"""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS news_search_vector_gin ON news_newsitem USING gin (search_vector)"
DROP = "DROP INDEX IF EXISTS news_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
