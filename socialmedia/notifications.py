"""Emails of the social-media app. Each is sent from a task queued after
the change committed; the recipients are whoever holds the role now."""

from __future__ import annotations

from django.conf import settings

from humas_portal.core.models import Role
from humas_portal.core.notify import send_templated_email
from humas_portal.core.policy import users_with_role

from .models import SocialAccount, SocialPost


def post_submitted(*, post_id: int) -> int:
    """Tell the Verifikator of the post's office that a post awaits them."""
    post = SocialPost.objects.select_related("unit", "author").filter(pk=post_id).first()
    if post is None:
        return 0
    recipients = users_with_role(Role.VERIFIKATOR, post.unit).values_list("email", flat=True)
    return send_templated_email(
        to=recipients,
        template="socialmedia/email/post_submitted",
        context={"post": post, "url": settings.SITE_URL + post.get_absolute_url()},
    )


def post_decided(*, post_id: int) -> int:
    """Tell the author what the Verifikator decided, with the note."""
    post = SocialPost.objects.select_related("unit", "author", "decided_by").filter(pk=post_id).first()
    if post is None or not post.author.email:
        return 0
    return send_templated_email(
        to=[post.author.email],
        template="socialmedia/email/post_decided",
        context={"post": post, "url": settings.SITE_URL + post.get_absolute_url()},
    )


def account_needs_reconnection(*, account_id: int) -> int:
    """Tell the unit's Admin Humas that an account's token was refused. The
    platform's message is included; the token never is."""
    account = SocialAccount.objects.select_related("unit").filter(pk=account_id).first()
    if account is None:
        return 0
    recipients = users_with_role(Role.ADMIN_HUMAS, account.unit).values_list("email", flat=True)
    return send_templated_email(
        to=recipients,
        template="socialmedia/email/account_needs_reconnection",
        context={"account": account, "url": settings.SITE_URL + account.get_absolute_url()},
    )
