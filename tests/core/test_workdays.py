from datetime import date

import pytest

from humas_portal.core import workdays
from humas_portal.core.models import CalendarOverride


@pytest.fixture(autouse=True)
def fresh_overrides(db):
    workdays.invalidate_overrides()
    yield
    workdays.invalidate_overrides()


def test_ten_working_days_from_13_march_2026_skip_nyepi_idul_fitri_and_good_friday():
    """A PPID request received Friday 13 March 2026 is due Monday 6 April:
    Nyepi, Idul Fitri with its cuti bersama and Good Friday do not count."""
    assert workdays.add_working_days(date(2026, 3, 13), 10) == date(2026, 4, 6)


def test_extension_of_seven_counts_from_the_end_of_the_ten():
    assert workdays.add_working_days(date(2026, 4, 6), 7) == date(2026, 4, 15)


def test_weekends_are_not_working_days():
    assert not workdays.is_working_day(date(2026, 11, 21))  # Saturday
    assert workdays.is_working_day(date(2026, 11, 23))  # Monday


def test_cuti_bersama_is_not_a_working_day():
    assert not workdays.is_working_day(date(2026, 3, 23))


def test_override_turns_a_working_day_into_a_holiday_and_back():
    day = date(2026, 11, 23)
    CalendarOverride.objects.create(date=day, is_working_day=False, name="Cuti bersama tambahan")
    workdays.invalidate_overrides()
    assert not workdays.is_working_day(day)
    assert workdays.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 24)

    CalendarOverride.objects.create(date=date(2026, 12, 24), is_working_day=True, name="Batal cuti")
    workdays.invalidate_overrides()
    assert workdays.is_working_day(date(2026, 12, 24))


def test_working_days_between_counts_forward_and_backward():
    assert workdays.working_days_between(date(2026, 3, 13), date(2026, 4, 6)) == 10
    assert workdays.working_days_between(date(2026, 4, 6), date(2026, 3, 13)) == -10
    assert workdays.working_days_between(date(2026, 4, 6), date(2026, 4, 6)) == 0
