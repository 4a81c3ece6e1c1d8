"""Who may do what in the PPID app.

Three circles, from widest to narrowest:

- **Handling** a request (queue, extension, answer) and keeping the PPID page
  (profile, DIP) belongs to the PPID role covering the unit, as everywhere in
  the portal: a role at an office covers its units, so a Kanwil PPID can
  coordinate and step in for the Kankemenag below it.
- **Identity data** (full NIK, identity scans, powers of attorney) is personal
  data under UU 27/2022 and is shown only to the unit's *own* PPID: the role
  held at the request's unit itself or at its PPID home (a KUA's Kankemenag,
  where the Kasubbag TU is the PPID). An office further up coordinates with
  the masked number; it has no need for the full one.
- **Objections** are decided by the unit's own Atasan PPID (the head of that
  office): the law names the superior of the PPID that answered, not any
  head above it.

Reports are read by PPID, Atasan PPID and Pimpinan covering the unit.
The public has no account; its key to a request is the tracking link, checked
in the views, never here.
"""

from __future__ import annotations

from django.db.models import Q

from humas_portal.core import policy as core_policy
from humas_portal.core.models import Role, RoleAssignment, User, WorkUnit

from .models import OWN_PPID_KINDS, Objection, PpidRequest, ppid_home


def _holds_own(user: User, role: str, unit: WorkUnit) -> bool:
    """The role held at the unit itself or at its PPID home, not above."""
    if not (user.is_authenticated and user.is_active):
        return False
    unit_ids = {unit.pk, ppid_home(unit).pk}
    return RoleAssignment.objects.filter(
        user=user, role=role, unit_id__in=unit_ids, unit__is_active=True
    ).exists()


def can_manage_unit(user: User, unit: WorkUnit) -> bool:
    """Edit the PPID page and DIP, see the unit's queue, publish its report."""
    return core_policy.has_role(user, Role.PPID, unit)


def can_handle_request(user: User, request: PpidRequest) -> bool:
    """Open the staff page of a request, extend it, answer it."""
    return core_policy.has_role(user, Role.PPID, request.unit)


def can_view_identity(user: User, request: PpidRequest) -> bool:
    """See the full NIK / entity number and open the identity documents."""
    return _holds_own(user, Role.PPID, request.unit)


def can_decide_objection(user: User, objection: Objection) -> bool:
    return _holds_own(user, Role.ATASAN_PPID, objection.request.unit)


def can_view_request(user: User, request: PpidRequest) -> bool:
    """Staff read access: the handling PPID, or the Atasan PPID who has to
    weigh an objection against the request."""
    if can_handle_request(user, request):
        return True
    return hasattr(request, "objection") and can_decide_objection(user, request.objection)


def can_view_report(user: User, unit: WorkUnit) -> bool:
    return core_policy.has_role(user, (Role.PPID, Role.ATASAN_PPID, Role.PIMPINAN), unit)


def can_publish_report(user: User, unit: WorkUnit) -> bool:
    return core_policy.has_role(user, Role.PPID, unit)


def is_ppid_staff(user: User) -> bool:
    return core_policy.has_any_role(user, [Role.PPID, Role.ATASAN_PPID])


# --- Querysets -----------------------------------------------------------------


def request_filter(user: User) -> Q:
    """Requests the user handles, as a ``Q`` on PpidRequest."""
    return core_policy.unit_filter(user, Role.PPID)


def objection_filter(user: User) -> Q:
    """Objections the user decides: requests at a unit where the user holds
    Atasan PPID, or at a satker whose PPID home is such a unit.

    PPID homes are offices, PTKN and Balai; a satker's home is its nearest
    office, i.e. its parent office in the hierarchy, so "unit id or parent id"
    matches exactly the ``_holds_own`` rule for the shapes the ministry has.
    """
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    unit_ids = list(
        RoleAssignment.objects.filter(user=user, role=Role.ATASAN_PPID, unit__is_active=True).values_list(
            "unit_id", flat=True
        )
    )
    return Q(request__unit_id__in=unit_ids) | (
        Q(request__unit__parent_id__in=unit_ids) & ~Q(request__unit__kind__in=OWN_PPID_KINDS)
    )
