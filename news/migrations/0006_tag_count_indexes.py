"""Tag pages count their items from indexes alone.

A tag's count walks the tag's rows of the tag table and checks that each
item is published: ``news_tags_tag_item_idx`` holds both ids, so the walk
reads no table rows, and ``news_published_id_idx`` answers "published?" for
an id. Before, each count read one row of each table per item, scattered
over the tables: 50–200 ms for a tag of a few thousand items
(docs/benchmarks.md). The tag table is the one Django creates for
``NewsItem.tags``, so its index is plain SQL (the same on SQLite and
PostgreSQL).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("news", "0005_published_index_covers_unit")]

    operations = [
        migrations.AddIndex(
            model_name="newsitem",
            index=models.Index(
                condition=models.Q(("status", "published")), fields=["id"], name="news_published_id_idx"
            ),
        ),
        migrations.RunSQL(
            "CREATE INDEX news_tags_tag_item_idx ON news_newsitem_tags (tag_id, newsitem_id)",
            "DROP INDEX news_tags_tag_item_idx",
        ),
    ]
