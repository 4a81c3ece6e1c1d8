"""Template helpers of the PPID app: the dashboard card and audit labels."""

from django import template
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from humas_portal.core.models import Role, RoleAssignment
from humas_portal.core.policy import has_any_role, unit_filter

from .. import policy
from ..models import Objection, ObjectionStatus, PpidProfile, PpidRequest, local_today

register = template.Library()

ACTION_LABELS = {
    "submit": _("permohonan diterima"),
    "extend": _("diperpanjang"),
    "answer": _("pemberitahuan tertulis"),
    "close": _("ditutup"),
    "objection_file": _("keberatan diajukan"),
    "objection_answer": _("keberatan ditanggapi"),
    "identity_view": _("melihat NIK lengkap"),
    "identity_document_view": _("membuka dokumen identitas"),
    "identity_purge": _("data identitas dihapus"),
    "link_reissue": _("tautan pelacakan dikirim ulang"),
}


@register.filter
def ppid_action(action: str) -> str:
    """An audit action as staff read it."""
    return str(ACTION_LABELS.get(action, action))


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
