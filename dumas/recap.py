"""The monthly recap per unit: how many complaints of which kind came
through which channel, where they stand, how long verification and answers
took, and how satisfied complainants were.

The recap counts only what the viewer may see (``dumas.policy``), so a
unit's head never learns from a count that a whistleblowing report about
the unit exists.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from humas_portal.core.models import User, WorkUnit
from humas_portal.core.workdays import working_days_between

from . import policy
from .workflow import Channel, ComplaintKind, ComplaintStatus

MONTH_NAMES = [
    "",
    gettext_lazy("Januari"),
    gettext_lazy("Februari"),
    gettext_lazy("Maret"),
    gettext_lazy("April"),
    gettext_lazy("Mei"),
    gettext_lazy("Juni"),
    gettext_lazy("Juli"),
    gettext_lazy("Agustus"),
    gettext_lazy("September"),
    gettext_lazy("Oktober"),
    gettext_lazy("November"),
    gettext_lazy("Desember"),
]


def month_name(month: int) -> str:
    return str(MONTH_NAMES[month]) if 1 <= month <= 12 else ""


@dataclass
class Bar:
    label: str
    count: int
    percent: float = 0.0


@dataclass
class Group:
    """Counts and durations of one slice (a unit, a month, everything)."""

    label: str = ""
    total: int = 0
    answered: int = 0
    verify_days: list[int] = field(default_factory=list)
    answer_days: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    @staticmethod
    def _mean(values) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    @property
    def avg_verify_days(self) -> float | None:
        return self._mean(self.verify_days)

    @property
    def avg_answer_days(self) -> float | None:
        return self._mean(self.answer_days)

    @property
    def avg_rating(self) -> float | None:
        return self._mean(self.ratings)


@dataclass
class Recap:
    year: int
    month: int | None
    unit: WorkUnit | None
    overall: Group
    by_kind: list[Bar]
    by_channel: list[Bar]
    by_status: list[Bar]
    rating_distribution: list[Bar]
    per_unit: list[Group]
    per_month: list[Group]

    @property
    def period_label(self) -> str:
        if self.month:
            return f"{month_name(self.month)} {self.year}"
        return str(self.year)


def _bars(counter: Counter, choices) -> list[Bar]:
    bars = [Bar(label=str(label), count=counter.get(value, 0)) for value, label in choices]
    top = max((bar.count for bar in bars), default=0)
    for bar in bars:
        bar.percent = round(bar.count * 100 / top, 1) if top else 0.0
    return bars


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    # Months are read in the portal's zone (WIB) so that every unit's
    # numbers add up to the office's; a complaint filed at 00:30 WITA on the
    # first of a month still counts in the month before.
    zone = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year, 12, 31, 23, 59, 59, 999999, tzinfo=zone)


def build_recap(*, user: User, year: int, month: int | None = None, unit: WorkUnit | None = None) -> Recap:
    # One query for the whole year: the monthly trend needs every month even
    # when the recap shows one.
    start, end = _year_bounds(year)
    rows = policy.visible_complaints(user).filter(received_at__range=(start, end))
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    rows = rows.values_list(
        "unit_id",
        "unit__name",
        "unit__timezone",
        "kind",
        "channel",
        "status",
        "received_at",
        "verified_at",
        "answered_at",
        "rating",
    ).order_by("received_at")

    zone = timezone.get_default_timezone()
    overall = Group(label=_("Semua"))
    units: dict[int, Group] = {}
    months = {number: Group(label=month_name(number)) for number in range(1, 13)}
    kinds, channels, statuses, ratings = Counter(), Counter(), Counter(), Counter()

    for unit_id, unit_name, unit_zone, kind, channel, status, received, verified, answered, rating in rows:
        received_month = timezone.localtime(received, zone).month
        month_group = months[received_month]
        groups = [month_group]
        if month is None or received_month == month:
            if unit_id not in units:
                units[unit_id] = Group(label=unit_name)
            groups += [overall, units[unit_id]]
            kinds[kind] += 1
            channels[channel] += 1
            statuses[status] += 1
            if rating:
                ratings[rating] += 1
        tz = zoneinfo.ZoneInfo(unit_zone)
        verify_days = (
            working_days_between(
                timezone.localtime(received, tz).date(), timezone.localtime(verified, tz).date()
            )
            if verified
            else None
        )
        answer_days = (answered - received).total_seconds() / 86400 if answered else None
        for group in groups:
            group.total += 1
            if verify_days is not None:
                group.verify_days.append(verify_days)
            if answer_days is not None:
                group.answered += 1
                group.answer_days.append(answer_days)
            if rating:
                group.ratings.append(rating)

    return Recap(
        year=year,
        month=month,
        unit=unit,
        overall=overall,
        by_kind=_bars(kinds, ComplaintKind.choices),
        by_channel=_bars(channels, Channel.choices),
        by_status=_bars(statuses, ComplaintStatus.choices),
        rating_distribution=_bars(ratings, [(n, f"{n} ★") for n in range(5, 0, -1)]),
        per_unit=sorted(units.values(), key=lambda group: (-group.total, group.label)),
        per_month=[months[number] for number in range(1, 13)],
    )
