"""Who may do what with complaints. Every view and service asks here.

- **Complaint officers** (Petugas Dumas) of a complaint are those whose role
  covers its unit (a role at a Kankemenag covers its KUA and madrasah) or the
  unit it was assigned to. They handle it and are the only ones who see a
  confidential complainant's identity.
- **Whistleblowing** is different: only officers who cover the *office*
  (the Kankemenag, or the Kanwil above it) see it at all. An officer, head or
  anyone else at the unit complained about never does, not even that it
  exists.
- **Readers** (Pimpinan and Admin Humas covering the unit) and the person a
  complaint is assigned to see the complaint and its history, but the
  identity only when the complainant chose to be identified.
- Staff record walk-in, WhatsApp, phone, email and letter complaints for the
  units where they are officers; officers and Admin Humas manage QR
  locations; officers and readers see the recap of what they may see.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from humas_portal.core import policy as core_policy
from humas_portal.core.models import Role, RoleAssignment, User, WorkUnit

from .models import Complaint
from .workflow import (
    ASSIGNABLE_STATUSES,
    COMPLAINT_TRANSITIONS,
    ComplaintKind,
    ComplaintStatus,
    IdentityMode,
)

OFFICER = Role.PETUGAS_DUMAS
READERS = (Role.PIMPINAN, Role.ADMIN_HUMAS)
LOCATION_MANAGERS = (Role.PETUGAS_DUMAS, Role.ADMIN_HUMAS)
RECAP_ROLES = (Role.PETUGAS_DUMAS, Role.PIMPINAN, Role.ADMIN_HUMAS)

# Actions beyond the status transitions.
ASSIGN = "assign"
REPORT = "report"
# Follow-up reports make sense once the complaint is accepted and worked on.
REPORTABLE_STATUSES = frozenset({ComplaintStatus.VERIFIED, ComplaintStatus.IN_FOLLOW_UP})


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_officer_for(user: User, complaint: Complaint) -> bool:
    if not _signed_in(user):
        return False
    if complaint.kind == ComplaintKind.WHISTLEBLOWING:
        return core_policy.has_role(user, OFFICER, complaint.office)
    if core_policy.has_role(user, OFFICER, complaint.unit):
        return True
    return complaint.assigned_unit is not None and core_policy.has_role(
        user, OFFICER, complaint.assigned_unit
    )


def can_view(user: User, complaint: Complaint) -> bool:
    if not _signed_in(user):
        return False
    if is_officer_for(user, complaint):
        return True
    if complaint.kind == ComplaintKind.WHISTLEBLOWING:
        return False
    if complaint.assignee_id and complaint.assignee_id == user.pk:
        return True
    if core_policy.has_role(user, READERS, complaint.unit):
        return True
    return complaint.assigned_unit is not None and core_policy.has_role(
        user, READERS, complaint.assigned_unit
    )


def can_view_identity(user: User, complaint: Complaint) -> bool:
    """Whether the complainant's name and contacts may be shown to ``user``."""
    if complaint.identity_mode == IdentityMode.ANONYMOUS:
        return False
    if complaint.identity_mode == IdentityMode.IDENTIFIED:
        return can_view(user, complaint)
    return is_officer_for(user, complaint)


def can_act(user: User, complaint: Complaint, action: str) -> bool:
    """Status transitions and assignment are for the complaint's officers;
    follow-up reports also for the person it was assigned to. The state
    check is ``allowed_actions``; this is the permission."""
    if action == REPORT:
        return complaint.status in REPORTABLE_STATUSES and (
            is_officer_for(user, complaint) or (_signed_in(user) and complaint.assignee_id == user.pk)
        )
    if action == ASSIGN or action in COMPLAINT_TRANSITIONS:
        return is_officer_for(user, complaint)
    return False


def allowed_actions(user: User, complaint: Complaint) -> list[str]:
    """The transitions ``user`` can apply to the complaint as it stands."""
    if not is_officer_for(user, complaint):
        return []
    return COMPLAINT_TRANSITIONS.allowed(complaint.status)


def can_assign(user: User, complaint: Complaint) -> bool:
    return complaint.status in ASSIGNABLE_STATUSES and can_act(user, complaint, ASSIGN)


def assignment_units(complaint: Complaint) -> QuerySet[WorkUnit]:
    """Units a complaint may be assigned to: under the complaint's office.
    Whistleblowing stays with the office itself, never the unit reported
    (so a report about the office itself goes to no unit, only to the
    officers above, see ``assignable_people``)."""
    if complaint.kind == ComplaintKind.WHISTLEBLOWING:
        return WorkUnit.objects.filter(pk=complaint.office_id).exclude(pk=complaint.unit_id)
    return WorkUnit.objects.active().under(complaint.office)


def assignable_people(complaint: Complaint) -> QuerySet[User]:
    """People a complaint may be assigned to: anyone holding a role in the
    office or its units, plus officers above it.

    A whistleblowing report goes only to officers of the office or above,
    and never to anyone who holds a role, any role, at the unit it is about:
    an officer who also writes the news of the KUA reported on, or, for a
    report about the office itself, the office's own officers (it then goes
    to the officers above). ``complaint_assign`` refuses anyone not listed.
    """
    officers = core_policy.users_with_role(OFFICER, complaint.office)
    if complaint.kind == ComplaintKind.WHISTLEBLOWING:
        return officers.exclude(pk__in=RoleAssignment.objects.filter(unit=complaint.unit).values("user_id"))
    in_office = User.objects.filter(
        is_active=True,
        role_assignments__unit__path__startswith=complaint.office.path,
        role_assignments__unit__is_active=True,
    )
    return User.objects.filter(Q(pk__in=officers.values("pk")) | Q(pk__in=in_office.values("pk"))).order_by(
        "full_name", "username"
    )


def visible_filter(user: User) -> Q:
    """A ``Q`` on ``Complaint`` matching exactly what ``can_view`` allows."""
    if not _signed_in(user):
        return Q(pk__in=[])
    officer = core_policy.unit_filter(user, OFFICER, "unit") | core_policy.unit_filter(
        user, OFFICER, "assigned_unit"
    )
    reader = core_policy.unit_filter(user, READERS, "unit") | core_policy.unit_filter(
        user, READERS, "assigned_unit"
    )
    ordinary = ~Q(kind=ComplaintKind.WHISTLEBLOWING) & (officer | reader | Q(assignee=user))
    whistleblowing = Q(kind=ComplaintKind.WHISTLEBLOWING) & core_policy.unit_filter(user, OFFICER, "office")
    return ordinary | whistleblowing


def visible_complaints(user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(visible_filter(user))


def can_use_desk(user: User) -> bool:
    return _signed_in(user) and (
        core_policy.has_any_role(user, [OFFICER, *READERS])
        or Complaint.objects.filter(assignee=user).exists()
    )


def can_record(user: User, unit: WorkUnit) -> bool:
    return _signed_in(user) and core_policy.has_role(user, OFFICER, unit)


def record_units(user: User) -> QuerySet[WorkUnit]:
    return core_policy.units_for(user, OFFICER) if _signed_in(user) else WorkUnit.objects.none()


def can_manage_locations(user: User, unit: WorkUnit) -> bool:
    return _signed_in(user) and core_policy.has_role(user, LOCATION_MANAGERS, unit)


def location_units(user: User) -> QuerySet[WorkUnit]:
    return core_policy.units_for(user, LOCATION_MANAGERS) if _signed_in(user) else WorkUnit.objects.none()


def can_view_recap(user: User) -> bool:
    return _signed_in(user) and core_policy.has_any_role(user, RECAP_ROLES)


def recap_units(user: User) -> QuerySet[WorkUnit]:
    return core_policy.units_for(user, RECAP_ROLES) if _signed_in(user) else WorkUnit.objects.none()
