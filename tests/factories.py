"""Factories for the shared core: work units, users and roles."""

import factory
from django.utils.text import slugify

from humas_portal.core.models import Role, RoleAssignment, UnitKind, User, WorkUnit


class WorkUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkUnit

    name = factory.Sequence(lambda n: f"KUA Kecamatan Contoh {n}")
    code = factory.Sequence(lambda n: f"U{n:04d}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = UnitKind.KUA
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna Contoh {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@contoh.kemenag.go.id")
    password = factory.django.Password("sandi-rahasia-123")


def grant(user: User, role: str, unit: WorkUnit) -> RoleAssignment:
    """Give ``user`` the role at ``unit`` (and forget cached roles)."""
    from humas_portal.core.policy import forget_roles

    assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
    forget_roles(user)
    return assignment


__all__ = ["WorkUnitFactory", "UserFactory", "grant", "Role", "UnitKind"]
