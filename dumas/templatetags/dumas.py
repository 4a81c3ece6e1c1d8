"""Template helpers of the Dumas app."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from humas_portal.core import policy as core_policy

from .. import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def dumas_dashboard(context):
    """What the staff dashboard card shows the user: only the links and
    counts their roles allow."""
    user = context["request"].user
    card = {
        "desk": policy.can_use_desk(user),
        "record": policy.record_units(user).exists(),
        "locations": policy.location_units(user).exists(),
        "recap": policy.can_view_recap(user),
        "received": 0,
        "overdue": 0,
    }
    if not any(card.values()):
        return None
    if card["desk"]:
        visible = policy.visible_complaints(user)
        card["received"] = visible.awaiting_verification().count()
        card["overdue"] = visible.overdue(timezone.now()).count()
    card["is_officer"] = core_policy.has_any_role(user, [policy.OFFICER])
    return card


# Charts are drawn on the server as plain HTML/CSS bars and inline SVG: no
# script, no CDN, readable on a phone and in print.


@register.simple_tag
def bar_chart(bars, title):
    """A table of horizontal bars for a list of ``recap.Bar``."""
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="dumas-bar-track"><span class="dumas-bar" '
        'style="width:{}%"></span></td><td class="dumas-bar-value">{}</td></tr>',
        ((bar.label, f"{bar.percent:.1f}", bar.count) for bar in bars),
    )
    return format_html(
        '<table class="dumas-barchart"><caption class="visually-hidden">{}</caption>{}</table>', title, rows
    )


@register.simple_tag
def month_chart(groups, title):
    """Columns of complaints per month for the year."""
    width, height, top = 600, 180, max((group.total for group in groups), default=0)
    column = width / max(1, len(groups))
    parts = []
    for index, group in enumerate(groups):
        bar_height = (height - 40) * group.total / top if top else 0
        x = index * column
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="#0b6b3a"></rect>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{x + column * 0.15:.1f}",
                f"{height - 20 - bar_height:.1f}",
                f"{column * 0.7:.1f}",
                f"{bar_height:.1f}",
                f"{x + column / 2:.1f}",
                f"{height - 24 - bar_height:.1f}",
                group.total or "",
                f"{x + column / 2:.1f}",
                height - 4,
                str(group.label)[:3],
            )
        )
    return format_html(
        '<svg class="dumas-bars" viewBox="0 0 {} {}" role="img" aria-labelledby="{}"><title id="{}">{}</title>{}</svg>',
        width,
        height,
        _chart_id(title),
        _chart_id(title),
        title,
        mark_safe("".join(parts)),  # noqa: S308 (each part was built by format_html)
    )


def _chart_id(title) -> str:
    return "grafik-" + slugify(str(title))
