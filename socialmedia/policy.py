"""Who may do what with social-media posts and accounts.

The same shape as the news desk: a Kontributor of a unit writes posts for
it; the Verifikator of the office approves, returns or rejects posts of
every unit under it; the Admin Humas of the office manages the units'
accounts, writes and schedules posts, cancels them, and handles deliveries
that need a person (retry, mark published). A role held at an office covers
every unit under it (``humas_portal.core.policy``). Pimpinan read.

Views, templates and services ask these functions; nothing else checks
roles.
"""

from __future__ import annotations

from django.db.models import QuerySet

from humas_portal.core import policy
from humas_portal.core.models import Role, User, WorkUnit
from humas_portal.core.workflow import ReviewAction, ReviewStatus

from .models import Delivery, SocialAccount, SocialPost
from .workflow import DELIVERY_TRANSITIONS, STOPPED_DELIVERY_STATES

WRITER_ROLES = (Role.KONTRIBUTOR, Role.ADMIN_HUMAS)
REVIEWER_ROLES = (Role.VERIFIKATOR,)
MANAGER_ROLES = (Role.ADMIN_HUMAS,)
VIEWER_ROLES = (Role.KONTRIBUTOR, Role.VERIFIKATOR, Role.ADMIN_HUMAS, Role.PIMPINAN)


# --- units ------------------------------------------------------------------------


def can_write(user: User, unit: WorkUnit) -> bool:
    """Write (create, edit, submit) posts for the unit."""
    return policy.has_role(user, WRITER_ROLES, unit)


def can_view_unit(user: User, unit: WorkUnit) -> bool:
    return policy.has_role(user, VIEWER_ROLES, unit)


def can_manage_accounts(user: User, unit: WorkUnit) -> bool:
    """Connect, edit, test and disable the unit's accounts."""
    return policy.has_role(user, MANAGER_ROLES, unit)


def writer_units(user: User) -> QuerySet[WorkUnit]:
    return policy.units_for(user, WRITER_ROLES)


def manager_units(user: User) -> QuerySet[WorkUnit]:
    return policy.units_for(user, MANAGER_ROLES)


def viewer_units(user: User) -> QuerySet[WorkUnit]:
    return policy.units_for(user, VIEWER_ROLES)


# --- posts ------------------------------------------------------------------------


def can_view_post(user: User, post: SocialPost) -> bool:
    return policy.has_role(user, VIEWER_ROLES, post.unit)


def can_edit_post(user: User, post: SocialPost) -> bool:
    return post.is_editable and can_write(user, post.unit)


def can_review_post(user: User, post: SocialPost) -> bool:
    """Approve, return or reject (the state decides whether it is now)."""
    return policy.has_role(user, REVIEWER_ROLES, post.unit)


def can_approve_post(user: User, post: SocialPost) -> bool:
    """Segregation of duties: a post is approved by a reviewer who did not
    write it, even when its author also holds the reviewer's role."""
    return can_review_post(user, post) and not is_author(user, post)


def is_author(user: User, post: SocialPost) -> bool:
    return post.author_id is not None and post.author_id == user.pk


def can_cancel_post(user: User, post: SocialPost) -> bool:
    """Stop an approved post's pending deliveries."""
    return policy.has_role(user, REVIEWER_ROLES + MANAGER_ROLES, post.unit)


# Which permission each review action needs; PUBLISH is the publisher's,
# never a person's.
_ACTION_CHECKS = {
    ReviewAction.SUBMIT: can_edit_post,
    ReviewAction.APPROVE: can_approve_post,
    ReviewAction.RETURN: can_review_post,
    ReviewAction.REJECT: can_review_post,
    ReviewAction.UNPUBLISH: can_cancel_post,
    ReviewAction.REDRAFT: lambda user, post: can_write(user, post.unit),
}


def can_act(user: User, post: SocialPost, action: str) -> bool:
    """Whether the user may take ``action`` on the post in its current state."""
    check = _ACTION_CHECKS.get(action)
    return check is not None and action in post.allowed_actions() and check(user, post)


def actions_for(user: User, post: SocialPost) -> list[str]:
    return [action for action in post.allowed_actions() if can_act(user, post, action)]


def visible_posts(user: User) -> QuerySet[SocialPost]:
    return SocialPost.objects.filter(policy.unit_filter(user, VIEWER_ROLES))


def review_queue(user: User) -> QuerySet[SocialPost]:
    return (
        SocialPost.objects.awaiting_review()
        .filter(policy.unit_filter(user, REVIEWER_ROLES))
        .exclude(author=user)
    )


# --- accounts and deliveries -----------------------------------------------------


def can_view_account(user: User, account: SocialAccount) -> bool:
    return policy.has_role(user, VIEWER_ROLES, account.unit)


def can_manage_account(user: User, account: SocialAccount) -> bool:
    return can_manage_accounts(user, account.unit)


def visible_accounts(user: User) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(policy.unit_filter(user, VIEWER_ROLES))


def can_manage_delivery(user: User, delivery: Delivery) -> bool:
    """Retry, or mark published after checking on the platform."""
    return policy.has_role(user, MANAGER_ROLES, delivery.post.unit)


def can_retry_delivery(user: User, delivery: Delivery) -> bool:
    return DELIVERY_TRANSITIONS.allows(delivery.state, "delivery_retried") and can_manage_delivery(
        user, delivery
    )


def can_mark_published(user: User, delivery: Delivery) -> bool:
    # The table lets the worker holding a claim publish too; a person only
    # once the machine has let go.
    return delivery.state in STOPPED_DELIVERY_STATES and can_manage_delivery(user, delivery)


def visible_deliveries(user: User) -> QuerySet[Delivery]:
    return Delivery.objects.filter(policy.unit_filter(user, VIEWER_ROLES, field="post__unit"))


# --- news ---------------------------------------------------------------------------


def can_share_news(user: User, item) -> bool:
    """Draft a post from a published news item of a unit the user writes for."""
    return item.status == ReviewStatus.PUBLISHED and can_write(user, item.unit)
