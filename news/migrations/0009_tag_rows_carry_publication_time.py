"""The tag table carries each item's publication time.

A tag's page listed its items by probing the news table once per tagged
item (migration 0008): 10,000 probes for a tag of 10,000 items before the
first page could be shown. With the publication time on the tag's own rows,
``news_tag_published_idx`` gives any page of a tag, and its count, from one
short index walk.

The automatic table Django made for ``NewsItem.tags`` becomes the model
``NewsTag`` under the same name (no data moves); the new column is filled
from the items, then kept by two triggers, on PostgreSQL and on SQLite
alike:

- a new tag row takes the time of its item if the item is published;
- a change of an item's status or publication time is copied to its tag
  rows (``NULL`` when the item is not published).

Triggers rather than Python, because items change status in several ways
that never pass one Python function (the workflow's transitions, the
scheduled sweep's single UPDATE of many rows, data fixes), and a stale copy
would show a taken-down item on a tag page.
"""

import django.db.models.deletion
from django.db import migrations, models

# The value of ReviewStatus.PUBLISHED, spelt out: a migration must not change
# when the code does.
PUBLISHED = "published"

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION news_tag_take_publication_time() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        -- No published item found: SELECT INTO sets NULL.
        SELECT item.published_at INTO NEW.published_at
        FROM news_newsitem AS item
        WHERE item.id = NEW.newsitem_id AND item.status = '{PUBLISHED}';
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER news_tag_take_publication_time
    BEFORE INSERT OR UPDATE OF newsitem_id ON news_newsitem_tags
    FOR EACH ROW EXECUTE FUNCTION news_tag_take_publication_time()
    """,
    f"""
    CREATE FUNCTION news_item_give_publication_time() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        shown timestamptz := CASE WHEN NEW.status = '{PUBLISHED}' THEN NEW.published_at END;
    BEGIN
        UPDATE news_newsitem_tags SET published_at = shown
        WHERE newsitem_id = NEW.id AND published_at IS DISTINCT FROM shown;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER news_item_give_publication_time
    AFTER UPDATE OF status, published_at ON news_newsitem
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION news_item_give_publication_time()
    """,
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER news_item_give_publication_time ON news_newsitem",
    "DROP FUNCTION news_item_give_publication_time()",
    "DROP TRIGGER news_tag_take_publication_time ON news_newsitem_tags",
    "DROP FUNCTION news_tag_take_publication_time()",
]

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER news_tag_take_publication_time
    AFTER INSERT ON news_newsitem_tags
    BEGIN
        UPDATE news_newsitem_tags SET published_at = (
            SELECT item.published_at FROM news_newsitem AS item
            WHERE item.id = NEW.newsitem_id AND item.status = '{PUBLISHED}'
        )
        WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER news_item_give_publication_time
    AFTER UPDATE OF status, published_at ON news_newsitem
    BEGIN
        UPDATE news_newsitem_tags
        SET published_at = CASE WHEN NEW.status = '{PUBLISHED}' THEN NEW.published_at END
        WHERE newsitem_id = NEW.id;
    END
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER news_item_give_publication_time",
    "DROP TRIGGER news_tag_take_publication_time",
]

FILL = f"""
    UPDATE news_newsitem_tags SET published_at = (
        SELECT item.published_at FROM news_newsitem AS item
        WHERE item.id = news_newsitem_tags.newsitem_id AND item.status = '{PUBLISHED}'
    )
"""


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
        raise NotImplementedError(f"No tag triggers for {vendor}.")
    schema_editor.execute(FILL)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRES_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("news", "0008_published_id_index_carries_time")]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table, its columns, indexes and unique constraint exist:
            # Django made them for the automatic model.
            state_operations=[
                migrations.CreateModel(
                    name="NewsTag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "newsitem",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="news.newsitem"
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="news.tag"),
                        ),
                    ],
                    options={
                        "verbose_name": "tag berita",
                        "verbose_name_plural": "tag berita",
                        "db_table": "news_newsitem_tags",
                        "unique_together": {("newsitem", "tag")},
                    },
                ),
                migrations.AlterField(
                    model_name="newsitem",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="news_items",
                        through="news.NewsTag",
                        to="news.tag",
                        verbose_name="tag",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="newstag",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.AddIndex(
            model_name="newstag",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["tag", "-published_at", "-newsitem"],
                name="news_tag_published_idx",
            ),
        ),
        # What tag pages used before (migrations 0006 and 0008); nothing
        # else reads them.
        migrations.RemoveIndex(model_name="newsitem", name="news_published_id_at_idx"),
        migrations.RunSQL(
            "DROP INDEX news_tags_tag_item_idx",
            "CREATE INDEX news_tags_tag_item_idx ON news_newsitem_tags (tag_id, newsitem_id)",
        ),
    ]
