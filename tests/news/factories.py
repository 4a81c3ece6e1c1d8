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
