"""Deadlines on the real 2026 calendar: Nyepi (18–19 March), Idul Fitri with
its cuti bersama (20, 23, 24 March), Good Friday (3 April), Labour Day,
Ascension with its cuti bersama, Idul Adha and Pancasila Day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from humas_portal.core.models import UnitTimeZone
from humas_portal.core.workflow import WorkflowError
from ppid import services
from ppid.models import Decision, ObjectionStatus, RequestStatus

from .factories import submit_request

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def at(year, month, day, hour=9, tz=WIB):
    return time_machine.travel(datetime(year, month, day, hour, 0, tzinfo=tz), tick=False)


def test_request_on_13_march_2026_is_due_6_april(org):
    """Friday 13 March + 10 working days skips Nyepi, Idul Fitri and its
    cuti bersama, and Good Friday: the notice is due Monday 6 April."""
    with at(2026, 3, 13):
        request = submit_request(org.pasuruan).request
    assert request.received_on == date(2026, 3, 13)
    assert request.due_on == date(2026, 4, 6)
    assert request.registration_number == "KK1514/PPID/2026/0001"


def test_extension_adds_seven_working_days_after_the_ten(org, ppid_people):
    with at(2026, 3, 13):
        request = submit_request(org.pasuruan).request
    with at(2026, 4, 1):
        extended = services.ppid_request_extend(
            request=request, actor=ppid_people.ppid, reason="Informasi tersebar di beberapa madrasah."
        )
    assert extended.status == RequestStatus.EXTENDED
    assert extended.extended_due_on == date(2026, 4, 15)
    assert extended.effective_due_on == date(2026, 4, 15)
    assert extended.notices.get().kind == "perpanjangan"


def test_extension_is_given_once(org, ppid_people):
    with at(2026, 3, 13):
        request = submit_request(org.pasuruan).request
        services.ppid_request_extend(request=request, actor=ppid_people.ppid, reason="Alasan pertama")
        with pytest.raises(WorkflowError):
            services.ppid_request_extend(request=request, actor=ppid_people.ppid, reason="Alasan kedua")
    request.refresh_from_db()
    assert request.extended_due_on == date(2026, 4, 15)


def test_extension_needs_a_written_reason(org, ppid_people):
    with at(2026, 3, 13):
        request = submit_request(org.pasuruan).request
        with pytest.raises(ValidationError):
            services.ppid_request_extend(request=request, actor=ppid_people.ppid, reason="   ")


def test_extension_is_possible_up_to_the_last_of_the_ten_days_only(org, ppid_people):
    with at(2026, 3, 13):
        on_time = submit_request(org.pasuruan).request
        late = submit_request(org.pasuruan).request
    with at(2026, 4, 6):
        services.ppid_request_extend(request=on_time, actor=ppid_people.ppid, reason="Hari terakhir")
    with at(2026, 4, 7), pytest.raises(WorkflowError, match="sudah lewat"):
        services.ppid_request_extend(request=late, actor=ppid_people.ppid, reason="Terlambat")


def test_receipt_date_is_the_date_in_the_units_own_zone(org):
    """Just after midnight in Jayapura it is still Thursday in Jakarta; the
    Papua unit's request counts from Friday."""
    org.kua_bangil.timezone = UnitTimeZone.WIT
    org.pasuruan.timezone = UnitTimeZone.WIT
    org.pasuruan.save()
    with time_machine.travel(datetime(2026, 3, 12, 16, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        request = submit_request(org.pasuruan).request
    assert request.received_on == date(2026, 3, 13)
    assert request.due_on == date(2026, 4, 6)


def test_working_days_left_and_overdue(org):
    with at(2026, 3, 13):
        request = submit_request(org.pasuruan).request
    assert request.working_days_left(date(2026, 4, 1)) == 2  # 2 and 6 April; Good Friday skipped
    assert request.working_days_left(date(2026, 4, 6)) == 0
    assert not request.is_overdue(date(2026, 4, 6))
    assert request.is_overdue(date(2026, 4, 7))
    assert request.working_days_left(date(2026, 4, 7)) == -1


def test_objection_window_after_an_answer_is_30_working_days(org, ppid_people):
    with at(2026, 3, 13):
        request = submit_request(org.pasuruan).request
    with at(2026, 4, 6):
        request = services.ppid_request_answer(
            request=request,
            actor=ppid_people.ppid,
            decision=Decision.REFUSED,
            refusal_ground="h",
            consequence_test="Membuka data pribadi penerima bantuan.",
        )
    # Labour Day (1 May) and Ascension with its cuti bersama (14–15 May) skipped.
    assert request.objection_window(date(2026, 5, 21)) == (date(2026, 4, 6), date(2026, 5, 21))
    assert request.objection_state(date(2026, 5, 21)) == "open"
    assert request.objection_state(date(2026, 5, 22)) == "closed"
    with at(2026, 5, 22), pytest.raises(WorkflowError, match="sudah berakhir pada 21 Mei 2026"):
        services.ppid_objection_file(request=request, grounds=["a"], reasons="Penolakan tidak berdasar.")


def test_objection_on_an_unanswered_request_opens_when_the_deadline_passes(org):
    with at(2026, 3, 13):
        request = submit_request(org.pasuruan).request
    assert request.objection_state(date(2026, 4, 6)) == "not_yet"
    with at(2026, 4, 6), pytest.raises(WorkflowError):
        services.ppid_objection_file(request=request, grounds=["c"], reasons="Belum dijawab.")
    with at(2026, 4, 7):
        objection = services.ppid_objection_file(
            request=request, grounds=["c", "g"], reasons="Tidak ditanggapi."
        )
    assert objection.status == ObjectionStatus.FILED
    assert objection.registration_number == "KK1514/KEB/2026/0001"
    # 30 working days from 7 April: Labour Day, Ascension (+ cuti bersama) and Idul Adha (+ cuti bersama) skipped.
    assert objection.due_on == date(2026, 5, 22)


def test_atasan_has_30_working_days_then_komisi_informasi_14(org, ppid_people):
    with at(2026, 3, 13):
        request = submit_request(org.pasuruan).request
    with at(2026, 4, 6):
        request = services.ppid_request_answer(
            request=request,
            actor=ppid_people.ppid,
            decision=Decision.NOT_HELD,
            holder_info="Dinas Pendidikan Kabupaten Pasuruan",
        )
    with at(2026, 4, 20):
        objection = services.ppid_objection_file(
            request=request, grounds=["d"], reasons="Seharusnya dikuasai."
        )
    # Idul Adha (27 May) with cuti bersama (28 May) and Pancasila Day (1 June) skipped.
    assert objection.due_on == date(2026, 6, 9)
    with at(2026, 6, 9):
        objection = services.ppid_objection_answer(
            objection=objection,
            actor=ppid_people.atasan,
            outcome="ditolak",
            answer="PPID memang tidak menguasai.",
        )
    # Islamic New Year (16 June) skipped.
    assert objection.komisi_window() == (date(2026, 6, 9), date(2026, 6, 30))
