"""Reads of the news desk: what waits for a writer, and the list's filters
that go with it.

The writer's summary (the "Berita saya" list and the dashboard card) counts
the writer's own items in the four states that ask something of them or
tell them something: returned to them, in review, approved and waiting for
their time, published this week. Each count links to the list filtered to
exactly the items it counted, so both are built from the same filters here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, DateTimeField, F, Func, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from humas_portal.core.models import User
from humas_portal.core.workflow import ReviewStatus

from . import policy
from .models import NewsItem

# The list's query parameter (``?terbit=pekan-ini``) for "published this week".
PUBLISHED_PARAM = "terbit"
THIS_WEEK = "pekan-ini"


def _at_zone(moment, zone) -> Func:
    """``moment AT TIME ZONE zone`` in PostgreSQL: a timestamptz becomes the
    zone's wall-clock time, and a wall-clock time the timestamptz it is in
    that zone."""
    return Func(
        moment, zone, arg_joiner=" AT TIME ZONE ", template="(%(expressions)s)", output_field=DateTimeField()
    )


def week_start(now: datetime) -> Func:
    """Monday 00:00 of ``now``'s week in the zone of each row's unit, as a
    moment: the desk shows every time in the item's own unit's zone (WIB,
    WITA, WIT), so "this week" is that unit's week too, and a Kankemenag
    covering units in two zones counts each unit's own Monday."""
    zone = F("unit__timezone")
    local_monday = Func(
        Value("week"),
        _at_zone(Value(now, output_field=DateTimeField()), zone),
        function="date_trunc",
        output_field=DateTimeField(),
    )
    return _at_zone(local_monday, zone)


def published_this_week(now: datetime | None = None) -> Q:
    """Filter for the items published since Monday of this week."""
    return Q(status=ReviewStatus.PUBLISHED, published_at__gte=week_start(now or timezone.now()))


@dataclass(frozen=True)
class Waiting:
    """One line of the writer's summary: how many, and where to see them."""

    key: str
    label: str | Promise
    count: int
    url: str
    # Needs the writer's hand (returned items), shown more loudly.
    urgent: bool = False


# (key, label, filter, list parameters), in the order the summary shows them.
def _lines(now: datetime):
    return (
        (
            "returned",
            _("Dikembalikan, perlu Anda revisi"),
            Q(status=ReviewStatus.RETURNED),
            {"status": ReviewStatus.RETURNED},
        ),
        (
            "submitted",
            _("Sedang diverifikasi"),
            Q(status=ReviewStatus.SUBMITTED),
            {"status": ReviewStatus.SUBMITTED},
        ),
        (
            "scheduled",
            _("Disetujui, menunggu jadwal terbit"),
            Q(status=ReviewStatus.APPROVED),
            {"status": ReviewStatus.APPROVED},
        ),
        (
            "published_week",
            _("Terbit pekan ini"),
            published_this_week(now),
            {"status": ReviewStatus.PUBLISHED, PUBLISHED_PARAM: THIS_WEEK},
        ),
    )


def writer_summary(user: User, *, now: datetime | None = None) -> list[Waiting] | None:
    """What waits for ``user`` as a writer, counted over their own items in
    one query; ``None`` for someone who does not write news."""
    if not policy.can(user, policy.CREATE):
        return None
    lines = _lines(now or timezone.now())
    counts = (
        NewsItem.objects.filter(policy.visible_items(user), author=user)
        .order_by()
        .aggregate(**{key: Count("pk", filter=condition) for key, _label, condition, _params in lines})
    )
    base = reverse("news:desk_list")
    return [
        Waiting(
            key=key,
            label=label,
            count=counts[key],
            url=f"{base}?{urlencode({'saya': '1', **params})}",
            urgent=key == "returned" and counts[key] > 0,
        )
        for key, label, _condition, params in lines
    ]


def review_count(user: User) -> int | None:
    """How many submitted items wait for ``user``'s decision; ``None`` for
    someone who does not verify news."""
    if not policy.can(user, policy.APPROVE):
        return None
    return NewsItem.objects.filter(policy.review_queue(user)).count()
