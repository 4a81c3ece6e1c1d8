"""Template helpers shared by every app."""

from django import template
from django.templatetags.tz import do_timezone

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
