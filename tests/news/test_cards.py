"""The news card of the public lists (``news_card``)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from humas_portal.core.models import UnitTimeZone
from news.selectors import news_cards
from news.templatetags.news_cards import news_card

from .factories import CategoryFactory, NewsImageFactory, NewsItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(org):
    org.kua_sidoarjo.timezone = UnitTimeZone.WITA
    org.kua_sidoarjo.save()
    made = NewsItemFactory(
        published=True,
        published_at=datetime(2026, 3, 2, 1, 30, tzinfo=UTC),
        unit=org.kua_sidoarjo,
        category=CategoryFactory(name="Bimas Islam"),
        title='Sosialisasi "Nikah Sehat" & <Bimwin>',
        lead=" ".join(f"kata{n}" for n in range(40)),
        featured_image=NewsImageFactory(alt_text=""),
    )
    return news_cards().get(pk=made.pk)


def test_a_card_links_the_item_its_unit_and_category_with_the_escaped_photo_text(item):
    card = news_card(item)
    assert (
        f'<h3><a href="{item.get_absolute_url()}">Sosialisasi &quot;Nikah Sehat&quot; &amp; &lt;Bimwin&gt;</a></h3>'
        in card
    )
    assert f'<a href="{item.unit.get_absolute_url()}">' in card
    assert f'<a href="{item.category.get_absolute_url()}">Bimas Islam</a>' in card
    photo = item.featured_image
    # Without a text of its own, the photo is described by the title.
    assert (
        f'<img src="{photo.card.url}" alt="Sosialisasi &quot;Nikah Sehat&quot; &amp; &lt;Bimwin&gt;" '
        f'loading="lazy" width="{photo.width}" height="{photo.height}">'
    ) in card


def test_a_card_shows_the_time_in_the_units_zone_and_month_in_the_readers_language(item):
    # 01:30 UTC is 09:30 in Makassar (WITA).
    assert "2 Maret 2026, 09:30 WITA</time>" in news_card(item)
    with translation.override("en"):
        assert "2 March 2026, 09:30 WITA</time>" in news_card(item)
    assert 'datetime="2026-03-02T08:30:00+07:00"' in news_card(item)  # the site's zone (WIB)


def test_a_card_shows_the_lead_cut_to_thirty_words_only_when_asked(item):
    assert "kata0" not in news_card(item)
    lead = news_card(item, show_lead=True)
    assert "kata29 …</p>" in lead and "kata30" not in lead


def test_a_card_without_photo_or_category_shows_neither(org):
    plain = news_cards().get(pk=NewsItemFactory(published=True, unit=org.kua_bangil).pk)
    card = news_card(plain)
    assert "<img" not in card
    assert " · " not in card


def test_the_search_page_shows_cards_with_their_lead(client, item):
    NewsItemFactory(published=True, unit=item.unit, title="Bimwin Angkatan Kedua", lead="Lead kedua.")
    page = client.get(reverse("news:search"), {"q": "Bimwin"}).content.decode()
    assert 'class="card news-card"' in page and "Lead kedua." in page
