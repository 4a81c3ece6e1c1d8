"""Factories for news; every test module of the news app uses these."""

import factory
from django.utils import timezone
from django.utils.text import slugify

from humas_portal.core.workflow import ReviewStatus
from news.models import Category, NewsItem, PriorityProgram, Tag

from ..factories import UserFactory, WorkUnitFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class NewsItemFactory(factory.django.DjangoModelFactory):
    """A draft by default; ``published=True`` gives a published item."""

    class Meta:
        model = NewsItem

    class Params:
        published = factory.Trait(
            status=ReviewStatus.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )

    title = factory.Sequence(lambda n: f"Penyuluh Agama Gelar Bimbingan Perkawinan Angkatan {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:200])
    lead = "Kegiatan bimbingan perkawinan diikuti pasangan calon pengantin dari berbagai desa."
    body = "<p>Kegiatan dibuka oleh Kepala KUA dan diikuti dengan antusias oleh peserta.</p>"
    unit = factory.SubFactory(WorkUnitFactory)
    author = factory.SubFactory(UserFactory)
    priority_program = PriorityProgram.LAYANAN_KEAGAMAAN
    dateline = "Pasuruan"


class NewsImageFactory(factory.django.DjangoModelFactory):
    """A stored photo record with its renditions' names; no file is written,
    which is enough for pages that only build the photos' addresses."""

    class Meta:
        model = "news.NewsImage"

    original = factory.Sequence(lambda n: f"news/2026/01/foto-{n}.jpg")
    card = factory.LazyAttribute(lambda o: o.original.replace(".jpg", "-card.webp"))
    thumbnail = factory.LazyAttribute(lambda o: o.original.replace(".jpg", "-thumbnail.webp"))
    full = factory.LazyAttribute(lambda o: o.original.replace(".jpg", "-full.webp"))
    width = 1600
    height = 900
    alt_text = "Peserta kegiatan berfoto bersama"


def published_corpus(count: int, *, units, categories, tags, now=None):
    """``count`` published items spread over units, categories, tags and every
    priority program, each with a featured photo and one tag, one minute
    apart (the newest first): the data of the public list pages."""
    from datetime import timedelta

    now = now or timezone.now()
    programs = list(PriorityProgram)
    items = []
    for i in range(count):
        item = NewsItemFactory(
            published=True,
            published_at=now - timedelta(minutes=i),
            unit=units[i % len(units)],
            category=categories[i % len(categories)],
            priority_program=programs[i % len(programs)],
            featured_image=NewsImageFactory(),
        )
        item.tags.add(tags[i % len(tags)])
        items.append(item)
    return items
