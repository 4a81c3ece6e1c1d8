"""Template helpers of the social-media app: permission questions for
templates of other apps (the news desk's share button, the dashboard) and
the badges of delivery states."""

from django import template
from django.db.models import Q

from humas_portal.core.workflow import ReviewStatus

from .. import policy
from ..models import AccountStatus, DeliveryState, SocialAccount

register = template.Library()

_STATE_BADGES = {
    DeliveryState.PUBLISHED: "",
    DeliveryState.SCHEDULED: "warning",
    DeliveryState.PUBLISHING: "warning",
    DeliveryState.UNCONFIRMED: "danger",
    DeliveryState.FAILED: "danger",
    DeliveryState.CANCELLED: "",
}


@register.simple_tag(takes_context=True)
def social_can_share(context, item) -> bool:
    """Whether the current user may draft a social post from this news item."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and policy.can_share_news(user, item))


@register.filter
def at_handle(handle: str) -> str:
    """A user name with one "@": stored bare, but a platform (YouTube's
    customUrl, a pasted name) may bring its own."""
    handle = (handle or "").strip().lstrip("@")
    return f"@{handle}" if handle else ""


# A sign beside each calendar entry's state, so the kinds differ in shape
# as well as colour; the state's name is always written next to it.
_CALENDAR_SYMBOLS = {
    ReviewStatus.DRAFT: "✎",
    ReviewStatus.SUBMITTED: "⧗",
    ReviewStatus.RETURNED: "↩",
    DeliveryState.SCHEDULED: "◷",
    DeliveryState.PUBLISHING: "➚",
    DeliveryState.PUBLISHED: "✓",
    DeliveryState.UNCONFIRMED: "?",
    DeliveryState.FAILED: "⚠",
}


@register.filter
def calendar_symbol(state: str) -> str:
    return _CALENDAR_SYMBOLS.get(state, "•")


@register.filter
def delivery_badge(state: str) -> str:
    return _STATE_BADGES.get(state, "")


@register.simple_tag(takes_context=True)
def social_dashboard(context) -> dict:
    """What the dashboard card shows this user, each count only for the
    roles that act on it."""
    user = context["request"].user
    info = {
        "can_view": policy.viewer_units(user).exists(),
        "can_write": policy.writer_units(user).exists(),
        "can_manage": policy.manager_units(user).exists(),
        "to_review": 0,
        "returned": 0,
        "attention": 0,
        "reconnect": 0,
    }
    if not info["can_view"]:
        return info
    info["to_review"] = policy.review_queue(user).count()
    if info["can_write"]:
        info["returned"] = (
            policy.visible_posts(user).filter(author=user, status=ReviewStatus.RETURNED).count()
        )
    if info["can_manage"]:
        managed = policy.manager_units(user)
        info["attention"] = (
            policy.visible_deliveries(user)
            .filter(post__unit__in=managed, state__in=(DeliveryState.UNCONFIRMED, DeliveryState.FAILED))
            .count()
        )
        info["reconnect"] = SocialAccount.objects.filter(
            Q(unit__in=managed), status=AccountStatus.NEEDS_RECONNECTION
        ).count()
    return info
