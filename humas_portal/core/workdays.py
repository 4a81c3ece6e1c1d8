"""The working-day calendar behind every legal deadline.

Working days are Monday to Friday minus Indonesia's national public holidays
and cuti bersama. Both come from the ``holidays`` package (its ``public`` and
``government`` categories); decrees change late and future Islamic dates are
estimates, so ``CalendarOverride`` rows in the database win over the package.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.cache import cache

_OVERRIDES_CACHE_KEY = "core:calendar-overrides:v1"


@lru_cache(maxsize=32)
def _package_holidays(year: int, categories: tuple[str, ...]) -> dict[date, str]:
    return dict(holidays.country_holidays("ID", years=year, categories=categories))


def _overrides() -> dict[date, bool]:
    overrides = cache.get(_OVERRIDES_CACHE_KEY)
    if overrides is None:
        from .models import CalendarOverride

        overrides = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
        cache.set(_OVERRIDES_CACHE_KEY, overrides, 300)
    return overrides


def invalidate_overrides() -> None:
    cache.delete(_OVERRIDES_CACHE_KEY)


def holiday_name(day: date) -> str | None:
    """The package's name for a holiday on ``day``, if any."""
    categories = tuple(settings.WORKDAY_HOLIDAY_CATEGORIES)
    return _package_holidays(day.year, categories).get(day)


def is_working_day(day: date) -> bool:
    override = _overrides().get(day)
    if override is not None:
        return override
    if day.weekday() >= 5:
        return False
    return holiday_name(day) is None


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start``.

    ``start`` itself is not counted (a request received on a Friday with one
    working day to answer is due on the next working day), matching how the
    PPID and Dumas deadlines are read.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative
    when ``end`` is before ``start`` (an overdue item's days past due)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
