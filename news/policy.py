"""Who may do what on the news desk.

Every view and service of the news app asks ``can``; nothing else in the app
looks at roles. Roles are those of ``humas_portal.core.policy``: a role held
at an office covers the office and every unit under it, a role held at a
satker covers that satker only.

- Kontributor: writes for the unit where they hold the role: creates drafts,
  edits them while they are editable (draft or returned) and submits them;
  sees every item of that unit.
- Verifikator (Kasubbag TU): approves, returns or rejects submitted items of
  the office and every unit under it; sees them all.
- Admin Humas (Pranata Humas): writes and submits like a contributor for
  every unit under the office, schedules approved items, unpublishes and
  re-opens items, and manages categories.
- Pimpinan: reads.

Nobody approves or schedules an item they wrote, even when they hold a
writer's and a verifier's role over its unit (``NOT_BY_AUTHOR``): another
officer does, and the item is not in its author's review queue.

A draft under review (submitted or approved) is locked: nobody edits it until
the verifier returns it or it is re-opened. Nobody acts outside their subtree.

Whether the item's *state* allows a transition is decided once, by
``humas_portal.core.workflow``; ``can`` answers for the person and the unit
(plus the edit lock) and ``available_actions`` combines both for the buttons.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from humas_portal.core import policy
from humas_portal.core.models import Role, User, WorkUnit
from humas_portal.core.workflow import ReviewAction, ReviewStatus

from .models import NewsItem

VIEW = "view"
CREATE = "create"
EDIT = "edit"
SUBMIT = ReviewAction.SUBMIT.value
APPROVE = ReviewAction.APPROVE.value
RETURN = ReviewAction.RETURN.value
REJECT = ReviewAction.REJECT.value
SCHEDULE = "schedule"
UNPUBLISH = ReviewAction.UNPUBLISH.value
REDRAFT = ReviewAction.REDRAFT.value
MANAGE_CATEGORIES = "manage_categories"

WRITER_ROLES = (Role.KONTRIBUTOR, Role.ADMIN_HUMAS)
REVIEWER_ROLES = (Role.VERIFIKATOR,)
DESK_ADMIN_ROLES = (Role.ADMIN_HUMAS,)
VIEWER_ROLES = (Role.KONTRIBUTOR, Role.VERIFIKATOR, Role.ADMIN_HUMAS, Role.PIMPINAN)

# Which roles may take each action on an item (or in a unit), before the
# edit lock and the workflow's state rules are applied.
ROLES_FOR_ACTION: dict[str, tuple[str, ...]] = {
    VIEW: VIEWER_ROLES,
    CREATE: WRITER_ROLES,
    EDIT: WRITER_ROLES,
    SUBMIT: WRITER_ROLES,
    APPROVE: REVIEWER_ROLES,
    RETURN: REVIEWER_ROLES,
    REJECT: REVIEWER_ROLES,
    SCHEDULE: DESK_ADMIN_ROLES,
    UNPUBLISH: DESK_ADMIN_ROLES,
    REDRAFT: DESK_ADMIN_ROLES,
    MANAGE_CATEGORIES: DESK_ADMIN_ROLES,
}

ACTIONS = frozenset(ROLES_FOR_ACTION)

# Segregation of duties: the actions that put an item before the public are
# never taken by its author, even one who also holds the verifier or Admin
# Humas role over its unit; another officer of the office takes them.
NOT_BY_AUTHOR = frozenset({APPROVE, SCHEDULE})

# The desk actions that are workflow transitions, checked against the
# workflow's table for the buttons a user sees.
TRANSITION_ACTIONS = frozenset({SUBMIT, APPROVE, RETURN, REJECT, UNPUBLISH, REDRAFT})


def can(user: User, action: str, item: NewsItem | None = None, unit: WorkUnit | None = None) -> bool:
    """Whether ``user`` may take ``action`` on ``item`` (or, for ``create``,
    in ``unit``). Without an item or unit, whether the user may take the
    action anywhere (to show a menu entry)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown news action: {action}")
    if not user.is_authenticated or not user.is_active:
        return False
    roles = ROLES_FOR_ACTION[action]
    if item is not None:
        unit = item.unit
    if unit is None:
        return policy.has_any_role(user, roles)
    if not policy.has_role(user, roles, unit):
        return False
    if action in NOT_BY_AUTHOR and item is not None and is_author(user, item):
        return False
    if action == EDIT and item is not None and not item.is_editable:
        # Locked while under review or after approval.
        return False
    return True


def is_author(user: User, item: NewsItem) -> bool:
    return item.author_id is not None and item.author_id == user.pk


def own_item_message() -> str:
    return _("Berita yang Anda tulis sendiri disetujui dan dijadwalkan oleh petugas lain.")


def available_actions(user: User, item: NewsItem) -> set[str]:
    """The actions ``user`` may take on ``item`` in its current state: the
    buttons to show. Services still check again when the button is used."""
    allowed_by_state = set(item.allowed_actions())
    actions = set()
    for action in ACTIONS - {CREATE, MANAGE_CATEGORIES}:
        if action in TRANSITION_ACTIONS and action not in allowed_by_state:
            continue
        if action == SCHEDULE and item.status != ReviewStatus.APPROVED:
            continue
        if can(user, action, item=item):
            actions.add(action)
    return actions


def editable_units(user: User) -> QuerySet[WorkUnit]:
    """Units the user may write news for (the unit choices of the form)."""
    return policy.units_for(user, WRITER_ROLES)


def reviewable_units(user: User) -> QuerySet[WorkUnit]:
    """Units whose submitted news the user verifies."""
    return policy.units_for(user, REVIEWER_ROLES)


def visible_items(user: User) -> Q:
    """Filter for the news items (any state) the user sees on the desk."""
    return policy.unit_filter(user, VIEWER_ROLES)


def visible_drafts(user: User) -> Q:
    """Filter for the unpublished work the user sees on the desk."""
    return visible_items(user) & ~Q(status=ReviewStatus.PUBLISHED)


def review_queue(user: User) -> Q:
    """Filter for the submitted items the user has to decide: not their own
    (see ``NOT_BY_AUTHOR``)."""
    return policy.unit_filter(user, REVIEWER_ROLES) & Q(status=ReviewStatus.SUBMITTED) & ~Q(author=user)
