"""The news card of every public list, rendered in Python.

A list page shows a dozen cards, the home page two dozen, a news page four.
Rendered from a template, a card took about 0.3 ms on the benchmark machine,
most of it spent resolving variables, filters and lazy translations; this
makes the markup that template made (checked against it, in both languages,
when it replaced it; ``tests/news/test_cards.py`` pins it) in a fraction of that
(docs/benchmarks.md, finding 7). Every value is escaped with the same
function Django's autoescaping uses.
"""

from html import escape

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from humas_portal.core.templatetags.portal import unit_time

register = template.Library()

LEAD_WORDS = 30
LAZY = ' loading="lazy"'


@register.simple_tag
def news_card(item, *, show_lead: bool = False, lazy: bool = True) -> SafeString:
    """A card for ``item``, a published item read by ``news.selectors.news_cards``
    (unit, category and featured photo joined): photo, unit and category,
    title, the lead when ``show_lead``, and the time of publication in the
    unit's zone, as ``{{ published_at|date:"c" }}`` and
    ``{{ published_at|in_unit_tz:unit|date:"j F Y, H:i" }}`` would show it.

    The photo loads when the reader scrolls near it, except with
    ``lazy=False``: the cards a page opens with, whose photos the reader
    sees at once."""
    url = escape(item.get_absolute_url())
    title = escape(item.title)
    unit = item.unit
    html = ['<article class="card news-card">']
    if item.featured_image_id:
        image = item.featured_image
        size = f' width="{image.width}" height="{image.height}"' if image.width else ""
        html.append(
            f'<a href="{url}" tabindex="-1" aria-hidden="true"><img src="{escape(image.url_for("card"))}"'
            f' alt="{escape(image.alt_text) if image.alt_text else title}"{LAZY if lazy else ""}{size}></a>'
        )
    html.append(
        f'<p class="muted"><a href="{escape(unit.get_absolute_url())}">{escape(unit.short_name or unit.name)}</a>'
    )
    if item.category_id:
        category = item.category
        html.append(f' · <a href="{escape(category.get_absolute_url())}">{escape(category.name)}</a>')
    html.append(f'</p><h3><a href="{url}">{title}</a></h3>')
    if show_lead:
        html.append(f"<p>{escape(truncatewords(item.lead, LEAD_WORDS))}</p>")
    html.append(
        f'<p class="muted"><time datetime="{localtime(item.published_at).isoformat()}">'
        f"{unit_time(item.published_at, unit)}</time></p></article>"
    )
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above
