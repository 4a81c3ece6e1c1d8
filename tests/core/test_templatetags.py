from datetime import UTC, datetime

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from humas_portal.core.models import WorkUnit
from humas_portal.core.templatetags.portal import unit_time


def render(template: str, **context) -> str:
    return Template("{% load portal %}" + template).render(Context(context))


def test_in_unit_tz_survives_the_date_filter():
    """09:00 WITA (01:00 UTC) shows as 09.00 even though the active zone is WIB."""
    unit = WorkUnit(timezone="Asia/Makassar")
    moment = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert (
        render('{{ t|in_unit_tz:unit|date:"H:i" }} {{ unit|tz_abbr }}', t=moment, unit=unit) == "09:00 WITA"
    )


def test_in_unit_tz_for_wit():
    unit = WorkUnit(timezone="Asia/Jayapura")
    moment = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert render('{{ t|in_unit_tz:unit|date:"H:i" }} {{ unit|tz_abbr }}', t=moment, unit=unit) == "10:00 WIT"


# --- {% language_switch %} ------------------------------------------------------------


def test_the_language_switch_links_back_to_the_page_escaped():
    request = RequestFactory().get("/cari/", {"q": 'nikah "massal" & isbat'})
    switch = Template("{% load portal %}{% language_switch %}")
    with translation.override("id"):
        html = switch.render(Context({"request": request}))
    assert html == (
        '<strong>Bahasa Indonesia</strong> · <a href="/akun/bahasa/en/?next='
        '/cari/%3Fq%3Dnikah%2B%2522massal%2522%2B%2526%2Bisbat" hreflang="en" lang="en" rel="nofollow">English</a>'
    )
    with translation.override("en"):
        html = switch.render(Context({"request": request}))
    assert html.startswith('<a href="/akun/bahasa/id/?next=/cari/%3Fq%3D')
    assert html.endswith('rel="nofollow">Bahasa Indonesia</a> · <strong>English</strong>')


def test_unit_time_writes_what_the_filters_write():
    moment = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 on a Monday in Makassar
    unit = WorkUnit(timezone="Asia/Makassar")
    for language in ("id", "en"):
        with translation.override(language):
            filters = render(
                '{{ t|in_unit_tz:unit|date:"l, j F Y, H:i" }} {{ unit|tz_abbr }}', t=moment, unit=unit
            )
            assert unit_time(moment, unit, weekday=True) == filters
            assert filters.split(", ", 1)[1] == unit_time(moment, unit)
    with translation.override("id"):
        assert unit_time(moment, unit, weekday=True) == "Senin, 2 Maret 2026, 09:30 WITA"
