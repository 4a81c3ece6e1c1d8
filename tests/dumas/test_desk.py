"""The officers' desk: the queue, a complaint's page and its actions, intake
of offline complaints, QR locations and posters, the recap."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import segno
import time_machine
from django.urls import reverse

from dumas import poster, services
from dumas.models import Complaint, ComplaintLocation
from dumas.workflow import Channel, ComplaintKind, ComplaintStatus, Violation

from .factories import ComplaintFactory, ComplaintLocationFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


class TestQueue:
    def test_officers_see_their_units_complaints_with_deadlines(self, client, org, dumas_people):
        mine = ComplaintFactory(unit=org.kua_bangil, subject="Antrean panjang di KUA")
        ComplaintFactory(unit=org.kua_sidoarjo, subject="Keluhan di Sidoarjo")
        client.force_login(dumas_people.petugas)
        page = client.get(reverse("dumas:queue")).content.decode()
        assert mine.tracking_code in page and "Antrean panjang di KUA" in page
        assert "Keluhan di Sidoarjo" not in page
        assert "Verifikasi:" in page

    def test_overdue_complaints_are_marked_and_can_be_filtered(self, client, org, dumas_people):
        with time_machine.travel(datetime(2025, 5, 9, 10, 0, tzinfo=WIB)):
            late = ComplaintFactory(unit=org.kua_bangil, verify_due=datetime(2025, 5, 14).date())
            on_time = ComplaintFactory(unit=org.kua_bangil, verify_due=datetime(2025, 5, 30).date())
        client.force_login(dumas_people.petugas)
        with time_machine.travel(datetime(2025, 5, 20, 9, 0, tzinfo=WIB)):
            page = client.get(reverse("dumas:queue"), {"overdue": "on"}).content.decode()
        assert late.tracking_code in page and on_time.tracking_code not in page
        assert 'class="overdue"' in page and "lewat batas" in page

    def test_a_tracking_code_finds_its_complaint_in_any_case(self, client, org, dumas_people):
        wanted = ComplaintFactory(unit=org.kua_bangil)
        other = ComplaintFactory(unit=org.kua_bangil)
        client.force_login(dumas_people.petugas)
        page = client.get(reverse("dumas:queue"), {"q": wanted.tracking_code.lower()}).content.decode()
        assert wanted.tracking_code in page and other.tracking_code not in page

    @pytest.mark.parametrize("rows", [3, 30])
    def test_the_queue_costs_the_same_for_3_rows_as_for_30(
        self, client, org, dumas_people, django_assert_num_queries, rows
    ):
        for index in range(rows):
            ComplaintFactory(
                unit=org.kua_bangil if index % 2 else org.man_pasuruan, assignee=dumas_people.pimpinan_kua
            )
        client.force_login(dumas_people.petugas)
        # session, user, the user's roles, the page count, the page's rows
        # (with unit, assigned unit and assignee joined), the two badge
        # counts, and whether the user may record complaints.
        with django_assert_num_queries(8):
            response = client.get(reverse("dumas:queue"))
        assert response.status_code == 200
        assert len(response.context["rows"]) == min(rows, 25)

    def test_people_without_a_dumas_role_are_turned_away(self, client, dumas_people):
        client.force_login(dumas_people.kontributor)
        assert client.get(reverse("dumas:queue")).status_code == 403
        client.logout()
        assert client.get(reverse("dumas:queue")).status_code == 302


class TestHandlingPages:
    def test_an_officer_verifies_follows_up_and_answers_from_the_page(self, client, org, dumas_people):
        complaint = ComplaintFactory(unit=org.kua_bangil)
        client.force_login(dumas_people.petugas)
        detail = complaint.get_absolute_url()
        assert "Verifikasi" in client.get(detail).content.decode()
        client.post(reverse("dumas:act", kwargs={"pk": complaint.pk, "action": "verify"}), {"note": ""})
        client.post(
            reverse("dumas:act", kwargs={"pk": complaint.pk, "action": "follow_up"}), {"note": "Dibahas"}
        )
        response = client.post(
            reverse("dumas:act", kwargs={"pk": complaint.pk, "action": "answer"}), {"note": ""}
        )
        assert "Tuliskan jawaban untuk pelapor." in client.get(response["Location"]).content.decode()
        client.post(
            reverse("dumas:act", kwargs={"pk": complaint.pk, "action": "answer"}),
            {"note": "Sudah diperbaiki."},
        )
        complaint.refresh_from_db()
        assert complaint.status == ComplaintStatus.ANSWERED

    def test_readers_see_the_page_without_action_buttons_and_cannot_post(self, client, org, dumas_people):
        complaint = ComplaintFactory(unit=org.kua_bangil)
        client.force_login(dumas_people.pimpinan)
        page = client.get(complaint.get_absolute_url()).content.decode()
        assert complaint.subject in page and "tindakan/verify" not in page
        response = client.post(reverse("dumas:act", kwargs={"pk": complaint.pk, "action": "verify"}))
        assert response.status_code == 403

    def test_what_one_may_not_see_does_not_exist(self, client, org, dumas_people):
        complaint = ComplaintFactory(unit=org.kua_bangil)
        client.force_login(dumas_people.petugas_lain)
        assert client.get(complaint.get_absolute_url()).status_code == 404
        response = client.post(reverse("dumas:act", kwargs={"pk": complaint.pk, "action": "verify"}))
        assert response.status_code == 404

    def test_forwarding_and_assignment_from_the_page(self, client, org, dumas_people):
        complaint = ComplaintFactory(
            unit=org.kua_bangil, kind=ComplaintKind.WHISTLEBLOWING, violation=Violation.PUNGLI
        )
        client.force_login(dumas_people.petugas)
        client.post(reverse("dumas:act", kwargs={"pk": complaint.pk, "action": "verify"}))
        client.post(
            reverse("dumas:assign", kwargs={"pk": complaint.pk}), {"assignee": dumas_people.petugas_kua.pk}
        )
        complaint.refresh_from_db()
        assert complaint.assignee is None  # not an officer of the office
        client.post(
            reverse("dumas:assign", kwargs={"pk": complaint.pk}), {"assignee": dumas_people.petugas_kanwil.pk}
        )
        client.post(
            reverse("dumas:forward", kwargs={"pk": complaint.pk}),
            {"destination": "sp4n_lapor", "external_reference": "LAPOR-8812345"},
        )
        complaint.refresh_from_db()
        assert complaint.assignee == dumas_people.petugas_kanwil
        assert (complaint.status, complaint.external_reference) == (
            ComplaintStatus.IN_FOLLOW_UP,
            "LAPOR-8812345",
        )

    def test_the_assignee_files_a_follow_up_report(self, client, org, dumas_people):
        complaint = ComplaintFactory(unit=org.kua_bangil, status=ComplaintStatus.IN_FOLLOW_UP)
        services.complaint_assign(
            complaint=complaint, actor=dumas_people.petugas, assignee=dumas_people.kontributor
        )
        client.force_login(dumas_people.kontributor)
        client.post(reverse("dumas:report", kwargs={"pk": complaint.pk}), {"note": "Loket kedua dibuka."})
        assert complaint.messages.get().body == "Loket kedua dibuka."


class TestRecording:
    def test_an_officer_records_a_whatsapp_complaint_in_the_units_time(self, client, org, dumas_people):
        client.force_login(dumas_people.petugas_kua)
        data = {
            "unit": org.kua_bangil.pk,
            "channel": Channel.WHATSAPP,
            "received_at": "2025-05-05T08:30",
            "kind": "aspirasi",
            "subject": "Usul jam layanan Sabtu",
            "description": "Warga mengusulkan layanan pencatatan nikah dibuka pada hari Sabtu pagi.",
            "identity_mode": "identified",
            "reporter_name": "Pak RT 03",
            "reporter_phone": "081355556666",
        }
        with time_machine.travel(datetime(2025, 5, 6, 9, 0, tzinfo=WIB)):
            response = client.post(reverse("dumas:record"), data)
        complaint = Complaint.objects.get()
        assert response["Location"] == complaint.get_absolute_url()
        assert (complaint.channel, complaint.recorded_by) == (Channel.WHATSAPP, dumas_people.petugas_kua)
        assert complaint.received_at == datetime(2025, 5, 5, 8, 30, tzinfo=WIB)
        assert complaint.confirmation == "manual"

    def test_whistleblowing_taken_at_a_satker_desk_leaves_it_for_the_office(self, client, org, dumas_people):
        client.force_login(dumas_people.petugas_kua)
        data = {
            "unit": org.kua_bangil.pk,
            "channel": Channel.PTSP,
            "kind": "whistleblowing",
            "violation": "pungli",
            "subject": "Pungutan saat legalisir",
            "description": "Seorang warga melapor di meja PTSP tentang pungutan tanpa kuitansi saat legalisir.",
            "identity_mode": "anonymous",
        }
        response = client.post(reverse("dumas:record"), data)
        complaint = Complaint.objects.get()
        assert response["Location"] == reverse("dumas:queue")
        assert client.get(complaint.get_absolute_url()).status_code == 404
        client.force_login(dumas_people.petugas)
        assert client.get(complaint.get_absolute_url()).status_code == 200

    def test_only_units_one_is_officer_of_can_be_chosen(self, client, org, dumas_people):
        client.force_login(dumas_people.petugas_kua)
        form = client.get(reverse("dumas:record")).context["form"]
        assert list(form.fields["unit"].queryset) == [org.kua_bangil]
        client.force_login(dumas_people.pimpinan)
        assert client.get(reverse("dumas:record")).status_code == 403


class TestLocations:
    def test_staff_create_a_location_and_print_its_poster(
        self, client, org, dumas_people, settings, monkeypatch
    ):
        settings.SITE_URL = "https://humas.kemenag.example"
        client.force_login(dumas_people.admin_humas)
        client.post(reverse("dumas:locations"), {"unit": org.kua_bangil.pk, "name": "Loket depan KUA Bangil"})
        location = ComplaintLocation.objects.get()
        encoded = []
        real_make = segno.make

        def spy(content, *args, **kwargs):
            encoded.append(content)
            return real_make(content, *args, **kwargs)

        monkeypatch.setattr(poster.segno, "make", spy)
        response = client.get(reverse("dumas:location_poster", kwargs={"pk": location.pk}))
        expected = f"https://humas.kemenag.example/pengaduan/lapor/kua-bangil/?lokasi={location.token}"
        assert encoded == [expected]
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert expected.encode() in response.content  # printed under the code, too
        assert b"KUA Kecamatan Bangil" in response.content

    def test_the_qr_matrix_is_the_one_for_the_url(self):
        url = "https://humas.kemenag.example/pengaduan/lapor/kua-bangil/?lokasi=abc"
        assert poster.qr_code(url).matrix == segno.make(url, error="m", micro=False).matrix
        assert poster.qr_code(url).designator.endswith("M")

    @pytest.mark.parametrize("rows", [3, 30])
    def test_the_location_list_costs_the_same_for_3_rows_as_for_30(
        self, client, org, dumas_people, django_assert_num_queries, rows
    ):
        for index in range(rows):
            ComplaintLocationFactory(unit=org.kua_bangil if index % 2 else org.pasuruan)
        client.force_login(dumas_people.petugas)
        # session, user, the user's roles, whether they manage any unit, the
        # unit choices of the form, and the locations with their units.
        with django_assert_num_queries(6):
            response = client.get(reverse("dumas:locations"))
        assert response.content.decode().count("poster.pdf") == rows

    def test_a_location_can_be_switched_off(self, client, org, dumas_people):
        location = ComplaintLocationFactory(unit=org.kua_bangil)
        client.force_login(dumas_people.petugas_kua)
        client.post(reverse("dumas:location_toggle", kwargs={"pk": location.pk}))
        location.refresh_from_db()
        assert not location.is_active

    def test_others_cannot_manage_or_print(self, client, org, dumas_people):
        location = ComplaintLocationFactory(unit=org.kua_bangil)
        client.force_login(dumas_people.petugas_lain)
        assert client.get(reverse("dumas:location_poster", kwargs={"pk": location.pk})).status_code == 404
        assert client.post(reverse("dumas:location_toggle", kwargs={"pk": location.pk})).status_code == 404
        client.force_login(dumas_people.pimpinan)
        assert client.get(reverse("dumas:locations")).status_code == 403

    def test_a_duplicate_name_gets_a_clear_message(self, client, org, dumas_people):
        ComplaintLocationFactory(unit=org.kua_bangil, name="Meja PTSP")
        client.force_login(dumas_people.petugas)
        response = client.post(reverse("dumas:locations"), {"unit": org.kua_bangil.pk, "name": "Meja PTSP"})
        assert "sudah memiliki lokasi dengan nama tersebut" in response.content.decode()


class TestRecap:
    def make_year(self, org, dumas_people):
        with time_machine.travel(datetime(2025, 3, 3, 9, 0, tzinfo=WIB)):
            answered = ComplaintFactory(unit=org.kua_bangil, channel=Channel.QR)
            answered = services.complaint_verify(complaint=answered, actor=dumas_people.petugas)
        with time_machine.travel(datetime(2025, 3, 6, 9, 0, tzinfo=WIB)):
            answered = services.complaint_follow_up(complaint=answered, actor=dumas_people.petugas)
            answered = services.complaint_answer(complaint=answered, actor=dumas_people.petugas, answer="Ok")
            services.complaint_rate(complaint=answered, rating=4)
        with time_machine.travel(datetime(2025, 4, 10, 9, 0, tzinfo=WIB)):
            ComplaintFactory(unit=org.man_pasuruan, kind=ComplaintKind.ASPIRASI, channel=Channel.PTSP)
            ComplaintFactory(
                unit=org.kua_bangil, kind=ComplaintKind.WHISTLEBLOWING, violation=Violation.PUNGLI
            )

    def test_the_recap_counts_by_kind_channel_and_month(self, client, org, dumas_people):
        self.make_year(org, dumas_people)
        client.force_login(dumas_people.petugas)
        response = client.get(reverse("dumas:recap"), {"year": 2025})
        recap = response.context["recap"]
        assert recap.overall.total == 3
        assert {bar.label: bar.count for bar in recap.by_kind}["Aspirasi"] == 1
        assert {bar.label: bar.count for bar in recap.by_channel}["Kode QR di lokasi"] == 1
        assert [group.total for group in recap.per_month][2:4] == [1, 2]
        assert recap.overall.avg_rating == 4.0
        assert recap.overall.avg_verify_days == 0.0
        assert recap.overall.avg_answer_days == 3.0
        assert "<svg" in response.content.decode()

    def test_a_month_and_a_unit_narrow_it(self, client, org, dumas_people):
        self.make_year(org, dumas_people)
        client.force_login(dumas_people.petugas)
        recap = client.get(
            reverse("dumas:recap"), {"year": 2025, "month": 4, "unit": org.man_pasuruan.pk}
        ).context["recap"]
        assert recap.overall.total == 1
        assert [group.label for group in recap.per_unit] == ["MAN 1 Pasuruan"]

    def test_a_head_of_unit_does_not_count_whistleblowing_about_it(self, client, org, dumas_people):
        self.make_year(org, dumas_people)
        client.force_login(dumas_people.pimpinan_kua)
        recap = client.get(reverse("dumas:recap"), {"year": 2025}).context["recap"]
        assert recap.overall.total == 1
        assert {bar.label: bar.count for bar in recap.by_kind}["Pelaporan pelanggaran (whistleblowing)"] == 0

    def test_the_recap_exports_to_excel(self, client, org, dumas_people):
        self.make_year(org, dumas_people)
        client.force_login(dumas_people.pimpinan)
        response = client.get(reverse("dumas:recap_export"), {"year": 2025})
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["Ringkasan", "Per unit", "Per bulan"]
        summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True) if row[0]}
        assert summary["Jumlah pengaduan"] == 2  # the Pimpinan does not see whistleblowing

    def test_public_text_cannot_become_a_formula_in_excel(self, client, org, dumas_people):
        ComplaintFactory(unit=org.kua_bangil, subject='=HYPERLINK("http://jahat.example","klik")')
        client.force_login(dumas_people.petugas)
        response = client.get(reverse("dumas:queue_export"))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        subjects = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert subjects == ['\'=HYPERLINK("http://jahat.example","klik")']


class TestDashboardCard:
    def test_the_card_shows_what_the_role_allows(self, client, org, dumas_people):
        ComplaintFactory(unit=org.kua_bangil)
        client.force_login(dumas_people.petugas)
        page = client.get(reverse("core:dashboard")).content.decode()
        assert "1 pengaduan menunggu verifikasi" in page
        assert reverse("dumas:record") in page and reverse("dumas:locations") in page
        client.force_login(dumas_people.pimpinan)
        page = client.get(reverse("core:dashboard")).content.decode()
        assert reverse("dumas:queue") in page and reverse("dumas:record") not in page
        client.force_login(dumas_people.kontributor)
        assert reverse("dumas:queue") not in client.get(reverse("core:dashboard")).content.decode()
