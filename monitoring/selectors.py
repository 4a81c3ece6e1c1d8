"""Reads behind the monitoring pages, the weekly email and the yearly
evaluation: figures per unit of an office, from the news, social-media, PPID
and Dumas tables.

Every figure is one aggregate query with ``GROUP BY`` over all the units of
the office at once (``values(...).annotate(...)``), never one query per
unit, so a dashboard costs the same number of queries for 3 units as for
300. Months are counted in the office's own zone (WIB, WITA or WIT); "today"
for a deadline or for the days since a unit last published is read in each
unit's own zone.

Definitions (the same on the dashboard, in the email and in the export):

- *News published*: items whose status is published, counted in the month
  of their ``published_at``. Items taken down since are not counted.
- *Priority program coverage*: published items per priority program; a unit
  covers a program when it published at least one item of it.
- *Social posts*: deliveries (one post on one account) that went out, by the
  platform of the account and the unit of the post.
- *Days since last published*: since the later of the unit's last published
  news item and its last social post that went out. A unit is silent when
  that is more than ``MONITORING_SILENT_DAYS`` days, or when it never
  published.
- *Approval time*: from ``submitted_at`` to ``decided_at`` of news items
  decided (approved, returned or rejected) in the period. Both fields hold
  the latest submission and decision, so an item returned and submitted
  again counts its last round; an item waiting again after a return is left
  out until it is decided.
- *PPID requests*: open (received or extended) and, of those, past their
  deadline (the extended one when there is one) in the unit's zone.
- *Dumas complaints*: open and, of those, past the deadline of their current
  stage (``Complaint.objects.overdue``). Whistleblowing reports are never
  counted: only the office's complaint officers may know they exist.

The named filters used from the other apps are ``NewsItem.objects.published``
and ``awaiting_review``, ``SocialPost.objects.awaiting_review``,
``PpidRequest.objects.open`` and ``with_effective_due``, and
``Complaint.objects.open`` and ``overdue``. PPID's own ``overdue`` takes a
single "today"; an office's PPID units may sit in another zone than the
office, so the zone-aware equivalent is written here (``_ppid_overdue_q``).
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, FloatField, Func, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dumas.models import Complaint
from dumas.workflow import OPEN_STATUSES as DUMAS_OPEN_STATUSES
from dumas.workflow import ComplaintKind, ComplaintStatus
from humas_portal.core.models import OFFICE_KINDS, UnitTimeZone, WorkUnit
from news.models import NewsItem, PriorityProgram
from ppid.models import OPEN_STATUSES as PPID_OPEN_STATUSES
from ppid.models import PpidRequest
from socialmedia.models import Delivery, DeliveryState, Platform, SocialPost

MONTH_ABBREVIATIONS = [
    _("Jan"),
    _("Feb"),
    _("Mar"),
    _("Apr"),
    _("Mei"),
    _("Jun"),
    _("Jul"),
    _("Agu"),
    _("Sep"),
    _("Okt"),
    _("Nov"),
    _("Des"),
]

SECONDS_PER_HOUR = 3600.0


# --- Periods -----------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.month)

    @property
    def label(self) -> str:
        return f"{MONTH_ABBREVIATIONS[self.month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        return str(MONTH_ABBREVIATIONS[self.month - 1])


@dataclass(frozen=True)
class Period:
    """Whole days ``first_day`` … ``last_day`` in ``tz``, as the aware
    instants ``start`` (inclusive) and ``end`` (exclusive)."""

    first_day: date
    last_day: date
    tz: zoneinfo.ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=self.tz)

    def months(self) -> list[Month]:
        months = []
        year, month = self.first_day.year, self.first_day.month
        while (year, month) <= (self.last_day.year, self.last_day.month):
            months.append(Month(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first_of_next - timedelta(days=1)


def last_twelve_months(tz: zoneinfo.ZoneInfo, now: datetime | None = None) -> Period:
    """The current month (whole) and the eleven before it, in ``tz``."""
    today = timezone.localtime(now or timezone.now(), tz).date()
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return Period(date(year, month, 1), _month_end(today.year, today.month), tz)


def calendar_year(year: int, tz: zoneinfo.ZoneInfo) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), tz)


def month_period(year: int, month: int, tz: zoneinfo.ZoneInfo) -> Period:
    return Period(date(year, month, 1), _month_end(year, month), tz)


# --- Units -------------------------------------------------------------------


def office_units(office: WorkUnit, *, as_of: datetime | None = None) -> list[WorkUnit]:
    """The office and every active unit under it, in hierarchy order, each
    with ``last_news_at`` and ``last_social_at``: its latest publication on
    the website and on social media up to ``as_of`` (now by default).

    The two latest dates are correlated subqueries that walk the per-unit
    index from the newest end and stop at the first row, so one query serves
    any number of units without scanning their whole history.
    """
    as_of = as_of or timezone.now()
    last_news = (
        NewsItem.objects.published()
        .filter(unit=OuterRef("pk"), published_at__isnull=False, published_at__lt=as_of)
        .order_by("-published_at", "-id")
        .values("published_at")[:1]
    )
    last_social = (
        Delivery.objects.filter(
            post__unit=OuterRef("pk"),
            state=DeliveryState.PUBLISHED,
            published_at__isnull=False,
            published_at__lt=as_of,
        )
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    return list(
        WorkUnit.objects.active()
        .under(office)
        .annotate(last_news_at=Subquery(last_news), last_social_at=Subquery(last_social))
        .order_by("path")
    )


def own_circle(office: WorkUnit, units: list[WorkUnit]) -> list[WorkUnit]:
    """Of ``units`` (the office's subtree), those this office coaches itself:
    the office, the offices right below it, and every other unit whose
    nearest office is this one. A Kanwil's email lists its Kankemenag, not
    each KUA of each Kankemenag, which have their own office's email."""
    office_paths = {u.path for u in units if u.kind in OFFICE_KINDS and u.pk != office.pk}
    circle = []
    for unit in units:
        # The nearest office strictly above the unit, within the subtree.
        ancestors = [p for p in office_paths if unit.path.startswith(p) and p != unit.path]
        if not ancestors:
            circle.append(unit)
    return circle


def unit_label(unit: WorkUnit) -> str:
    return unit.short_name or unit.name


# --- Figures per unit --------------------------------------------------------


def news_per_unit_month(unit_ids: list[int], period: Period) -> dict[int, dict[tuple[int, int], int]]:
    """``{unit_id: {(year, month): published items}}`` in one query."""
    rows = (
        NewsItem.objects.published()
        .filter(unit_id__in=unit_ids, published_at__gte=period.start, published_at__lt=period.end)
        .annotate(month=TruncMonth("published_at", tzinfo=period.tz))
        .values("unit_id", "month")
        .annotate(items=Count("id"))
        .order_by()
    )
    result: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    for row in rows:
        month = (
            timezone.localtime(row["month"], period.tz) if timezone.is_aware(row["month"]) else row["month"]
        )
        result[row["unit_id"]][(month.year, month.month)] = row["items"]
    return result


def news_per_unit_program(unit_ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """``{unit_id: {priority_program: published items}}`` in one query; the
    program is ``""`` for items that name none."""
    rows = (
        NewsItem.objects.published()
        .filter(unit_id__in=unit_ids, published_at__gte=period.start, published_at__lt=period.end)
        .values("unit_id", "priority_program")
        .annotate(items=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["unit_id"]][row["priority_program"]] = row["items"]
    return result


def social_per_unit_platform(unit_ids: list[int], period: Period) -> dict[int, dict[str, int]]:
    """``{unit_id: {platform: posts that went out}}`` in one query."""
    rows = (
        Delivery.objects.filter(
            state=DeliveryState.PUBLISHED,
            post__unit_id__in=unit_ids,
            published_at__gte=period.start,
            published_at__lt=period.end,
        )
        .values("post__unit_id", "account__platform")
        .annotate(posts=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["post__unit_id"]][row["account__platform"]] = row["posts"]
    return result


@dataclass(frozen=True)
class ApprovalStats:
    decided: int = 0
    median_hours: float | None = None
    average_hours: float | None = None


class _EpochSeconds(Func):
    """Seconds in a PostgreSQL interval. ``date_part`` gives a double at
    once, where ``EXTRACT`` would compute an exact numeric per row first."""

    template = "date_part('epoch', %(expressions)s)"
    output_field = FloatField()


def _decided_in(unit_ids: list[int], period: Period):
    return (
        NewsItem.objects.filter(unit_id__in=unit_ids, submitted_at__isnull=False)
        .filter(decided_at__gte=period.start, decided_at__lt=period.end)
        .filter(decided_at__gte=F("submitted_at"))
    )


def _hours_or_none(seconds: float | None) -> float | None:
    return seconds / SECONDS_PER_HOUR if seconds is not None else None


def approval_times(unit_ids: list[int], period: Period) -> tuple[dict[int, ApprovalStats], ApprovalStats]:
    """Approval time per unit and for all of them together: how many news
    items were decided in the period, and the median and average hours from
    submission to decision.

    One query computes both levels: ``GROUPING SETS`` reads the decided
    items once and aggregates them per unit and in total (the median cannot
    be derived from the units' medians).
    """
    durations = (
        _decided_in(unit_ids, period)
        .annotate(seconds=_EpochSeconds(F("decided_at") - F("submitted_at")))
        .values("unit_id", "seconds")
        .order_by()
    )
    inner, params = durations.query.sql_with_params()
    # The inner query is Django's own SQL with its parameters kept apart.
    sql = (
        "SELECT unit_id, GROUPING(unit_id), COUNT(*), "  # noqa: S608
        "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY seconds), AVG(seconds) "
        f"FROM ({inner}) AS decided GROUP BY GROUPING SETS ((unit_id), ())"
    )
    per_unit: dict[int, ApprovalStats] = {}
    overall = ApprovalStats()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, is_total, decided, median, average in cursor.fetchall():
            stats = ApprovalStats(decided, _hours_or_none(median), _hours_or_none(average))
            if is_total:
                overall = stats if decided else ApprovalStats()
            else:
                per_unit[unit_id] = stats
    return per_unit, overall


def _today_by_zone(now: datetime) -> dict[str, date]:
    return {zone: timezone.localtime(now, zoneinfo.ZoneInfo(zone)).date() for zone in UnitTimeZone.values}


def _ppid_overdue_q(now: datetime) -> Q:
    """Open requests past their (extended) deadline in their unit's zone;
    needs ``with_effective_due``."""
    query = Q(pk__in=[])
    for zone, today in _today_by_zone(now).items():
        query |= Q(unit__timezone=zone, effective_due__lt=today)
    return query


@dataclass(frozen=True)
class Backlog:
    open: int = 0
    overdue: int = 0


def ppid_backlog(unit_ids: list[int], now: datetime) -> dict[int, Backlog]:
    """Open and overdue information requests per PPID unit, in one query."""
    rows = (
        PpidRequest.objects.open()
        .with_effective_due()
        .filter(unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(open_count=Count("id"), overdue_count=Count("id", filter=_ppid_overdue_q(now)))
        .order_by()
    )
    return {row["unit_id"]: Backlog(row["open_count"], row["overdue_count"]) for row in rows}


def dumas_backlog(unit_ids: list[int], now: datetime) -> dict[int, Backlog]:
    """Open and overdue complaints per unit complained about, in one query;
    whistleblowing left out (see the module docstring)."""
    overdue = Complaint.objects.overdue(now).filter(unit_id__in=unit_ids).values("pk")
    rows = (
        Complaint.objects.open()
        .filter(unit_id__in=unit_ids)
        .exclude(kind=ComplaintKind.WHISTLEBLOWING)
        .values("unit_id")
        .annotate(open_count=Count("id"), overdue_count=Count("id", filter=Q(pk__in=overdue)))
        .order_by()
    )
    return {row["unit_id"]: Backlog(row["open_count"], row["overdue_count"]) for row in rows}


@dataclass(frozen=True)
class PpidYear:
    """Requests received in a year and what became of them."""

    received: int = 0
    answered: int = 0
    answered_late: int = 0
    open: int = 0
    overdue: int = 0


def ppid_year(unit_ids: list[int], year: int, now: datetime) -> dict[int, PpidYear]:
    """Per PPID unit, the requests received in ``year`` (their date of
    receipt in the unit's zone): how many, answered, answered after the
    (extended) deadline, still open, and open past the deadline today."""
    is_open = Q(status__in=PPID_OPEN_STATUSES)
    rows = (
        PpidRequest.objects.received_in(year)
        .with_effective_due()
        .filter(unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=Q(decided_on__isnull=False)),
            answered_late=Count("id", filter=Q(decided_on__gt=F("effective_due"))),
            open_count=Count("id", filter=is_open),
            overdue_count=Count("id", filter=is_open & _ppid_overdue_q(now)),
        )
        .order_by()
    )
    return {
        row["unit_id"]: PpidYear(
            row["received"], row["answered"], row["answered_late"], row["open_count"], row["overdue_count"]
        )
        for row in rows
    }


@dataclass(frozen=True)
class DumasYear:
    """Complaints received in a period and where they stand."""

    received: int = 0
    finished: int = 0
    open: int = 0
    overdue: int = 0


def dumas_year(unit_ids: list[int], period: Period, now: datetime) -> dict[int, DumasYear]:
    """Per unit complained about, the complaints received in ``period``
    (whistleblowing left out): how many, answered or closed, still open, and
    past the deadline of their current stage today."""
    overdue = Complaint.objects.overdue(now).filter(unit_id__in=unit_ids).values("pk")
    rows = (
        Complaint.objects.filter(
            unit_id__in=unit_ids, received_at__gte=period.start, received_at__lt=period.end
        )
        .exclude(kind=ComplaintKind.WHISTLEBLOWING)
        .values("unit_id")
        .annotate(
            received=Count("id"),
            finished=Count("id", filter=Q(status__in=(ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED))),
            open_count=Count("id", filter=Q(status__in=DUMAS_OPEN_STATUSES)),
            overdue_count=Count("id", filter=Q(pk__in=overdue)),
        )
        .order_by()
    )
    return {
        row["unit_id"]: DumasYear(row["received"], row["finished"], row["open_count"], row["overdue_count"])
        for row in rows
    }


# --- Activity ----------------------------------------------------------------


@dataclass
class Activity:
    """When a unit last published, and how many days ago that is in its own
    zone; ``days`` is None when it never published."""

    unit: WorkUnit
    last_news_at: datetime | None
    last_social_at: datetime | None
    days: int | None
    is_silent: bool

    @property
    def last_published_at(self) -> datetime | None:
        moments = [m for m in (self.last_news_at, self.last_social_at) if m is not None]
        return max(moments) if moments else None


def activity_of(unit: WorkUnit, now: datetime, silent_days: int) -> Activity:
    """Reads the annotations of ``office_units``."""
    news_at = getattr(unit, "last_news_at", None)
    social_at = getattr(unit, "last_social_at", None)
    moments = [m for m in (news_at, social_at) if m is not None]
    if moments:
        today = timezone.localtime(now, unit.tzinfo).date()
        days = (today - timezone.localtime(max(moments), unit.tzinfo).date()).days
    else:
        days = None
    return Activity(unit, news_at, social_at, days, days is None or days > silent_days)


# --- The dashboard -----------------------------------------------------------


@dataclass
class UnitFigures:
    unit: WorkUnit
    activity: Activity
    news_by_month: list[int] = field(default_factory=list)
    news_total: int = 0
    programs: dict[str, int] = field(default_factory=dict)
    social_by_platform: dict[str, int] = field(default_factory=dict)
    approvals: ApprovalStats = field(default_factory=ApprovalStats)
    ppid: Backlog = field(default_factory=Backlog)
    dumas: Backlog = field(default_factory=Backlog)

    @property
    def label(self) -> str:
        return unit_label(self.unit)

    @property
    def programs_covered(self) -> int:
        return sum(1 for program, items in self.programs.items() if program and items)

    @property
    def social_total(self) -> int:
        return sum(self.social_by_platform.values())

    def social_on(self, platform: str) -> int:
        return self.social_by_platform.get(platform, 0)

    @property
    def social_counts(self) -> list[tuple[str, int]]:
        """(platform, posts) for every platform, in the platforms' order."""
        return [(code, self.social_on(code)) for code in Platform.values]


@dataclass
class MonthColumn:
    month: Month
    total: int
    percent: float


@dataclass
class ProgramRow:
    code: str
    label: str
    items: int
    units: int
    percent: float


@dataclass
class PlatformRow:
    code: str
    label: str
    posts: int
    percent: float


@dataclass
class Dashboard:
    office: WorkUnit
    period: Period
    now: datetime
    silent_days: int
    units: list[UnitFigures]
    months: list[MonthColumn]
    programs: list[ProgramRow]
    platforms: list[PlatformRow]
    approvals: ApprovalStats
    ppid: Backlog
    dumas: Backlog

    @property
    def news_total(self) -> int:
        return sum(u.news_total for u in self.units)

    @property
    def social_total(self) -> int:
        return sum(u.social_total for u in self.units)

    @property
    def silent_units(self) -> list[UnitFigures]:
        return [u for u in self.units if u.activity.is_silent]

    @property
    def programs_covered(self) -> int:
        return sum(1 for p in self.programs if p.items)

    @property
    def programs_missing(self) -> list[ProgramRow]:
        return [p for p in self.programs if not p.items]

    @property
    def service_units(self) -> list[UnitFigures]:
        """Units with an open PPID request or Dumas complaint."""
        return [u for u in self.units if u.ppid.open or u.dumas.open]


def _percent(value: int | float, largest: int | float) -> float:
    return round(100.0 * value / largest, 1) if largest else 0.0


def dashboard_for(
    office: WorkUnit, *, now: datetime | None = None, period: Period | None = None
) -> Dashboard:
    """Every figure of the office's dashboard, in seven queries whatever the
    number of units: the units with their last publications, news per
    month, news per program, social posts, approval times, PPID and Dumas
    backlogs."""
    now = now or timezone.now()
    period = period or last_twelve_months(office.tzinfo, now)
    silent_days = settings.MONITORING_SILENT_DAYS
    units = office_units(office, as_of=min(now, period.end))
    ids = [u.pk for u in units]
    months = period.months()
    by_month = news_per_unit_month(ids, period)
    by_program = news_per_unit_program(ids, period)
    by_platform = social_per_unit_platform(ids, period)
    approvals, overall = approval_times(ids, period)
    ppid = ppid_backlog(ids, now)
    dumas = dumas_backlog(ids, now)

    rows = []
    for unit in units:
        counts = by_month.get(unit.pk, {})
        rows.append(
            UnitFigures(
                unit=unit,
                activity=activity_of(unit, now, silent_days),
                news_by_month=[counts.get(m.key, 0) for m in months],
                news_total=sum(counts.values()),
                programs=by_program.get(unit.pk, {}),
                social_by_platform=by_platform.get(unit.pk, {}),
                approvals=approvals.get(unit.pk, ApprovalStats()),
                ppid=ppid.get(unit.pk, Backlog()),
                dumas=dumas.get(unit.pk, Backlog()),
            )
        )

    month_totals = [sum(r.news_by_month[i] for r in rows) for i in range(len(months))]
    largest_month = max(month_totals, default=0)
    month_columns = [
        MonthColumn(m, total, _percent(total, largest_month))
        for m, total in zip(months, month_totals, strict=True)
    ]

    program_items = {code: 0 for code in PriorityProgram.values}
    program_units = {code: 0 for code in PriorityProgram.values}
    for row in rows:
        for code, items in row.programs.items():
            if code in program_items and items:
                program_items[code] += items
                program_units[code] += 1
    largest_program = max(program_items.values(), default=0)
    programs = [
        ProgramRow(
            code,
            str(label),
            program_items[code],
            program_units[code],
            _percent(program_items[code], largest_program),
        )
        for code, label in PriorityProgram.choices
    ]

    platform_posts = {code: sum(r.social_on(code) for r in rows) for code in Platform.values}
    largest_platform = max(platform_posts.values(), default=0)
    platforms = [
        PlatformRow(code, str(label), platform_posts[code], _percent(platform_posts[code], largest_platform))
        for code, label in Platform.choices
    ]

    return Dashboard(
        office=office,
        period=period,
        now=now,
        silent_days=silent_days,
        units=rows,
        months=month_columns,
        programs=programs,
        platforms=platforms,
        approvals=overall,
        ppid=Backlog(sum(r.ppid.open for r in rows), sum(r.ppid.overdue for r in rows)),
        dumas=Backlog(sum(r.dumas.open for r in rows), sum(r.dumas.overdue for r in rows)),
    )


# --- The leaderboard ---------------------------------------------------------


@dataclass(frozen=True)
class Scoring:
    """Points per published news item, per social post that went out, and
    per priority program covered (each program counts once)."""

    news: int
    social: int
    program: int

    @classmethod
    def from_settings(cls) -> Scoring:
        return cls(
            news=settings.MONITORING_SCORE_NEWS,
            social=settings.MONITORING_SCORE_SOCIAL,
            program=settings.MONITORING_SCORE_PROGRAM,
        )


@dataclass
class LeaderRow:
    unit: WorkUnit
    news: int
    social: int
    programs: int
    score: int
    rank: int = 0

    @property
    def label(self) -> str:
        return unit_label(self.unit)


LEADERBOARD_SORTS = {
    "skor": lambda r: (-r.score, -r.news, r.label.lower()),
    "berita": lambda r: (-r.news, -r.score, r.label.lower()),
    "medsos": lambda r: (-r.social, -r.score, r.label.lower()),
    "program": lambda r: (-r.programs, -r.score, r.label.lower()),
    "unit": lambda r: (r.label.lower(), r.unit.pk),
}


def leaderboard_for(
    office: WorkUnit, period: Period, *, scoring: Scoring | None = None, sort: str = "skor"
) -> list[LeaderRow]:
    """The office's units ranked by score over ``period``, in three queries
    (see ``rank_units``)."""
    units = list(WorkUnit.objects.active().under(office).order_by("path"))
    ids = [u.pk for u in units]
    return rank_units(
        units,
        news_per_unit_program(ids, period),
        social_per_unit_platform(ids, period),
        scoring=scoring,
        sort=sort,
    )


def rank_units(
    units: list[WorkUnit],
    by_program: dict[int, dict[str, int]],
    by_platform: dict[int, dict[str, int]],
    *,
    scoring: Scoring | None = None,
    sort: str = "skor",
) -> list[LeaderRow]:
    """score = news × points per news item + social posts × points per post
    + programs covered × points per program. Units with the same score share
    a rank (1, 2, 2, 4); ``sort`` only changes the order of the rows."""
    scoring = scoring or Scoring.from_settings()
    rows = []
    for unit in units:
        programs = by_program.get(unit.pk, {})
        news = sum(programs.values())
        covered = sum(1 for code, items in programs.items() if code and items)
        social = sum(by_platform.get(unit.pk, {}).values())
        score = news * scoring.news + social * scoring.social + covered * scoring.program
        rows.append(LeaderRow(unit, news, social, covered, score))
    ranked = sorted(rows, key=LEADERBOARD_SORTS["skor"])
    for position, row in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        row.rank = previous.rank if previous is not None and previous.score == row.score else position
    return sorted(rows, key=LEADERBOARD_SORTS.get(sort, LEADERBOARD_SORTS["skor"]))


# --- The weekly email --------------------------------------------------------


@dataclass
class WaitingDraft:
    kind: str  # "news" or "social"
    pk: int
    title: str
    unit: WorkUnit
    submitted_at: datetime
    days: int


@dataclass
class DigestContent:
    office: WorkUnit
    silent: list[Activity]
    waiting: list[WaitingDraft]

    @property
    def is_empty(self) -> bool:
        return not self.silent and not self.waiting


def digest_for(office: WorkUnit, *, now: datetime | None = None) -> DigestContent:
    """What the office's weekly email lists: the silent units of its own
    circle (``own_circle``) and the news items and social posts of those
    units waiting for approval longer than ``MONITORING_DRAFT_WAITING_DAYS``
    days. Three queries."""
    now = now or timezone.now()
    units = own_circle(office, office_units(office, as_of=now))
    silent = [a for a in (activity_of(u, now, settings.MONITORING_SILENT_DAYS) for u in units) if a.is_silent]
    by_id = {u.pk: u for u in units}
    cutoff = now - timedelta(days=settings.MONITORING_DRAFT_WAITING_DAYS)
    news = (
        NewsItem.objects.awaiting_review()
        .filter(unit_id__in=by_id, submitted_at__lte=cutoff)
        .values_list("pk", "title", "unit_id", "submitted_at")
    )
    posts = (
        SocialPost.objects.awaiting_review()
        .filter(unit_id__in=by_id, submitted_at__lte=cutoff)
        .values_list("pk", "title", "text", "unit_id", "submitted_at")
    )
    waiting = [
        WaitingDraft("news", pk, title, by_id[unit_id], submitted_at, (now - submitted_at).days)
        for pk, title, unit_id, submitted_at in news
    ]
    waiting += [
        WaitingDraft(
            "social",
            pk,
            (title or text.strip().split("\n", 1)[0])[:80],
            by_id[unit_id],
            submitted_at,
            (now - submitted_at).days,
        )
        for pk, title, text, unit_id, submitted_at in posts
    ]
    waiting.sort(key=lambda d: (d.submitted_at, d.kind, d.pk))
    silent.sort(key=lambda a: (a.days is not None, -(a.days or 0), a.unit.path))
    return DigestContent(office, silent, waiting)
