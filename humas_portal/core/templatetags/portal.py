"""Template helpers shared by every app."""

from html import escape
from urllib.parse import quote

from django import template
from django.conf import settings
from django.templatetags.tz import do_timezone
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

register = template.Library()


@register.filter
def in_unit_tz(value, unit):
    """Show an aware datetime in the unit's own zone (WIB, WITA or WIT).

    Goes through Django's ``timezone`` filter so that a following ``|date``
    keeps this zone instead of converting back to the active one.
    """
    if value is None or unit is None:
        return value
    return do_timezone(value, unit.timezone)


_ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@register.filter
def tz_abbr(unit):
    """WIB / WITA / WIT for a unit (or a zone name)."""
    name = getattr(unit, "timezone", unit)
    return _ZONE_ABBREVIATIONS.get(str(name), str(name))


def unit_time(moment, unit, *, weekday: bool = False) -> str:
    """An aware datetime as readers see it in the unit's own zone, written
    as ``{{ moment|in_unit_tz:unit|date:"j F Y, H:i" }} {{ unit|tz_abbr }}``
    would (``"l, j F Y, H:i"`` with ``weekday``): "21 November 2026, 09:00
    WITA", without the template machinery."""
    shown = localtime(moment, unit.tzinfo)
    text = f"{shown.day} {MONTHS[shown.month]} {shown.year}, {shown:%H:%M} {tz_abbr(unit)}"
    return f"{WEEKDAYS[shown.weekday()]}, {text}" if weekday else text


@register.simple_tag(takes_context=True)
def query_transform(context, **kwargs):
    """The current query string with some parameters replaced (pagination
    links that keep the search term and filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def language_switch(context) -> SafeString:
    """The footer's choice of language: the active one in bold, a link to
    each other one that comes back to this page."""
    current = translation.get_language()
    back = escape(quote(context["request"].get_full_path(), safe="/"))
    shown = []
    for code, _name in settings.LANGUAGES:
        name = escape(translation.get_language_info(code)["name_local"])
        if code == current:
            shown.append(f"<strong>{name}</strong>")
        else:
            url = escape(reverse("core:switch_language", args=[code]))
            shown.append(
                f'<a href="{url}?next={back}" hreflang="{code}" lang="{code}" rel="nofollow">{name}</a>'
            )
    return mark_safe(" · ".join(shown))  # noqa: S308 - every value escaped above
