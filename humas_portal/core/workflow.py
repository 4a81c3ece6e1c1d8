"""The one transition engine of the portal, and the editorial review workflow.

Every state machine of the portal is a ``StateMachine``: a table of
``Transition`` rows declared once, in the app that owns the state (the
review below, shared by news items and social-media posts; social-media
deliveries and accounts in ``socialmedia.workflow``; PPID requests and
objections in ``ppid.workflow``; complaints in ``dumas.workflow``). The
table is the only place that says which move is allowed from where; pages
ask it (``allowed``) for the buttons they show.

Every state change then runs through one of three functions here:

- ``transition_apply``, for a person's action (or a worker's move of a row
  it holds): asks the permission, locks the row, checks its state against
  the table, applies the change, writes the audit row and queues the side
  effects after commit.
- ``transition_claim``, for workers: one conditional UPDATE that only
  matches while the row is still in a source state, so of two workers (or
  a retried task and the beat sweep) exactly one wins; only the winner
  writes the audit row and queues side effects.
- ``transition_claim_set``, for workers moving many rows at once (due news
  published as a set): the same claim for up to ``limit`` rows in one
  statement, skipping rows another caller holds, with one INSERT for their
  audit rows.

The core knows no app: apps pass their table, their policy callable and
their side effects in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, models, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import audit_record, audit_record_many

Row = TypeVar("Row", bound=models.Model)
# ``permitted(actor, obj)``: whether the actor may take the action on the
# object as they saw it; an app's policy function.
Permission = Callable[[Any, Any], bool]


class WorkflowError(Exception):
    """A transition refused for a reason the user can act on; ``str(error)``
    is the Indonesian message to show."""


@dataclass(frozen=True)
class Transition:
    """One allowed move of a state machine."""

    action: str
    sources: frozenset[str]
    target: str
    # A note the actor must write, and the message shown when it is missing.
    note_required: bool = False
    note_missing_message: str | Promise = ""
    # Whether the note is shown to the public (a complainant's tracking page).
    note_is_public: bool = False
    # How the action is named to users; by default the label of the action's
    # choice (``ReviewAction.SUBMIT.label``).
    label: str | Promise = ""
    # What the audit trail calls the move, where the table's name for it is
    # ambiguous in an object's merged history; by default the action.
    audit_action: str = ""

    def __post_init__(self):
        if not self.label:
            object.__setattr__(self, "label", getattr(self.action, "label", str(self.action)))
        if not self.audit_action:
            object.__setattr__(self, "audit_action", str(self.action))


def _no_stamp(transition: Transition, *, actor, note: str, now: datetime) -> dict[str, Any]:
    return {}


class StateMachine(Mapping[str, Transition]):
    """A table of transitions over one field of one model, keyed by action.

    ``stamp(transition, actor=, note=, now=)`` returns the fields every move
    of this machine sets besides the state (when the status changed, who
    decided); ``audit_unit(obj)`` the unit an audit row is filed under, when
    it is not the object's own ``unit``.
    """

    def __init__(
        self,
        *transitions: Transition,
        field: str = "status",
        stamp: Callable[..., dict[str, Any]] = _no_stamp,
        audit_unit: Callable[[Any], Any] | None = None,
    ):
        self._by_action = {str(t.action): t for t in transitions}
        if len(self._by_action) != len(transitions):
            raise ValueError("Every action of a state machine is declared once.")
        self.field = field
        self.stamp = stamp
        self.audit_unit = audit_unit

    def __getitem__(self, action: str) -> Transition:
        return self._by_action[str(action)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_action)

    def __len__(self) -> int:
        return len(self._by_action)

    def allowed(self, state: str) -> list[str]:
        """The actions ``state`` allows, whoever asks, in table order."""
        return [action for action, t in self._by_action.items() if state in t.sources]

    def allows(self, state: str, action: str) -> bool:
        return state in self[action].sources

    def sources_of(self, action: str, only_from: Collection[str] | None = None) -> frozenset[str]:
        """The states ``action`` may start from, narrowed by ``only_from``
        (a caller may narrow the table, never widen it)."""
        sources = self[action].sources
        if only_from is None:
            return sources
        narrowed = frozenset(only_from)
        if not narrowed <= sources:
            raise ValueError(f"{action} is not declared from {sorted(narrowed - sources)}")
        return narrowed

    def target_values(
        self, transition: Transition, *, actor, note: str, now: datetime, changes: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """What a move writes: the machine's stamp, the caller's changes and
        the target state, which nothing may override."""
        return {
            **self.stamp(transition, actor=actor, note=note, now=now),
            **(changes or {}),
            self.field: transition.target,
        }

    def record(self, row: models.Model, transition: Transition, *, actor, from_state: str, note: str) -> None:
        """The audit row of one move, filed under the machine's unit."""
        audit_record(
            actor=actor,
            action=transition.audit_action,
            obj=row,
            from_state=from_state,
            to_state=transition.target,
            note=note,
            unit=self.audit_unit(row) if self.audit_unit else None,
        )

    def refusal(self, action: str, obj: models.Model) -> WorkflowError:
        """The error naming the state that does not allow ``action``."""
        return WorkflowError(
            _("Tindakan “%(action)s” tidak dapat dilakukan karena statusnya “%(status)s”.")
            % {
                "action": self[action].label,
                "status": getattr(obj, f"get_{self.field}_display")(),
            }
        )


def by_system(actor, obj) -> bool:
    """The permission of moves only the portal itself makes (a worker, the
    beat sweep, a cascade of an action already allowed): no person may."""
    return actor is None


def transition_apply(
    obj: Row,
    action: str,
    *,
    machine: StateMachine,
    actor,
    permitted: Permission,
    note: str = "",
    only_from: Collection[str] | None = None,
    validate: Callable[[], None] | None = None,
    check: Callable[[Row], None] | None = None,
    changes: Mapping[str, Any] | Callable[[Row, datetime], Mapping[str, Any]] | None = None,
    effects: Callable[[Row], None] | None = None,
    on_commit: Callable[[Row], None] | None = None,
    audit_note: str | Callable[[Row], str] | None = None,
    queryset: models.QuerySet | None = None,
    denied_message: str | Promise | None = None,
) -> Row:
    """Move ``obj`` through ``action`` of ``machine`` and return the fresh,
    locked row.

    In this order: ``permitted(actor, obj)`` is asked about the object as the
    actor saw it (``PermissionDenied`` with ``denied_message``); a required
    note is checked, and ``validate()`` checks the rest of the actor's input
    (it raises); the row is locked (``queryset`` picks related rows to
    load with it); its state is checked against the table, narrowed by
    ``only_from`` (``WorkflowError`` naming the state); ``check(locked)`` may
    refuse for reasons beyond the state (it raises). Then the target state,
    the machine's stamp and ``changes`` (values, or a function of the locked
    row and the time) are saved, the audit row is written (``audit_note``,
    by default the note), ``effects(locked)`` writes what belongs to the same
    change (messages, outbox rows), and ``on_commit(locked)`` runs once the
    transaction commits.

    The lock is what makes two people clicking at once safe: the second one
    waits, then sees the new state and gets a ``WorkflowError``.
    """
    if not permitted(actor, obj):
        raise PermissionDenied(denied_message or _("Anda tidak berwenang melakukan tindakan ini."))
    transition = machine[action]
    sources = machine.sources_of(action, only_from)
    note = (note or "").strip()
    if transition.note_required and not note:
        raise WorkflowError(str(transition.note_missing_message))
    if validate is not None:
        validate()
    rows = queryset if queryset is not None else type(obj)._default_manager.all()
    with transaction.atomic():
        locked = rows.select_for_update(of=("self",)).get(pk=obj.pk)
        from_state = getattr(locked, machine.field)
        if from_state not in sources:
            raise machine.refusal(action, locked)
        if check is not None:
            check(locked)
        now = timezone.now()
        values = machine.target_values(
            transition,
            actor=actor,
            note=note,
            now=now,
            changes=changes(locked, now) if callable(changes) else changes,
        )
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        machine.record(
            locked, transition, actor=actor, from_state=from_state, note=_audit_note(audit_note, note, locked)
        )
        if effects is not None:
            effects(locked)
        if on_commit is not None:
            transaction.on_commit(partial(on_commit, locked))
    return locked


def transition_claim(
    rows: type[Row] | models.QuerySet,
    pk: Any,
    action: str,
    *,
    machine: StateMachine,
    note: str | Callable[[Row], str] = "",
    only_from: Collection[str] | None = None,
    changes: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    load: models.QuerySet | None = None,
    on_commit: Callable[[Row], None] | None = None,
) -> Row | None:
    """Apply ``action`` to row ``pk`` only if it is still in a source state
    (and among ``rows``, a model or a queryset of the rows that qualify,
    such as "due"), with a conditional UPDATE; returns the claimed row
    (loaded through ``load``), or ``None`` when another caller won or the
    row moved on.

    For the portal's own moves (workers, sweeps); nobody is asked for a
    permission and the audit row has no actor. Each source state is tried
    with an UPDATE of its own, so the audit row names the state the row
    really left; a row matches at most one of them, and at most one caller.
    Only the winner writes the audit row and queues ``on_commit(row)``.
    ``changes`` may hold expressions (``F("attempts") + 1``).
    """
    transition = machine[action]
    values = machine.target_values(
        transition, actor=None, note="", now=now or timezone.now(), changes=changes
    )
    if isinstance(rows, type):
        rows = rows._default_manager.all()
    with transaction.atomic(using=rows.db):
        for source in sorted(machine.sources_of(action, only_from)):
            if rows.filter(pk=pk, **{machine.field: source}).update(**values):
                break
        else:
            return None
        claimed = (load if load is not None else rows.model._default_manager.all()).get(pk=pk)
        machine.record(
            claimed, transition, actor=None, from_state=source, note=_audit_note(note, "", claimed)
        )
        if on_commit is not None:
            transaction.on_commit(partial(on_commit, claimed))
    return claimed


def transition_claim_set(
    candidates: models.QuerySet,
    action: str,
    *,
    machine: StateMachine,
    limit: int,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    now: datetime | None = None,
    load: models.QuerySet | None = None,
) -> list[models.Model]:
    """Claim up to ``limit`` rows of ``candidates`` (in its order) that are
    in a source state of ``action``; returns the claimed rows, loaded
    through ``load``, their audit rows written with one INSERT.

    Call it inside the transaction that does the rest of the work
    (``TransactionManagementError`` otherwise): the claimed rows stay locked
    until it commits, and a rollback un-claims them. For the portal's own
    moves, like ``transition_claim``; ``changes`` hold plain values here.
    """
    model = candidates.model
    transition = machine[action]
    values = machine.target_values(
        transition, actor=None, note="", now=now or timezone.now(), changes=changes
    )
    due = candidates.filter(**{f"{machine.field}__in": sorted(transition.sources)})
    connection = connections[candidates.db]
    if not connection.in_atomic_block:
        # Its own transaction would commit the claim before the caller's
        # work, and a failure of that work would leave the rows claimed.
        raise TransactionManagementError("transition_claim_set runs inside the caller's transaction.")
    claimed = _claim_skipping_locked(due, machine.field, values, limit=limit)
    if not claimed:
        return []
    rows = list((load if load is not None else model._default_manager.all()).filter(pk__in=claimed))
    rows.sort(key=lambda row: row.pk)
    for from_state in sorted(set(claimed.values())):
        audit_record_many(
            actor=None,
            action=transition.audit_action,
            objs=[row for row in rows if claimed[row.pk] == from_state],
            from_state=from_state,
            to_state=transition.target,
            note=note,
            unit_of=machine.audit_unit,
        )
    return rows


def _claim_skipping_locked(
    due: models.QuerySet, state_field: str, values: Mapping[str, Any], *, limit: int
) -> dict[Any, str]:
    """One statement: lock up to ``limit`` due rows, skipping rows another
    caller holds, and move them; returns {pk: the state each left}."""
    model = due.model
    connection = connections[due.db]
    quote = connection.ops.quote_name
    meta = model._meta
    # FOR UPDATE SKIP LOCKED: rows another caller is claiming are left to it
    # rather than waited for; rows it claimed meanwhile no longer match (the
    # condition is checked again on the locked row). The due rows are a CTE,
    # which PostgreSQL runs once: as ``pk IN (subquery)`` the planner may
    # rescan the subquery, and each rescan skips the rows the first one
    # locked and takes the next ones, claiming far more than ``limit``.
    locked = due.select_for_update(skip_locked=True, of=("self",)).values_list("pk", state_field)[:limit]
    due_sql, due_params = locked.query.sql_with_params()
    assignments, set_params = [], []
    for name, value in values.items():
        model_field = meta.get_field(name)
        assignments.append(f"{quote(model_field.column)} = %s")
        set_params.append(model_field.get_db_prep_save(value, connection))
    state_column = quote(meta.get_field(state_field).column)
    pk_column = quote(meta.pk.column)
    sql = f"""
        WITH due (claimed_pk, claimed_from) AS ({due_sql})
        UPDATE {quote(meta.db_table)} AS claimed SET {", ".join(assignments)}
        FROM due
        WHERE claimed.{pk_column} = due.claimed_pk AND claimed.{state_column} = due.claimed_from
        RETURNING claimed.{pk_column}, due.claimed_from
    """  # noqa: S608 - names are our own models' fields, quoted; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*due_params, *set_params])
        return dict(cursor.fetchall())


def _audit_note(audit_note, note: str, row) -> str:
    if audit_note is None:
        return note
    return audit_note(row) if callable(audit_note) else str(audit_note)


# --- The editorial review ---------------------------------------------------------
#
# A contributor writes a draft and submits it; a Verifikator (Kasubbag TU)
# approves it, returns it for revision with a note, or rejects it with a
# reason; approved content is published (at once or at its scheduled time)
# and published content can be taken down with a reason. News items and
# social-media posts are both ``ReviewableModel``s moved by this table.


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draf")
    SUBMITTED = "submitted", gettext_lazy("Menunggu verifikasi")
    RETURNED = "returned", gettext_lazy("Dikembalikan untuk revisi")
    REJECTED = "rejected", gettext_lazy("Ditolak")
    APPROVED = "approved", gettext_lazy("Disetujui, menunggu terbit")
    PUBLISHED = "published", gettext_lazy("Terbit")
    UNPUBLISHED = "unpublished", gettext_lazy("Diturunkan")


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", gettext_lazy("Ajukan untuk verifikasi")
    APPROVE = "approve", gettext_lazy("Setujui")
    RETURN = "return", gettext_lazy("Kembalikan untuk revisi")
    REJECT = "reject", gettext_lazy("Tolak")
    PUBLISH = "publish", gettext_lazy("Terbitkan")
    UNPUBLISH = "unpublish", gettext_lazy("Turunkan")
    REDRAFT = "redraft", gettext_lazy("Buka kembali sebagai draf")


_DECISIONS = frozenset({ReviewAction.APPROVE, ReviewAction.RETURN, ReviewAction.REJECT})


def _review_stamp(transition: Transition, *, actor, note: str, now: datetime) -> dict[str, Any]:
    # A submission starts a new round (last round's note no longer applies);
    # a decision records who decided, when, and what they wrote.
    if transition.action == ReviewAction.SUBMIT:
        return {"submitted_at": now, "review_note": ""}
    if transition.action in _DECISIONS:
        return {"decided_at": now, "decided_by": actor, "review_note": note}
    return {}


REVIEW_TRANSITIONS = StateMachine(
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
        note_missing_message=gettext_lazy("Tuliskan catatan revisi untuk penulis."),
    ),
    Transition(
        ReviewAction.REJECT,
        frozenset({ReviewStatus.SUBMITTED}),
        ReviewStatus.REJECTED,
        note_required=True,
        note_missing_message=gettext_lazy("Tuliskan alasan penolakan."),
    ),
    Transition(ReviewAction.PUBLISH, frozenset({ReviewStatus.APPROVED}), ReviewStatus.PUBLISHED),
    Transition(
        ReviewAction.UNPUBLISH,
        frozenset({ReviewStatus.PUBLISHED, ReviewStatus.APPROVED}),
        ReviewStatus.UNPUBLISHED,
        note_required=True,
        note_missing_message=gettext_lazy("Tuliskan alasan penurunan."),
    ),
    Transition(
        ReviewAction.REDRAFT,
        frozenset({ReviewStatus.UNPUBLISHED, ReviewStatus.REJECTED}),
        ReviewStatus.DRAFT,
    ),
    stamp=_review_stamp,
)

# While under review or after approval the author can no longer change the
# content; they get it back when it is returned (or re-opened as a draft).
EDITABLE_STATUSES = frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})


class ReviewableModel(models.Model):
    """Fields every reviewable object carries; subclasses add their content."""

    status = models.CharField(
        gettext_lazy("status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(gettext_lazy("diajukan"), null=True, blank=True)
    decided_at = models.DateTimeField(gettext_lazy("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(gettext_lazy("catatan verifikator"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def allowed_actions(self) -> list[str]:
        """Actions the current state allows, whoever asks."""
        return REVIEW_TRANSITIONS.allowed(self.status)
