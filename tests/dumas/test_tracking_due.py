"""The tracking page tells the complainant when the answer is due, and the
desk queue puts what is overdue first, then what is due soonest."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dumas import services
from dumas.views_desk import PAGE_SIZE
from dumas.workflow import ComplaintKind, ComplaintStatus, IdentityMode
from humas_portal.core import workdays
from humas_portal.core.models import CalendarOverride, UnitTimeZone

from ..factories import WorkUnitFactory
from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
# Wednesday 2 July 2025, 10:00 in Pasuruan.
RECEIVED = datetime(2025, 7, 2, 10, 0, tzinfo=WIB)


@pytest.fixture
def a_day_off():
    """Thursday 3 July 2025 declared a day off (a regional holiday)."""
    CalendarOverride.objects.create(date=date(2025, 7, 3), is_working_day=False, name="Libur daerah")
    workdays.invalidate_overrides()
    yield
    workdays.invalidate_overrides()


def file(unit):
    return services.complaint_submit(
        unit=unit,
        kind=ComplaintKind.PENGADUAN,
        subject="Antrean legalisir terlalu lama",
        description="Saya menunggu lebih dari tiga jam untuk legalisir tanpa kejelasan dari petugas.",
        identity_mode=IdentityMode.ANONYMOUS,
    )


def due_line(html: str) -> str:
    match = re.search(r'<p id="batas-jawaban">(.*?)</p>', html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


class TestTrackingPage:
    def test_a_new_complaint_shows_the_answer_date_and_the_verification_in_working_days(
        self, client, org, a_day_off
    ):
        """Three working days from Wednesday skip the day off and the
        weekend: Friday, Monday, Tuesday 8 July. The answer is due 60 days
        after receipt, on 31 August."""
        with time_machine.travel(RECEIVED, tick=False):
            complaint = file(org.kua_bangil)
            line = due_line(client.get(complaint.get_tracking_url()).content.decode())
        assert complaint.verify_due == date(2025, 7, 8)
        assert "Jawaban paling lambat: 31 Agustus 2025" in line
        assert "Tahap sekarang: Verifikasi, paling lambat 8 Juli 2025" in line
        assert "diverifikasi dalam 3 hari kerja dan dijawab paling lambat 60 hari" in line
        assert "sudah lewat" not in line

    def test_after_verification_the_follow_up_decision_date_shows(self, client, org, dumas_people, a_day_off):
        with time_machine.travel(RECEIVED, tick=False):
            complaint = file(org.kua_bangil)
            complaint = services.complaint_verify(complaint=complaint, actor=dumas_people.petugas)
            line = due_line(client.get(complaint.get_tracking_url()).content.decode())
        # Five working days from Wednesday, the day off skipped.
        assert "Tahap sekarang: Keputusan tindak lanjut, paling lambat 10 Juli 2025" in line
        assert "Jawaban paling lambat: 31 Agustus 2025" in line

    def test_in_follow_up_only_the_answer_date_shows(self, client, org):
        complaint = ComplaintFactory(
            unit=org.kua_bangil, status=ComplaintStatus.IN_FOLLOW_UP, finish_due=date(2025, 8, 31)
        )
        with time_machine.travel(RECEIVED, tick=False):
            line = due_line(client.get(complaint.get_tracking_url()).content.decode())
        assert line.startswith("Jawaban paling lambat: 31 Agustus 2025")
        assert "Tahap sekarang" not in line

    def test_a_passed_date_is_said_to_have_passed(self, client, org):
        complaint = ComplaintFactory(
            unit=org.kua_bangil, status=ComplaintStatus.IN_FOLLOW_UP, finish_due=date(2025, 7, 1)
        )
        with time_machine.travel(RECEIVED, tick=False):
            line = due_line(client.get(complaint.get_tracking_url()).content.decode())
        assert "Jawaban paling lambat: 1 Juli 2025 (batas waktu sudah lewat)" in line

    def test_a_passed_verification_date_is_said_to_have_passed(self, client, org):
        complaint = ComplaintFactory(
            unit=org.kua_bangil, verify_due=date(2025, 7, 1), finish_due=date(2025, 8, 30)
        )
        with time_machine.travel(RECEIVED, tick=False):
            line = due_line(client.get(complaint.get_tracking_url()).content.decode())
        assert "Tahap sekarang: Verifikasi, paling lambat 1 Juli 2025 (batas waktu sudah lewat)" in line
        assert "Jawaban paling lambat: 30 Agustus 2025 Tahap" in line

    @pytest.mark.parametrize(
        "status",
        [
            ComplaintStatus.ANSWERED,
            ComplaintStatus.CLOSED,
            ComplaintStatus.ARCHIVED,
            ComplaintStatus.NOT_AUTHORITY,
        ],
    )
    def test_a_settled_complaint_shows_no_due_date(self, client, org, status):
        complaint = ComplaintFactory(unit=org.kua_bangil, status=status)
        page = client.get(complaint.get_tracking_url()).content.decode()
        assert 'id="batas-jawaban"' not in page


def queue_codes(html: str) -> list[str]:
    return re.findall(r'class="dumas-code-inline" href="[^"]+">(DMS-[A-Z0-9-]+)<', html)


class TestQueueOrder:
    NOW = datetime(2025, 7, 10, 9, 0, tzinfo=WIB)

    def test_overdue_first_then_by_the_current_stage_due_date(self, client, org, dumas_people):
        today = self.NOW.date()
        received = self.NOW - timedelta(days=2)

        def make(status, received_at=received, **dates):
            values = {"verify_due": today + timedelta(days=30), "finish_due": today + timedelta(days=50)}
            values.update(dates)
            return ComplaintFactory(unit=org.kua_bangil, status=status, received_at=received_at, **values)

        # The newest complaints first in the old order; a queue by urgency
        # puts them where their deadline belongs.
        due_later = make(ComplaintStatus.RECEIVED, verify_due=today + timedelta(days=3))
        on_hold = make(ComplaintStatus.ON_HOLD, received_at=self.NOW - timedelta(hours=1))
        due_soon = make(ComplaintStatus.VERIFIED, follow_up_due=today + timedelta(days=1))
        due_today = make(ComplaintStatus.IN_FOLLOW_UP, finish_due=today)
        late_long_ago = make(
            ComplaintStatus.IN_FOLLOW_UP,
            received_at=self.NOW - timedelta(days=70),
            finish_due=today - timedelta(days=9),
        )
        late_yesterday = make(ComplaintStatus.RECEIVED, verify_due=today - timedelta(days=1))
        answered = make(ComplaintStatus.ANSWERED, received_at=self.NOW - timedelta(hours=2))
        client.force_login(dumas_people.petugas)
        with time_machine.travel(self.NOW, tick=False):
            page = client.get(reverse("dumas:queue")).content.decode()
        expected = [late_long_ago, late_yesterday, due_today, due_soon, due_later, on_hold, answered]
        assert queue_codes(page) == [c.tracking_code for c in expected]
        # The overdue rows, and only those, are marked.
        assert page.count('class="overdue-row"') == 2

    def test_overdue_is_read_in_each_units_own_zone(self, client, org, dumas_people):
        """At 23:30 in Jakarta it is already the next day in Jayapura: a
        complaint there due "yesterday" is overdue, one in Pasuruan due
        today is not."""
        papua = WorkUnitFactory(name="KUA Abepura", parent=org.pasuruan, timezone=UnitTimeZone.WIT)
        now = datetime(2025, 7, 10, 23, 30, tzinfo=WIB)
        in_pasuruan = ComplaintFactory(unit=org.kua_bangil, verify_due=date(2025, 7, 10))
        in_papua = ComplaintFactory(unit=papua, verify_due=date(2025, 7, 10))
        client.force_login(dumas_people.petugas)
        with time_machine.travel(now, tick=False):
            page = client.get(reverse("dumas:queue")).content.decode()
        assert queue_codes(page) == [in_papua.tracking_code, in_pasuruan.tracking_code]
        assert page.count('class="overdue-row"') == 1

    def test_an_old_overdue_complaint_is_on_the_first_page(self, client, org, dumas_people):
        today = self.NOW.date()
        for _ in range(PAGE_SIZE + 2):
            ComplaintFactory(unit=org.kua_bangil, received_at=self.NOW, verify_due=today + timedelta(days=3))
        forgotten = ComplaintFactory(
            unit=org.kua_bangil,
            status=ComplaintStatus.IN_FOLLOW_UP,
            received_at=self.NOW - timedelta(days=90),
            finish_due=today - timedelta(days=30),
        )
        client.force_login(dumas_people.petugas)
        with time_machine.travel(self.NOW, tick=False):
            page = client.get(reverse("dumas:queue")).content.decode()
        assert queue_codes(page)[0] == forgotten.tracking_code
        assert len(queue_codes(page)) == PAGE_SIZE
