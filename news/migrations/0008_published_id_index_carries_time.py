"""The index of published ids carries the publication time too.

A tag's page lists its items by walking the tag's rows of the tag table and
probing this index with each id: with the publication time in the index,
the probe tells both whether the item is published and where it goes in the
list, without reading the news row (``news.selectors.tag_item_ids``). The
new index is built before the old one is dropped, so tag counts never lose
theirs.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("news", "0007_search_match_cost")]

    operations = [
        migrations.AddIndex(
            model_name="newsitem",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["id", "published_at"],
                name="news_published_id_at_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="newsitem", name="news_published_id_idx"),
    ]
