"""How deliveries and accounts move: their transition tables, declared once.

Posts are reviewed like news items (``humas_portal.core.workflow``'s
``REVIEW_TRANSITIONS``). A delivery (one post to one account) moves::

    scheduled ──claim──▶ publishing ──▶ published
        ▲                    │ ├──▶ failed        (refused for good)
        │                    │ └──▶ unconfirmed   (timed out after sending,
        │                    │                     or the worker died)
        └── rate limit, server error (backoff), media still processing
                             unconfirmed ──check──▶ published / scheduled
                                         └──▶ stays for a person

and a person may retry a failed or unconfirmed delivery, or mark it
published after finding the post on the platform. An account is active
until the platform refuses its token (it needs reconnecting) or an Admin
Humas switches it off.

Every move of ``socialmedia.publishing`` and ``socialmedia.services`` goes
through these tables with the core engine; a caller may narrow a move's
sources (``only_from``) for a reason it states, never widen them.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from humas_portal.core.workflow import StateMachine, Transition

from .models import AccountStatus, DeliveryState

# States in which a worker holds the delivery, or held it when its lease
# ran out: the outcome of its call may still land.
ACTIVE_DELIVERY_STATES = frozenset({DeliveryState.PUBLISHING, DeliveryState.UNCONFIRMED})
# States in which the machine has let go and a person decides.
STOPPED_DELIVERY_STATES = frozenset({DeliveryState.UNCONFIRMED, DeliveryState.FAILED})

DELIVERY_TRANSITIONS = StateMachine(
    # A cancelled delivery comes back when its post is approved again.
    Transition(
        "delivery_scheduled",
        frozenset({DeliveryState.CANCELLED}),
        DeliveryState.SCHEDULED,
        label=_("Pengiriman dijadwalkan"),
    ),
    Transition(
        "delivery_claimed",
        frozenset({DeliveryState.SCHEDULED}),
        DeliveryState.PUBLISHING,
        label=_("Pengiriman dimulai"),
    ),
    # By the worker holding the claim, by the check that found the post, or
    # by a person who found it.
    Transition(
        "delivery_published",
        ACTIVE_DELIVERY_STATES | STOPPED_DELIVERY_STATES,
        DeliveryState.PUBLISHED,
        label=_("Terbit di platform"),
    ),
    # By the worker (the platform refused), or because the account stopped
    # before the delivery was sent.
    Transition(
        "delivery_failed",
        ACTIVE_DELIVERY_STATES | {DeliveryState.SCHEDULED},
        DeliveryState.FAILED,
        label=_("Pengiriman gagal"),
    ),
    Transition(
        "delivery_unconfirmed",
        ACTIVE_DELIVERY_STATES,
        DeliveryState.UNCONFIRMED,
        label=_("Belum terkonfirmasi"),
    ),
    Transition(
        "delivery_rescheduled",
        ACTIVE_DELIVERY_STATES,
        DeliveryState.SCHEDULED,
        label=_("Dijadwalkan ulang"),
    ),
    Transition(
        "delivery_retried",
        STOPPED_DELIVERY_STATES,
        DeliveryState.SCHEDULED,
        label=_("Dikirim ulang"),
    ),
    Transition(
        "delivery_cancelled",
        frozenset({DeliveryState.SCHEDULED}),
        DeliveryState.CANCELLED,
        label=_("Pengiriman dibatalkan"),
    ),
    field="state",
    audit_unit=lambda delivery: delivery.post.unit,
)


def _account_stamp(transition: Transition, *, actor, note: str, now: datetime) -> dict:
    return {"status_changed_at": now}


ACCOUNT_TRANSITIONS = StateMachine(
    Transition(
        "account_needs_reconnection",
        frozenset({AccountStatus.ACTIVE}),
        AccountStatus.NEEDS_RECONNECTION,
        label=_("Perlu dihubungkan ulang"),
    ),
    # A new token was saved, or the old one works again.
    Transition(
        "account_reconnected",
        frozenset({AccountStatus.NEEDS_RECONNECTION}),
        AccountStatus.ACTIVE,
        label=_("Terhubung kembali"),
    ),
    Transition(
        "account_disabled",
        frozenset({AccountStatus.ACTIVE, AccountStatus.NEEDS_RECONNECTION}),
        AccountStatus.DISABLED,
        label=_("Nonaktifkan"),
    ),
    Transition(
        "account_enabled",
        frozenset({AccountStatus.DISABLED}),
        AccountStatus.ACTIVE,
        label=_("Aktifkan"),
    ),
    stamp=_account_stamp,
)
