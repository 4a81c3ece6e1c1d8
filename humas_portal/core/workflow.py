"""The editorial review workflow shared by news items and social-media posts.

A contributor writes a draft and submits it; a Verifikator (Kasubbag TU)
approves it, returns it for revision with a note, or rejects it with a
reason; approved content is published (at once or at its scheduled time) and
published content can be taken down with a reason.

The allowed transitions are declared once, in ``REVIEW_TRANSITIONS``. Apps
decide *who* may act in their policy module; this module decides *whether*
the object's state allows it, changes the state under a row lock and writes
the audit row, so every reviewable model behaves the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .audit import audit_record


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Menunggu verifikasi")
    RETURNED = "returned", _("Dikembalikan untuk revisi")
    REJECTED = "rejected", _("Ditolak")
    APPROVED = "approved", _("Disetujui, menunggu terbit")
    PUBLISHED = "published", _("Terbit")
    UNPUBLISHED = "unpublished", _("Diturunkan")


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Ajukan untuk verifikasi")
    APPROVE = "approve", _("Setujui")
    RETURN = "return", _("Kembalikan untuk revisi")
    REJECT = "reject", _("Tolak")
    PUBLISH = "publish", _("Terbitkan")
    UNPUBLISH = "unpublish", _("Turunkan")
    REDRAFT = "redraft", _("Buka kembali sebagai draf")


@dataclass(frozen=True)
class Transition:
    """One allowed move of a state machine; every app declares its table of
    these once (the review table below, PPID requests, Dumas complaints)."""

    action: str
    sources: frozenset[str]
    target: str
    # A note the actor must write, and the message shown when it is missing.
    note_required: bool = False
    note_missing_message: str | Promise = ""
    # Whether the note is shown to the public (a complainant's tracking page).
    note_is_public: bool = False
    # How the action is named to users where the action has no choices label.
    label: str | Promise = ""


REVIEW_TRANSITIONS: Mapping[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            ReviewAction.SUBMIT,
            frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED}),
            ReviewStatus.SUBMITTED,
        ),
        Transition(ReviewAction.APPROVE, frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.APPROVED),
        Transition(
            ReviewAction.RETURN,
            frozenset({ReviewStatus.SUBMITTED}),
            ReviewStatus.RETURNED,
            note_required=True,
            note_missing_message=_("Tuliskan catatan revisi untuk penulis."),
        ),
        Transition(
            ReviewAction.REJECT,
            frozenset({ReviewStatus.SUBMITTED}),
            ReviewStatus.REJECTED,
            note_required=True,
            note_missing_message=_("Tuliskan alasan penolakan."),
        ),
        Transition(ReviewAction.PUBLISH, frozenset({ReviewStatus.APPROVED}), ReviewStatus.PUBLISHED),
        Transition(
            ReviewAction.UNPUBLISH,
            frozenset({ReviewStatus.PUBLISHED, ReviewStatus.APPROVED}),
            ReviewStatus.UNPUBLISHED,
            note_required=True,
            note_missing_message=_("Tuliskan alasan penurunan."),
        ),
        Transition(
            ReviewAction.REDRAFT,
            frozenset({ReviewStatus.UNPUBLISHED, ReviewStatus.REJECTED}),
            ReviewStatus.DRAFT,
        ),
    )
}

# While under review or after approval the author can no longer change the
# content; they get it back when it is returned (or re-opened as a draft).
EDITABLE_STATUSES = frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})


class WorkflowError(Exception):
    """A transition refused for a reason the user can act on; ``str(error)``
    is the Indonesian message to show."""


class ReviewableModel(models.Model):
    """Fields every reviewable object carries; subclasses add their content."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("catatan verifikator"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def allowed_actions(self) -> list[str]:
        """Actions the current state allows, whoever asks."""
        return [a for a, t in REVIEW_TRANSITIONS.items() if self.status in t.sources]


Reviewable = TypeVar("Reviewable", bound=ReviewableModel)


def apply_transition(
    obj: Reviewable,
    action: str,
    *,
    actor,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> Reviewable:
    """Move ``obj`` through ``action`` and return the fresh row.

    The caller has already checked the actor's permission. The row is locked
    so that two verifiers clicking at once cannot both decide: the second one
    sees the new state and gets a ``WorkflowError``. ``changes`` are extra
    field values saved with the new status.
    """
    transition = REVIEW_TRANSITIONS[action]
    note = (note or "").strip()
    if transition.note_required and not note:
        raise WorkflowError(str(transition.note_missing_message))
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.status not in transition.sources:
            raise WorkflowError(
                str(
                    _("Tindakan “%(action)s” tidak dapat dilakukan karena statusnya “%(status)s”.")
                    % {
                        "action": ReviewAction(action).label,
                        "status": locked.get_status_display(),
                    }
                )
            )
        from_state = locked.status
        locked.status = transition.target
        now = timezone.now()
        if action == ReviewAction.SUBMIT:
            locked.submitted_at = now
            locked.review_note = ""
        elif action in (ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.REJECT):
            locked.decided_at = now
            locked.decided_by = actor
            locked.review_note = note
        for field, value in (changes or {}).items():
            setattr(locked, field, value)
        locked.save()
        audit_record(
            actor=actor,
            action=action,
            obj=locked,
            from_state=from_state,
            to_state=locked.status,
            note=note,
        )
    return locked


def claim_transition(
    model: type[Reviewable],
    pk: int,
    action: str,
    *,
    actor=None,
    note: str = "",
    filters: dict[str, Any] | None = None,
    condition: models.Q | None = None,
    changes: dict[str, Any] | None = None,
) -> bool:
    """Apply ``action`` to row ``pk`` only if it is still in a source state,
    with one conditional UPDATE; returns whether this caller won.

    Workers use this instead of ``apply_transition`` so that two workers (or a
    retried task and the beat sweep) racing for the same row never both act:
    exactly one UPDATE matches, and only the winner writes the audit row and
    queues side effects. ``filters`` and ``condition`` (a ``Q``, for an OR
    such as "no publish time or already due") narrow the rows that qualify.
    """
    transition = REVIEW_TRANSITIONS[action]
    with transaction.atomic():
        won = model.objects.filter(
            condition or models.Q(), pk=pk, status__in=transition.sources, **(filters or {})
        ).update(status=transition.target, **(changes or {}))
        if won:
            obj = model.objects.get(pk=pk)
            # The UPDATE's old value is not returned; every claimable
            # transition has a single meaningful source.
            from_state = sorted(transition.sources)[0] if len(transition.sources) == 1 else ""
            audit_record(
                actor=actor,
                action=action,
                obj=obj,
                from_state=from_state,
                to_state=transition.target,
                note=note,
            )
    return bool(won)
