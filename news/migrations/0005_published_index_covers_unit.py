"""The unit joins the key of ``news_published_idx`` (see ``NewsItem.Meta``).

The new index is built under another name first, then takes the old one's
place: building it blocks writes to the news table but not reads, and the
old index is dropped (which blocks reads too) only for the moment before the
migration commits.
"""

from django.db import migrations, models

BUILDING = "news_published_new_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("news", "0004_unit_decided_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="newsitem",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-published_at", "-id", "unit"],
                name=BUILDING,
            ),
        ),
        migrations.RemoveIndex(model_name="newsitem", name="news_published_idx"),
        migrations.RenameIndex(model_name="newsitem", new_name="news_published_idx", old_name=BUILDING),
    ]
