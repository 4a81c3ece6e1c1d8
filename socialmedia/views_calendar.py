"""The publishing calendar: a month grid and a week list of deliveries
(scheduled, publishing, published, unconfirmed, failed) of the units the
user covers, filterable by unit and platform.

Each delivery sits on the day of its unit's own time zone, as the unit
planned it; one query fetches the deliveries of the shown range.
"""

from __future__ import annotations

import calendar as pycalendar
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import policy
from .models import DeliveryState, Platform

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


def _deliveries(request, first: date, last: date, selected_unit, platform):
    """Deliveries placed between ``first`` and ``last`` (inclusive), keyed
    by their unit's local date."""
    # A day ahead and behind covers every Indonesian zone; the exact day is
    # decided per delivery below.
    start = datetime.combine(first - timedelta(days=1), time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=2), time.min, tzinfo=UTC)
    deliveries = (
        policy.visible_deliveries(request.user)
        .for_calendar()
        .exclude(state=DeliveryState.CANCELLED)
        .filter(Q(scheduled_at__range=(start, end)) | Q(published_at__range=(start, end)))
    )
    if selected_unit is not None:
        deliveries = deliveries.filter(post__unit=selected_unit)
    if platform:
        deliveries = deliveries.filter(account__platform=platform)
    by_day: dict[date, list] = {}
    for delivery in deliveries.order_by("scheduled_at", "id"):
        local = timezone.localtime(delivery.calendar_at, delivery.post.unit.tzinfo)
        if first <= local.date() <= last:
            delivery.local_time = local
            by_day.setdefault(local.date(), []).append(delivery)
    for items in by_day.values():
        items.sort(key=lambda d: d.local_time)
    return by_day


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
    by_day = _deliveries(request, weeks[0][0], weeks[-1][-1], selected_unit, platform)
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
        },
    )


@login_required
def calendar_week(request):
    units, selected_unit, platform, zone = _filters(request)
    today = timezone.localdate(timezone=zone)
    day = _parse_day(request.GET.get("tanggal", ""), today)
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    by_day = _deliveries(request, days[0], days[-1], selected_unit, platform)
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
        },
    )
