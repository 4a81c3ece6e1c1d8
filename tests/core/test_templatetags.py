from datetime import UTC, datetime

import pytest
from django.template import Context, Template, TemplateSyntaxError
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


# --- {% fixed %} and {% language_switch %} -----------------------------------------


def named(source: str, name: str = "halaman.html") -> Template:
    return Template("{% load i18n portal %}" + source, name=name)


FIXED = named('{% fixed "kepala" %}{% translate "Berita" %} {{ satker }}{% endfixed %} · {{ satker }}')


def test_a_fixed_fragment_is_rendered_once_per_page_template_and_language(settings):
    settings.DEBUG = False
    with translation.override("id"):
        assert FIXED.render(Context({"satker": "KUA Bangil"})) == "Berita KUA Bangil · KUA Bangil"
        # Kept: what is inside is not rendered again, what is outside is.
        assert FIXED.render(Context({"satker": "MAN 1"})) == "Berita KUA Bangil · MAN 1"
        other_page = named(FIXED.source.removeprefix("{% load i18n portal %}"), name="lain.html")
        assert other_page.render(Context({"satker": "MAN 1"})) == "Berita MAN 1 · MAN 1"
    with translation.override("en"):
        assert FIXED.render(Context({"satker": "MAN 1"})) == "News MAN 1 · MAN 1"


def test_fixed_fragments_are_forgotten_when_a_setting_changes(settings):
    settings.DEBUG = False
    with translation.override("id"):
        FIXED.render(Context({"satker": "KUA Bangil"}))
        settings.SITE_NAME = "Portal Humas Kanwil"
        assert FIXED.render(Context({"satker": "MAN 1"})) == "Berita MAN 1 · MAN 1"


def test_fixed_fragments_are_not_kept_in_development_or_without_a_template_name(settings):
    settings.DEBUG = True
    with translation.override("id"):
        FIXED.render(Context({"satker": "KUA Bangil"}))
        assert FIXED.render(Context({"satker": "MAN 1"})) == "Berita MAN 1 · MAN 1"
    settings.DEBUG = False
    nameless = Template('{% load portal %}{% fixed "x" %}{{ satker }}{% endfixed %}')
    assert nameless.render(Context({"satker": "a"})) == "a"
    assert nameless.render(Context({"satker": "b"})) == "b"


def test_fixed_takes_one_quoted_name():
    for source in ("{% fixed %}{% endfixed %}", "{% fixed kepala %}{% endfixed %}", '{% fixed "a" "b" %}{% endfixed %}'):
        with pytest.raises(TemplateSyntaxError):
            Template("{% load portal %}" + source)


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
            filters = render('{{ t|in_unit_tz:unit|date:"l, j F Y, H:i" }} {{ unit|tz_abbr }}', t=moment, unit=unit)
            assert unit_time(moment, unit, weekday=True) == filters
            assert filters.split(", ", 1)[1] == unit_time(moment, unit)
    with translation.override("id"):
        assert unit_time(moment, unit, weekday=True) == "Senin, 2 Maret 2026, 09:30 WITA"
