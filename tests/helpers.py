"""Small helpers shared by the apps' test fixtures."""

from humas_portal.core.models import User, WorkUnit

from .factories import UserFactory, grant


def named_user(username: str, role: str, unit: WorkUnit) -> User:
    """A user called after ``username`` (``petugas_kua`` is "Petugas Kua")
    holding ``role`` at ``unit``."""
    user = UserFactory(username=username, full_name=username.replace("_", " ").title())
    grant(user, role, unit)
    return user
