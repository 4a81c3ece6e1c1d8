"""Who holds which role where.

A role held at an office covers the office and every unit under it, so a
Kasubbag TU of a Kankemenag verifies for all its KUA and madrasah. The app
policies (``news.policy`` …) build their answers from these questions, and
every view and service asks an app policy rather than checking roles itself.

Role lookups are cached on the user object for the length of a request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import Role, RoleAssignment, User, WorkUnit

_CACHE_ATTR = "_humas_role_paths"


def _role_paths(user: User) -> dict[str, list[str]]:
    """``{role: [unit path, …]}`` for the user's assignments in active units."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    paths: dict[str, list[str]] = {}
    if user.is_authenticated and user.is_active:
        rows = RoleAssignment.objects.filter(user=user, unit__is_active=True).values_list(
            "role", "unit__path"
        )
        for role, path in rows:
            paths.setdefault(role, []).append(path)
    setattr(user, _CACHE_ATTR, paths)
    return paths


def forget_roles(user: User) -> None:
    """Drop the per-request cache after the user's assignments changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: User) -> set[str]:
    return set(_role_paths(user))


def has_role(user: User, role: str | Iterable[str], unit: WorkUnit) -> bool:
    """Whether the user holds ``role`` (or one of several) at ``unit`` or at an
    office above it."""
    roles = [role] if isinstance(role, str) else list(role)
    paths = _role_paths(user)
    return any(unit.path.startswith(p) for r in roles for p in paths.get(r, ()))


def has_any_role(user: User, roles: Iterable[str] | None = None) -> bool:
    paths = _role_paths(user)
    return any(paths.get(r) for r in (roles or Role.values))


def unit_filter(user: User, role: str | Iterable[str], field: str = "unit") -> Q:
    """A ``Q`` matching objects whose ``field`` unit the user covers with the
    role; matches nothing when the user holds no such role."""
    roles = [role] if isinstance(role, str) else list(role)
    prefixes = sorted({p for r in roles for p in _role_paths(user).get(r, ())})
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    query = Q(pk__in=[])
    for prefix in prefixes:
        query |= Q(**{lookup: prefix})
    return query


def units_for(user: User, role: str | Iterable[str]) -> QuerySet[WorkUnit]:
    """Every active unit the user covers with the role."""
    return WorkUnit.objects.active().filter(unit_filter(user, role, field=""))


def users_with_role(role: str | Iterable[str], unit: WorkUnit) -> QuerySet[User]:
    """Active users who hold the role at the unit or an office above it: the
    people to notify when something in ``unit`` awaits them."""
    roles = [role] if isinstance(role, str) else list(role)
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=roles,
            role_assignments__unit_id__in=unit.ancestor_ids(),
        )
        .distinct()
        .order_by("pk")
    )
