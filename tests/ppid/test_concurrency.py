"""Registration numbers never collide, even when requests arrive at once."""

import threading

import pytest
from django.db import connection

from ppid.models import PpidRequest

from .factories import PpidProfileFactory, submit_request


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_numbers(org):
    PpidProfileFactory(unit=org.pasuruan)
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    numbers, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            numbers.append(submit_request(org.pasuruan).request.registration_number)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    year = PpidRequest.objects.first().year
    assert sorted(numbers) == [f"KK1514/PPID/{year}/{n:04d}" for n in range(1, threads_count + 1)]
    assert sorted(PpidRequest.objects.values_list("sequence", flat=True)) == list(range(1, threads_count + 1))


@pytest.mark.django_db
def test_each_unit_and_year_has_its_own_series(org):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    wib = ZoneInfo("Asia/Jakarta")
    with time_machine.travel(datetime(2025, 12, 31, 15, tzinfo=wib), tick=False):
        assert submit_request(org.pasuruan).request.registration_number == "KK1514/PPID/2025/0001"
    with time_machine.travel(datetime(2026, 1, 2, 9, tzinfo=wib), tick=False):
        assert submit_request(org.pasuruan).request.registration_number == "KK1514/PPID/2026/0001"
        assert submit_request(org.sidoarjo).request.registration_number == "KK1515/PPID/2026/0001"
        assert submit_request(org.pasuruan).request.registration_number == "KK1514/PPID/2026/0002"
