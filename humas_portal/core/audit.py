"""Writing to the audit trail.

``audit_record`` appends one row, ``audit_record_many`` the rows of a set of
objects that went through the same change in one INSERT (the news published
as a set). Both build their rows with ``_entry``, so what a row holds is
decided in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry, User, WorkUnit


def _entry(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    content_type: ContentType,
    from_state: str,
    to_state: str,
    note: str,
    unit: WorkUnit | None,
) -> AuditEntry:
    # Filed under the object's own unit unless told otherwise; its key is
    # enough, so a set of rows needs no query for their units.
    if unit is not None:
        unit_id = unit.pk
    elif hasattr(obj, "unit_id"):
        unit_id = obj.unit_id
    else:
        unit_id = getattr(getattr(obj, "unit", None), "pk", None)
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit_id=unit_id,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


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
    entry = _entry(
        actor=actor,
        action=action,
        obj=obj,
        content_type=ContentType.objects.get_for_model(obj),
        from_state=from_state,
        to_state=to_state,
        note=note,
        unit=unit,
    )
    entry.save(force_insert=True)
    return entry


def audit_record_many(
    *,
    actor: User | None,
    action: str,
    objs: Iterable[models.Model],
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    unit_of: Callable[[models.Model], WorkUnit | None] | None = None,
) -> list[AuditEntry]:
    """Append the same audit row for each of ``objs`` (one model) in one
    INSERT; each row is the one ``audit_record`` would write, filed under
    ``unit_of(obj)`` or else the object's own unit. Call it inside the
    transaction that made the change."""
    objs = list(objs)
    if not objs:
        return []
    content_type = ContentType.objects.get_for_model(objs[0])
    return AuditEntry.objects.bulk_create(
        _entry(
            actor=actor,
            action=action,
            obj=obj,
            content_type=content_type,
            from_state=from_state,
            to_state=to_state,
            note=note,
            unit=unit_of(obj) if unit_of is not None else None,
        )
        for obj in objs
    )


def history_for(obj: models.Model):
    """The audit rows of one object, oldest first, with their actors."""
    return (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )
