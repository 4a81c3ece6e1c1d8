"""How information requests and objections move: their transition tables,
declared once.

A request is received, may be extended once, is answered with a written
notice, and is closed by the sweep once nothing can follow any more. An
objection (keberatan) is filed and answered by the Atasan PPID. Every
service of ``ppid.services`` that changes a status goes through these
tables with the core engine (``humas_portal.core.workflow``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from humas_portal.core.workflow import StateMachine, Transition

from .models import ObjectionStatus, RequestStatus

REQUEST_TRANSITIONS = StateMachine(
    Transition(
        "extend",
        frozenset({RequestStatus.RECEIVED}),
        RequestStatus.EXTENDED,
        label=_("Perpanjang"),
    ),
    Transition(
        "answer",
        frozenset({RequestStatus.RECEIVED, RequestStatus.EXTENDED}),
        RequestStatus.ANSWERED,
        label=_("Jawab"),
    ),
    Transition("close", frozenset({RequestStatus.ANSWERED}), RequestStatus.CLOSED, label=_("Tutup")),
)

OBJECTION_TRANSITIONS = StateMachine(
    Transition(
        "answer",
        frozenset({ObjectionStatus.FILED}),
        ObjectionStatus.ANSWERED,
        label=_("Tanggapi keberatan"),
        # A request's page shows its objection's history merged with its own,
        # where a bare "answer" would read as the request's answer.
        audit_action="objection_answer",
    ),
    # An objection has no unit of its own; its rows are filed under the
    # request's.
    audit_unit=lambda objection: objection.request.unit,
)
