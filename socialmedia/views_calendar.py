"""The publishing calendar: a month grid and a week list of what the units
the user covers plan to post, filterable by unit and platform: the
deliveries of approved posts (scheduled, publishing, published,
unconfirmed, failed), and the posts not yet approved (drafts, posts in
review, posts returned for revision) at their planned time.

Each entry sits on the day of its unit's own time zone, as the unit planned
it; one query fetches the deliveries of the shown range, one the posts and
one their accounts.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from humas_portal.core.workflow import ReviewStatus

from . import policy
from .models import Delivery, DeliveryState, Platform, SocialAccount, SocialPost

# Posts shown on the calendar before approval gives them deliveries.
PLANNED_STATUSES = (ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED)
WEEKDAYS = [_("Sen"), _("Sel"), _("Rab"), _("Kam"), _("Jum"), _("Sab"), _("Min")]


def _filters(request):
    units = list(policy.viewer_units(request.user).order_by("path"))
    if not units:
        raise PermissionDenied
    unit_id = request.GET.get("unit", "")
    selected_unit = next((u for u in units if str(u.pk) == unit_id), None)
    platform = request.GET.get("platform", "")
    if platform not in Platform.values:
        platform = ""
    # "Today" is read where the user's (chosen or first) unit is.
    zone = (selected_unit or units[0]).tzinfo
    return units, selected_unit, platform, zone


@dataclass
class CalendarEntry:
    """One line of the calendar: a delivery, or a post not yet approved.
    ``state`` is the delivery's state or the post's review status; the two
    sets of values do not overlap, so the template styles and names both."""

    post: SocialPost
    local_time: datetime
    state: str
    state_label: str
    accounts: list[SocialAccount] = field(default_factory=list)
    delivery: Delivery | None = None


def _entries(request, first: date, last: date, selected_unit, platform) -> dict[date, list[CalendarEntry]]:
    """Entries placed between ``first`` and ``last`` (inclusive), keyed by
    their unit's local date."""
    # A day ahead and behind covers every Indonesian zone; the exact day is
    # decided per entry below.
    start = datetime.combine(first - timedelta(days=1), time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=2), time.min, tzinfo=UTC)
    deliveries = (
        policy.visible_deliveries(request.user)
        .for_calendar()
        .exclude(state=DeliveryState.CANCELLED)
        .filter(Q(scheduled_at__range=(start, end)) | Q(published_at__range=(start, end)))
    )
    posts = (
        policy.visible_posts(request.user)
        .filter(status__in=PLANNED_STATUSES, scheduled_at__range=(start, end))
        .select_related("unit")
        .prefetch_related("accounts")
    )
    if selected_unit is not None:
        deliveries = deliveries.filter(post__unit=selected_unit)
        posts = posts.filter(unit=selected_unit)
    if platform:
        deliveries = deliveries.filter(account__platform=platform)
        posts = posts.filter(accounts__platform=platform).distinct()
    entries = [
        CalendarEntry(
            post=delivery.post,
            local_time=timezone.localtime(delivery.calendar_at, delivery.post.unit.tzinfo),
            state=delivery.state,
            state_label=delivery.get_state_display(),
            accounts=[delivery.account],
            delivery=delivery,
        )
        for delivery in deliveries.order_by("scheduled_at", "id")
    ]
    for post in posts.order_by("scheduled_at", "id"):
        accounts = sorted(post.accounts.all(), key=lambda a: (a.platform, a.display_name))
        if platform:
            accounts = [a for a in accounts if a.platform == platform]
        entries.append(
            CalendarEntry(
                post=post,
                local_time=timezone.localtime(post.scheduled_at, post.unit.tzinfo),
                state=post.status,
                state_label=post.get_status_display(),
                accounts=accounts,
            )
        )
    by_day: dict[date, list[CalendarEntry]] = {}
    for entry in entries:
        if first <= entry.local_time.date() <= last:
            by_day.setdefault(entry.local_time.date(), []).append(entry)
    for items in by_day.values():
        items.sort(key=lambda e: (e.local_time, e.post.pk, e.delivery.pk if e.delivery else 0))
    return by_day


def _legend():
    """Every kind of entry the calendar shows, in the order of the work."""
    return [(status, ReviewStatus(status).label) for status in PLANNED_STATUSES] + [
        (state, DeliveryState(state).label)
        for state in (
            DeliveryState.SCHEDULED,
            DeliveryState.PUBLISHING,
            DeliveryState.PUBLISHED,
            DeliveryState.UNCONFIRMED,
            DeliveryState.FAILED,
        )
    ]


def _parse_month(value: str, today: date) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def _parse_day(value: str, today: date) -> date:
    try:
        return date.fromisoformat(value)
    except (ValueError, TypeError):
        return today


@login_required
def calendar_month(request):
    units, selected_unit, platform, zone = _filters(request)
    today = timezone.localdate(timezone=zone)
    month = _parse_month(request.GET.get("bulan", ""), today)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    by_day = _entries(request, weeks[0][0], weeks[-1][-1], selected_unit, platform)
    previous_month = (month - timedelta(days=1)).replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "socialmedia/calendar_month.html",
        {
            "month": month,
            "weeks": [
                [(day, by_day.get(day, []), day.month == month.month) for day in week] for week in weeks
            ],
            "agenda": [(day, by_day[day]) for day in sorted(by_day) if day.month == month.month],
            "weekdays": WEEKDAYS,
            "today": today,
            "previous": previous_month.strftime("%Y-%m"),
            "next": next_month.strftime("%Y-%m"),
            "units": units,
            "selected_unit": selected_unit,
            "platform": platform,
            "platforms": Platform.choices,
            "week_start": (today if month.month == today.month else month).isoformat(),
            "legend": _legend(),
        },
    )


@login_required
def calendar_week(request):
    units, selected_unit, platform, zone = _filters(request)
    today = timezone.localdate(timezone=zone)
    day = _parse_day(request.GET.get("tanggal", ""), today)
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    by_day = _entries(request, days[0], days[-1], selected_unit, platform)
    return render(
        request,
        "socialmedia/calendar_week.html",
        {
            "days": [(d, WEEKDAYS[n], by_day.get(d, [])) for n, d in enumerate(days)],
            "monday": monday,
            "sunday": days[-1],
            "today": today,
            "previous": (monday - timedelta(days=7)).isoformat(),
            "next": (monday + timedelta(days=7)).isoformat(),
            "month": monday.strftime("%Y-%m"),
            "units": units,
            "selected_unit": selected_unit,
            "platform": platform,
            "platforms": Platform.choices,
            "legend": _legend(),
        },
    )
