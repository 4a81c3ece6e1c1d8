"""Writing to the audit trail."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry, User, WorkUnit


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    unit: WorkUnit | None = None,
) -> AuditEntry:
    """Append one audit row for ``obj``; call it inside the transaction that
    makes the change, so the change and its record land together."""
    if unit is None:
        unit = getattr(obj, "unit", None)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit=unit,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def history_for(obj: models.Model):
    """The audit rows of one object, oldest first, with their actors."""
    return (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )
