"""Template helpers of the news desk for pages of other apps: the staff
dashboard's news card."""

from django import template

from .. import desk

register = template.Library()


@register.simple_tag(takes_context=True)
def news_desk_summary(context) -> dict:
    """What the dashboard's news card counts for the signed-in user: their
    own items that wait for them as a writer, and the items waiting for
    their decision as a verifier (each ``None`` without that role)."""
    user = context["user"]
    return {"writer": desk.writer_summary(user), "to_review": desk.review_count(user)}
