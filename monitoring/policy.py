"""Who may see the monitoring pages and export the yearly evaluation.

Every monitoring view and service asks ``can``; nothing else in the app
looks at roles. A role held at an office covers the office and every unit
under it (``humas_portal.core.policy``), so the figures a person sees are
those of an office they cover.

- Pimpinan, Admin Humas and Verifikator (Kasubbag TU) see the dashboard and
  the leaderboard of an office they cover.
- Pimpinan and Admin Humas, who evaluate the units' humas work each year,
  request the yearly evaluation export and download it. The files belong to
  the office, not to whoever asked: anyone who may export for the office may
  download any of its exports.
- Everyone else (contributors, PPID and Dumas officers, people without a
  role) is refused.

The figures are counts of published work and of service backlogs; they show
no personal data. Whistleblowing reports are never counted (see
``selectors``), because only the office's complaint officers may know they
exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from humas_portal.core import policy
from humas_portal.core.models import OFFICE_KINDS, Role, RoleAssignment, User, WorkUnit

VIEW_DASHBOARD = "view_dashboard"
VIEW_LEADERBOARD = "view_leaderboard"
REQUEST_EXPORT = "request_export"
DOWNLOAD_EXPORT = "download_export"

MONITOR_ROLES = (Role.PIMPINAN, Role.ADMIN_HUMAS, Role.VERIFIKATOR)
EVALUATOR_ROLES = (Role.PIMPINAN, Role.ADMIN_HUMAS)

ROLES_FOR_ACTION: dict[str, tuple[str, ...]] = {
    VIEW_DASHBOARD: MONITOR_ROLES,
    VIEW_LEADERBOARD: MONITOR_ROLES,
    REQUEST_EXPORT: EVALUATOR_ROLES,
    DOWNLOAD_EXPORT: EVALUATOR_ROLES,
}

ACTIONS = frozenset(ROLES_FOR_ACTION)


def can(user: User, action: str, office: WorkUnit | None = None) -> bool:
    """Whether ``user`` may take ``action`` for ``office`` (and the units
    under it); without an office, whether they may anywhere (a menu entry)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown monitoring action: {action}")
    if not user.is_authenticated or not user.is_active:
        return False
    roles = ROLES_FOR_ACTION[action]
    if office is None:
        return policy.has_any_role(user, roles)
    if not office.is_active:
        return False
    return policy.has_role(user, roles, office)


def offices_for(user: User, action: str) -> QuerySet[WorkUnit]:
    """The units whose monitoring ``user`` may open for ``action``: every
    office they cover (a Kanwil's Pimpinan also opens each Kankemenag below
    it) and the units where they hold the role themselves (a PTKN runs its
    own humas although it is no office). Ordered as the hierarchy reads."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown monitoring action: {action}")
    if not user.is_authenticated or not user.is_active:
        return WorkUnit.objects.none()
    roles = ROLES_FOR_ACTION[action]
    held_here = RoleAssignment.objects.filter(user=user, role__in=roles).values("unit_id")
    return (
        policy.units_for(user, roles).filter(Q(kind__in=OFFICE_KINDS) | Q(pk__in=held_here)).order_by("path")
    )
