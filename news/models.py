"""News written by the units, reviewed by their office and read by the public."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import BrinIndex, GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humas_portal.core.models import UnitKind, WorkUnit
from humas_portal.core.text import NameFieldsMixin
from humas_portal.core.workflow import ReviewableModel, ReviewStatus


class PriorityProgram(models.TextChoices):
    """The ministry's priority areas a news item reports on (domain.md)."""

    KEHIDUPAN_BERAGAMA = "kehidupan-beragama", _("Kualitas kehidupan beragama")
    KERUKUNAN = "kerukunan", _("Kerukunan dan toleransi umat beragama")
    LAYANAN_KEAGAMAAN = "layanan-keagamaan", _("Layanan keagamaan")
    LAYANAN_PENDIDIKAN = "layanan-pendidikan", _("Layanan pendidikan")
    MUTU_PENDIDIKAN = "mutu-pendidikan-agama", _("Mutu pendidikan agama")
    TATA_KELOLA = "tata-kelola", _("Tata kelola pemerintahan")
    MODERASI = "moderasi-beragama", _("Moderasi beragama")
    HAJI_UMRAH = "haji-umrah", _("Haji dan umrah")
    PRODUK_HALAL = "produk-halal", _("Produk halal")


class Category(NameFieldsMixin, models.Model):
    NAME_FIELDS = ("name",)
    name = models.CharField(_("nama"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("deskripsi"), blank=True)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:category", kwargs={"slug": self.slug})


class Tag(NameFieldsMixin, models.Model):
    NAME_FIELDS = ("name",)
    name = models.CharField(_("nama"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tag")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:tag", kwargs={"slug": self.slug})


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ReviewStatus.PUBLISHED)

    def due_for_publishing(self, now=None):
        """Approved items whose time has come: what the beat sweep publishes."""
        now = now or timezone.now()
        return self.filter(status=ReviewStatus.APPROVED).filter(
            models.Q(publish_at__isnull=True) | models.Q(publish_at__lte=now)
        )

    def awaiting_review(self):
        return self.filter(status=ReviewStatus.SUBMITTED)


def _office_field() -> models.ForeignKey:
    """An office of the item's unit (``NewsItem.kanwil``), written only by
    the database."""
    return models.ForeignKey(
        WorkUnit, null=True, editable=False, db_index=False, on_delete=models.PROTECT, related_name="+"
    )


# --- Rules the database keeps ------------------------------------------------------
#
# Two copies live on rows other than their source: a news item carries its
# unit's Kanwil and Kankemenag, and a tag row its item's publication time.
# Triggers keep them rather than Python, because the sources change in ways
# that never pass one Python function: items change status through the
# workflow, the scheduled sweep's single UPDATE of many rows, the admin and
# data fixes; units move through ``WorkUnit.save``, which rewrites a subtree's
# paths with queryset updates. A stale copy would put a taken-down item on a
# tag page or hide an office's news from its page.

_PUBLISHED = ReviewStatus.PUBLISHED.value
_TAG_TABLE = "news_newsitem_tags"
_UNIT_TABLE = WorkUnit._meta.db_table
_ITEM_TABLE = "news_newsitem"


def _nearest_office(kind: str, path: str) -> str:
    """SQL: the id of the nearest unit of ``kind`` on ``path`` (an SQL
    expression giving a unit's materialised path); ``NULL`` when none."""
    return f"""(
        SELECT office.id FROM {_UNIT_TABLE} AS office
        WHERE office.id = ANY (string_to_array(btrim({path}, '/'), '/')::bigint[])
          AND office.kind = '{kind}'
        ORDER BY length(office.path) DESC
        LIMIT 1
    )"""  # noqa: S608 - our tables and constants, no input


# An item that is written takes its offices from its unit, whatever values
# the statement carried: a Python instance never knows them, and saving it
# must not erase them.
_ITEM_TAKES_OFFICES = pgtrigger.Trigger(
    name="news_item_take_offices",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.UpdateOf("unit_id", "kanwil_id", "kankemenag_id"),
    declare=[("unit_path", "varchar")],
    func=f"""
        SELECT unit.path INTO unit_path FROM {_UNIT_TABLE} AS unit WHERE unit.id = NEW.unit_id;
        NEW.kanwil_id := {_nearest_office(UnitKind.KANWIL.value, "unit_path")};
        NEW.kankemenag_id := {_nearest_office(UnitKind.KANKEMENAG.value, "unit_path")};
        RETURN NEW;
    """,  # noqa: S608 - our tables and constants, no input  # noqa: S608 - our tables and constants, no input
)

# A change of an item's status or publication time is copied to its tag
# rows (``NULL`` while the item is not published).
_ITEM_GIVES_PUBLICATION_TIME = pgtrigger.Trigger(
    name="news_item_give_publication_time",
    when=pgtrigger.After,
    operation=pgtrigger.UpdateOf("status", "published_at"),
    condition=pgtrigger.AnyChange("status", "published_at"),
    declare=[("shown", "timestamptz")],
    func=f"""
        shown := CASE WHEN NEW.status = '{_PUBLISHED}' THEN NEW.published_at END;
        UPDATE {_TAG_TABLE} SET published_at = shown
        WHERE newsitem_id = NEW.id AND published_at IS DISTINCT FROM shown;
        RETURN NULL;
    """,  # noqa: S608 - our tables and constants, no input
)

# A new tag row takes the time of its item if the item is published.
_TAG_TAKES_PUBLICATION_TIME = pgtrigger.Trigger(
    name="news_tag_take_publication_time",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.UpdateOf("newsitem_id"),
    func=f"""
        -- No published item found: SELECT INTO sets NULL.
        SELECT item.published_at INTO NEW.published_at
        FROM {_ITEM_TABLE} AS item
        WHERE item.id = NEW.newsitem_id AND item.status = '{_PUBLISHED}';
        RETURN NEW;
    """,  # noqa: S608 - our tables and constants, no input
)

# A unit that moves gives its items the offices of its new place (each unit
# of a moved subtree gets its own new path, so each one updates its own
# items); a unit whose kind changes (a satker made an office, say) updates
# the items of its whole subtree. Writing unit_id fires
# news_item_take_offices for each item; the WHERE skips items that would not
# change.
_UNIT_GIVES_OFFICES = pgtrigger.Trigger(
    name="news_unit_give_offices",
    when=pgtrigger.After,
    operation=pgtrigger.UpdateOf("path", "kind"),
    condition=pgtrigger.AnyChange("path", "kind"),
    func=f"""
        IF OLD.kind IS DISTINCT FROM NEW.kind THEN
            UPDATE {_ITEM_TABLE} AS item SET unit_id = item.unit_id
            FROM {_UNIT_TABLE} AS unit
            WHERE item.unit_id = unit.id AND left(unit.path, length(NEW.path)) = NEW.path;
        ELSE
            UPDATE {_ITEM_TABLE} AS item SET unit_id = item.unit_id
            WHERE item.unit_id = NEW.id
              AND (item.kanwil_id IS DISTINCT FROM {_nearest_office(UnitKind.KANWIL.value, "NEW.path")}
                   OR item.kankemenag_id IS DISTINCT FROM {_nearest_office(UnitKind.KANKEMENAG.value, "NEW.path")});
        END IF;
        RETURN NULL;
    """,  # noqa: S608 - our tables and constants, no input
)

# What search matches (``news.selectors.search_results``): the title weighs
# most, then the lead, then dateline and body, in PostgreSQL's
# ``indonesian`` configuration, which reduces affixed words to their root
# ("kehumasan" is indexed as "humas"). HTML tags are tokens the parser knows
# and the configuration drops, so the stored (sanitised) body is indexed as
# it is.
SEARCH_CONFIG = "indonesian"
SEARCH_VECTOR = (
    SearchVector("title", weight="A", config=SEARCH_CONFIG)
    + SearchVector("lead", weight="B", config=SEARCH_CONFIG)
    + SearchVector("dateline", weight="C", config=SEARCH_CONFIG)
    + SearchVector("body", weight="C", config=SEARCH_CONFIG)
)


class NewsItem(NameFieldsMixin, ReviewableModel):
    NAME_FIELDS = ("title", "dateline", "reporter", "editor_credit", "photo_credit")
    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    lead = models.TextField(
        _("teras berita"), max_length=600, help_text=_("Ringkasan satu atau dua kalimat.")
    )
    # Sanitised with nh3 by news.sanitize before it is stored; never render
    # unsanitised input.
    body = models.TextField(_("isi berita"))
    featured_image = models.ForeignKey(
        "NewsImage",
        verbose_name=_("foto utama"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_caption = models.CharField(_("keterangan foto utama"), max_length=300, blank=True)
    # Who took the photos, as the credit line shows it ("Foto: ...").
    photo_credit = models.CharField(_("kredit foto"), max_length=150, blank=True)
    dateline = models.CharField(_("tempat (dateline)"), max_length=100, blank=True)
    reporter = models.CharField(_("penulis/reporter"), max_length=150, blank=True)
    editor_credit = models.CharField(_("editor"), max_length=150, blank=True)
    unit = models.ForeignKey(
        WorkUnit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="news_items"
    )
    # The Kanwil and the Kankemenag the unit belongs to: the nearest unit of
    # that kind at or above it, ``NULL`` when there is none. Kept by the
    # database (``news_item_take_offices`` and ``NewsUnit``'s trigger),
    # whichever way an item is written or a unit moved, so that an office's
    # list reads its own index instead of filtering the whole country's (see
    # ``news.selectors.unit_news``).
    kanwil = _office_field()
    kankemenag = _office_field()
    category = models.ForeignKey(
        Category,
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_items",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tag"), blank=True, related_name="news_items", through="NewsTag"
    )
    priority_program = models.CharField(
        _("program prioritas"), max_length=40, choices=PriorityProgram.choices, blank=True
    )
    event_date = models.DateField(_("tanggal kegiatan"), null=True, blank=True)
    publish_at = models.DateTimeField(
        _("jadwal terbit"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk terbit segera setelah disetujui."),
    )
    published_at = models.DateTimeField(_("waktu terbit"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pembuat"),
        on_delete=models.PROTECT,
        related_name="news_items",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    view_count = models.PositiveBigIntegerField(_("dibaca"), default=0)
    # Computed by the database from the text whenever it is written (see
    # SEARCH_VECTOR); search shows published items only.
    search_vector = models.GeneratedField(
        expression=SEARCH_VECTOR, output_field=SearchVectorField(), db_persist=True
    )

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("berita")
        verbose_name_plural = _("berita")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The unit as a last key column: an office's deep pages walk this
            # index in order and skip other units' entries without reading
            # the rows, instead of reading and sorting the office's whole
            # subtree from news_unit_published_idx (docs/benchmarks.md,
            # finding 2a). (published_at, id) is unique, so the unit as the
            # last key column does not change the order.
            models.Index(
                fields=["-published_at", "-id", "unit"],
                name="news_published_idx",
                condition=models.Q(status="published"),
            ),
            models.Index(
                fields=["unit", "-published_at", "-id"],
                name="news_unit_published_idx",
                condition=models.Q(status="published"),
            ),
            # An office's list (docs/benchmarks.md, finding 11): page 500 of
            # a Kanwil reads its own 6,000 entries, not the 37,000 of every
            # unit published meanwhile.
            models.Index(
                fields=["kanwil", "-published_at", "-id"],
                name="news_kanwil_published_idx",
                condition=models.Q(status="published", kanwil__isnull=False),
            ),
            models.Index(
                fields=["kankemenag", "-published_at", "-id"],
                name="news_kankemenag_published_idx",
                condition=models.Q(status="published", kankemenag__isnull=False),
            ),
            models.Index(
                fields=["category", "-published_at", "-id"],
                name="news_cat_published_idx",
                condition=models.Q(status="published"),
            ),
            models.Index(
                fields=["priority_program", "-published_at", "-id"],
                name="news_prog_published_idx",
                condition=models.Q(status="published"),
            ),
            models.Index(fields=["status", "submitted_at"], name="news_status_submitted_idx"),
            # Approval times per unit and period (the monitoring dashboard).
            models.Index(fields=["unit", "decided_at"], name="news_unit_decided_idx"),
            models.Index(fields=["status", "publish_at"], name="news_status_publish_at_idx"),
            GinIndex(fields=["search_vector"], name="news_search_vector_gin"),
            # Search looks for a query's matches of the last month first
            # (``news.selectors.search_results``). News rows are written in
            # roughly the order they are published, so a block-range index
            # answers "the last month" from a few pages (72 kB for a million
            # items), where news_published_idx gave some 80,000 entries for
            # every search (docs/benchmarks.md, finding 7).
            BrinIndex(
                fields=["published_at"],
                name="news_published_at_brin",
                condition=models.Q(status="published"),
            ),
        ]
        triggers = [_ITEM_TAKES_OFFICES, _ITEM_GIVES_PUBLICATION_TIME]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == ReviewStatus.APPROVED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )


class NewsTag(models.Model):
    """A tag of an item, with the item's publication time while it is
    published (``NULL`` otherwise).

    A tag's page lists its items newest first. With the time on the tag's
    own rows, ``news_tag_published_idx`` gives a page of any tag as a short
    walk of one index, and the count of the list from the index alone,
    instead of probing the news table once per tagged item.

    ``published_at`` is kept by the database (``news_tag_take_publication_time``
    here, ``news_item_give_publication_time`` on the item), not by Python:
    an item is published, unpublished and re-dated by the workflow, by the
    scheduled sweep's single UPDATE, by the admin and by data fixes, and a
    copy that one path forgot to refresh would put a taken-down item on a
    public page. The table keeps the name of the automatic table of
    ``NewsItem.tags`` it replaced.
    """

    newsitem = models.ForeignKey(NewsItem, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        db_table = _TAG_TABLE
        verbose_name = _("tag berita")
        verbose_name_plural = _("tag berita")
        unique_together = [("newsitem", "tag")]
        indexes = [
            models.Index(
                fields=["tag", "-published_at", "-newsitem"],
                name="news_tag_published_idx",
                condition=models.Q(published_at__isnull=False),
            ),
        ]
        triggers = [_TAG_TAKES_PUBLICATION_TIME]

    def __str__(self):
        return f"{self.newsitem_id} · {self.tag_id}"


class NewsUnit(WorkUnit):
    """The work units as the news app sees them: a proxy whose only purpose
    is to declare, with the news app's migrations, the trigger on the units'
    table that carries a unit's move or change of kind to its news items'
    offices (``NewsItem.kanwil``, ``.kankemenag``)."""

    class Meta:
        proxy = True
        triggers = [_UNIT_GIVES_OFFICES]


def _image_path(instance, filename):
    return f"news/{timezone.now():%Y/%m}/{filename}"


class NewsImage(models.Model):
    """A photo uploaded by a contributor (through the form or the editor).

    The original is stored after it has been verified and stripped of EXIF;
    the WebP renditions are made by a worker and appear when ready.
    """

    item = models.ForeignKey(
        NewsItem,
        verbose_name=_("berita"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="images",
    )
    in_gallery = models.BooleanField(_("tampil di galeri"), default=False)
    position = models.PositiveIntegerField(_("urutan"), default=0)
    original = models.ImageField(
        _("berkas"), upload_to=_image_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("teks alternatif"), max_length=200, blank=True)
    caption = models.CharField(_("keterangan"), max_length=300, blank=True)
    thumbnail = models.ImageField(upload_to=_image_path, blank=True)
    card = models.ImageField(upload_to=_image_path, blank=True)
    full = models.ImageField(upload_to=_image_path, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengunggah"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foto berita")
        verbose_name_plural = _("foto berita")
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption or self.original.name

    def url_for(self, rendition: str) -> str:
        """The rendition's URL, or the original while the worker is busy."""
        field = getattr(self, rendition, None)
        if field:
            return field.url
        return self.original.url


class NewsRevision(NameFieldsMixin, models.Model):
    """A snapshot of a news item's text each time it was saved, so an editor
    can compare what changed between versions side by side."""

    NAME_FIELDS = ("title",)

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revisi ke"))
    title = models.CharField(_("judul"), max_length=200)
    lead = models.TextField(_("teras berita"))
    body = models.TextField(_("isi berita"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("revisi berita")
        verbose_name_plural = _("revisi berita")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="unique_news_revision_number")]

    def __str__(self):
        return f"{self.item} #{self.number}"


class NewsSubscription(models.Model):
    """A reader's email subscription to new items (of a unit, or all)."""

    email = models.EmailField(_("email"))
    unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("langganan berita")
        verbose_name_plural = _("langganan berita")
        constraints = [
            # nulls_distinct=False: one "all units" subscription per address too.
            models.UniqueConstraint(
                fields=["email", "unit"], name="unique_news_subscription", nulls_distinct=False
            )
        ]

    def __str__(self):
        return self.email


# --- Keeping the public pages current -------------------------------------------
#
# The public site keeps rendered pages until the next change of what they
# show (``news.selectors.invalidate_public_cache``). The publishing services
# invalidate on commit; these receivers cover what changes elsewhere: a
# category or tag in the admin, a published item's classification in the
# admin, a unit's name or closing.


@receiver(post_save, sender=Category, dispatch_uid="news-public-pages")
@receiver(post_delete, sender=Category, dispatch_uid="news-public-pages")
@receiver(post_save, sender=Tag, dispatch_uid="news-public-pages")
@receiver(post_delete, sender=Tag, dispatch_uid="news-public-pages")
@receiver(post_save, sender=WorkUnit, dispatch_uid="news-public-pages")
@receiver(post_delete, sender=WorkUnit, dispatch_uid="news-public-pages")
def _public_pages_changed(**kwargs) -> None:
    from .selectors import invalidate_public_cache

    transaction.on_commit(invalidate_public_cache)


@receiver(post_save, sender=NewsItem, dispatch_uid="news-public-item")
@receiver(post_delete, sender=NewsItem, dispatch_uid="news-public-item")
def _published_item_changed(sender, instance: NewsItem, **kwargs) -> None:
    if instance.is_published:
        _public_pages_changed()


@receiver(m2m_changed, sender=NewsTag, dispatch_uid="news-public-item-tags")
def _published_item_tags_changed(sender, instance, action: str, **kwargs) -> None:
    # ``instance`` is a tag when the change was made from the tag's side.
    if action.startswith("post_") and (not isinstance(instance, NewsItem) or instance.is_published):
        _public_pages_changed()
