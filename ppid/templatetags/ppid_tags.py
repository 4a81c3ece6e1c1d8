"""What the PPID card on the staff dashboard shows."""

from django import template
from django.db.models import Count

from humas_portal.core.models import Role, RoleAssignment
from humas_portal.core.policy import has_any_role, unit_filter

from .. import policy
from ..models import Objection, ObjectionStatus, PpidProfile, PpidRequest, local_today

register = template.Library()


@register.simple_tag
def ppid_dashboard(user):
    """Per PPID unit the user covers: open and overdue requests; for an
    Atasan PPID: objections waiting. Empty for anyone else."""
    card = {"units": [], "without_page": [], "objections_waiting": None, "objections_overdue": 0}
    if has_any_role(user, [Role.PPID]):
        profiles = list(
            PpidProfile.objects.filter(unit_filter(user, Role.PPID))
            .filter(unit__is_active=True)
            .select_related("unit")
        )
        counts = {}
        if profiles:
            # One grouped query for every unit's open requests; overdue is
            # decided per unit because "today" depends on its time zone.
            rows = (
                PpidRequest.objects.open()
                .filter(unit__in=[p.unit for p in profiles])
                .with_effective_due()
                .values("unit_id", "effective_due")
                .annotate(n=Count("id"))
            )
            for row in rows:
                counts.setdefault(row["unit_id"], []).append((row["effective_due"], row["n"]))
        for profile in profiles:
            today = local_today(profile.unit)
            dues = counts.get(profile.unit_id, [])
            card["units"].append(
                {
                    "unit": profile.unit,
                    "open": sum(n for _due, n in dues),
                    "overdue": sum(n for due, n in dues if due < today),
                }
            )
        # Units where the user is PPID but no page exists yet: a first step.
        with_page = {p.unit_id for p in profiles}
        card["without_page"] = [
            a.unit
            for a in RoleAssignment.objects.filter(
                user=user, role=Role.PPID, unit__is_active=True
            ).select_related("unit")
            if a.unit_id not in with_page
        ]
    if has_any_role(user, [Role.ATASAN_PPID]):
        waiting = list(
            Objection.objects.filter(
                policy.objection_filter(user), status=ObjectionStatus.FILED
            ).select_related("request__unit")
        )
        card["objections_waiting"] = len(waiting)
        card["objections_overdue"] = sum(1 for o in waiting if o.is_overdue())
    card["visible"] = bool(card["units"] or card["without_page"]) or card["objections_waiting"] is not None
    return card
