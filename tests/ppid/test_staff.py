"""The staff side: the queue, a request's page and its actions, objections,
the PPID page editors and the dashboard card."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from humas_portal.core import workdays
from humas_portal.core.models import AuditEntry
from ppid import services
from ppid.models import DipEntry, PpidProfile, PpidRequest, RequestStatus

from .factories import VALID_NIK, PpidProfileFactory, pdf_upload, submit_request

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def at(year, month, day, hour=10):
    return time_machine.travel(datetime(year, month, day, hour, tzinfo=WIB), tick=False)


def test_queue_is_ordered_by_deadline_and_marks_overdue(client, org, ppid_people):
    with at(2026, 3, 2):
        old = submit_request(org.pasuruan, information_requested="Permohonan lama").request
    with at(2026, 3, 13):
        recent = submit_request(org.pasuruan, information_requested="Permohonan baru").request
    with at(2026, 3, 16):
        services.ppid_request_extend(request=recent, actor=ppid_people.ppid, reason="Butuh koordinasi")
        fresh = submit_request(org.pasuruan, information_requested="Permohonan segar").request
    client.force_login(ppid_people.ppid)
    with at(2026, 3, 17):
        response = client.get(reverse("ppid:queue"))
    rows = response.context["rows"]
    assert [r["req"] for r in rows] == [old, fresh, recent]  # 16 Mar, 8 Apr, 15 Apr
    assert rows[0]["overdue"] and rows[0]["days_late"] == 1
    assert rows[1]["days_left"] == 10 - 1  # one working day (17 March) gone
    assert "terlambat 1 hari kerja" in response.text


def test_queue_query_count_is_the_same_for_3_and_30_requests(
    client, org, ppid_people, django_assert_num_queries
):
    PpidProfileFactory(unit=org.pasuruan)
    client.force_login(ppid_people.ppid)
    workdays.is_working_day(datetime(2026, 3, 13).date())  # calendar overrides cached, as in a warm worker

    def count_for(n):
        for _ in range(n - PpidRequest.objects.count()):
            submit_request(org.pasuruan)
        # session, user, role assignments, the user's PPID pages, the page
        # count, the page of requests (unit and objection joined)
        with django_assert_num_queries(6):
            response = client.get(reverse("ppid:queue"))
        assert len(response.context["rows"]) == n

    count_for(3)
    count_for(30)


def test_queue_belongs_to_ppid_staff_of_the_unit(client, org, ppid_people):
    PpidProfileFactory(unit=org.pasuruan)
    client.force_login(ppid_people.ppid_lain)
    assert client.get(reverse("ppid:queue"), {"unit": org.pasuruan.slug}).status_code == 404
    client.force_login(ppid_people.kontributor)
    assert client.get(reverse("ppid:queue")).status_code == 403
    client.force_login(ppid_people.atasan)
    assert client.get(reverse("ppid:queue"))["Location"] == reverse("ppid:objections")
    client.force_login(ppid_people.ppid_kanwil)
    assert client.get(reverse("ppid:queue"), {"unit": org.pasuruan.slug}).status_code == 200


def test_request_page_masks_the_nik_and_the_identity_page_logs_each_look(client, org, ppid_people):
    ppid_request = submit_request(org.pasuruan).request
    client.force_login(ppid_people.ppid)
    page = client.get(reverse("ppid:staff_request", kwargs={"pk": ppid_request.pk})).text
    assert VALID_NIK not in page
    assert "3514••••••••0001" in page

    identity = client.get(reverse("ppid:staff_identity", kwargs={"pk": ppid_request.pk}))
    assert VALID_NIK in identity.text
    assert "no-store" in identity["Cache-Control"] and "private" in identity["Cache-Control"]
    document = ppid_request.identity_documents.get()
    scan = client.get(
        reverse(
            "ppid:staff_identity_document", kwargs={"pk": ppid_request.pk, "public_id": document.public_id}
        )
    )
    assert b"".join(scan).startswith(b"\x89PNG")
    views = AuditEntry.objects.filter(object_id=str(ppid_request.pk), action__startswith="identity_")
    assert sorted(views.values_list("action", flat=True)) == ["identity_document_view", "identity_view"]
    assert set(views.values_list("actor", flat=True)) == {ppid_people.ppid.pk}


def test_the_kanwil_ppid_handles_but_never_sees_the_full_nik(client, org, ppid_people):
    ppid_request = submit_request(org.pasuruan).request
    client.force_login(ppid_people.ppid_kanwil)
    page = client.get(reverse("ppid:staff_request", kwargs={"pk": ppid_request.pk}))
    assert page.status_code == 200
    assert "Lihat NIK lengkap" not in page.text
    assert client.get(reverse("ppid:staff_identity", kwargs={"pk": ppid_request.pk})).status_code == 403
    document = ppid_request.identity_documents.get()
    url = reverse(
        "ppid:staff_identity_document", kwargs={"pk": ppid_request.pk, "public_id": document.public_id}
    )
    assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="identity_").exists()


def test_ppid_of_another_office_cannot_open_the_request(client, org, ppid_people):
    ppid_request = submit_request(org.pasuruan).request
    client.force_login(ppid_people.ppid_lain)
    assert client.get(reverse("ppid:staff_request", kwargs={"pk": ppid_request.pk})).status_code == 403
    assert client.get(reverse("ppid:staff_answer", kwargs={"pk": ppid_request.pk})).status_code == 403


def test_answering_in_part_with_a_file_through_the_form(
    client, org, ppid_people, django_capture_on_commit_callbacks
):
    ppid_request = submit_request(org.pasuruan).request
    client.force_login(ppid_people.ppid)
    url = reverse("ppid:staff_answer", kwargs={"pk": ppid_request.pk})
    data = {
        "decision": "sebagian",
        "answer_note": "Data penerima bantuan kami berikan tanpa NIK penerima.",
        "answer_form": "softcopy",
        "answer_format": "PDF",
        "fee_amount": "0",
        "redaksi-TOTAL_FORMS": "3",
        "redaksi-INITIAL_FORMS": "0",
        "redaksi-MIN_NUM_FORMS": "0",
        "redaksi-MAX_NUM_FORMS": "30",
    }
    response = client.post(url, {**data, "files": pdf_upload("bantuan.pdf")})
    assert response.status_code == 200
    assert "memerlukan alasan untuk setiap bagian yang dihitamkan" in response.text
    data.update(
        {"redaksi-0-part": "Kolom NIK penerima", "redaksi-0-ground": "h", "redaksi-0-reason": "Data pribadi"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "files": pdf_upload("bantuan.pdf")})
    assert response.status_code == 302
    ppid_request.refresh_from_db()
    assert ppid_request.status == RequestStatus.ANSWERED
    assert ppid_request.redactions.get().reason == "Data pribadi"
    assert ppid_request.attachments.get().original_name == "bantuan.pdf"
    assert ppid_request.notices.get().kind == "pemberitahuan"
    answered = next(m for m in mail.outbox if "Pemberitahuan tertulis" in m.subject)
    assert answered.to == ["siti@example.org"]
    assert "/ppid/lacak/" in answered.body
    # The form is gone once answered.
    assert client.get(url).status_code == 302


def test_refusal_needs_a_pasal_17_ground_and_a_consequence_test(client, org, ppid_people):
    ppid_request = submit_request(org.pasuruan).request
    client.force_login(ppid_people.ppid)
    url = reverse("ppid:staff_answer", kwargs={"pk": ppid_request.pk})
    management = {
        "redaksi-TOTAL_FORMS": "0",
        "redaksi-INITIAL_FORMS": "0",
        "redaksi-MIN_NUM_FORMS": "0",
        "redaksi-MAX_NUM_FORMS": "30",
    }
    response = client.post(url, {"decision": "ditolak", **management})
    assert "Pilih dasar pengecualian Pasal 17" in response.text
    assert "Penolakan wajib disertai uji konsekuensi." in response.text
    response = client.post(url, {"decision": "tidak_dikuasai", **management})
    assert "Sebutkan badan publik yang menguasai informasi" in response.text
    ppid_request.refresh_from_db()
    assert ppid_request.status == RequestStatus.RECEIVED


def test_extension_through_the_request_page(client, org, ppid_people, django_capture_on_commit_callbacks):
    with at(2026, 3, 13):
        ppid_request = submit_request(org.pasuruan).request
        client.force_login(ppid_people.ppid)
        url = reverse("ppid:staff_extend", kwargs={"pk": ppid_request.pk})
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"reason": "Dokumen ada di arsip madrasah."})
    ppid_request.refresh_from_db()
    assert ppid_request.extended_due_on.isoformat() == "2026-04-15"
    message = next(m for m in mail.outbox if "Perpanjangan" in m.subject)
    assert "15 April 2026" in message.body and "Dokumen ada di arsip madrasah." in message.body


def test_atasan_answers_an_objection_and_the_requester_is_told_about_the_komisi(
    client, org, ppid_people, django_capture_on_commit_callbacks
):
    with at(2026, 3, 13):
        ppid_request = submit_request(org.pasuruan).request
    with at(2026, 4, 7):
        objection = services.ppid_objection_file(request=ppid_request, grounds=["c"], reasons="Tidak dijawab")
    client.force_login(ppid_people.atasan)
    listing = client.get(reverse("ppid:objections"))
    assert objection.registration_number in listing.text
    with at(2026, 4, 8), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ppid:staff_objection", kwargs={"pk": objection.pk}),
            {"outcome": "diterima", "answer": "PPID diperintahkan menjawab dalam 3 hari kerja."},
        )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == "diterima"
    message = next(m for m in mail.outbox if "Tanggapan atas keberatan" in m.subject)
    assert "Komisi Informasi paling lambat 28 April 2026" in message.body
    assert ppid_request.notices.filter(kind="tanggapan_keberatan").exists()
    # The PPID may read the objection but not decide it.
    client.force_login(ppid_people.ppid)
    assert client.get(reverse("ppid:staff_objection", kwargs={"pk": objection.pk})).status_code == 200
    assert (
        client.post(
            reverse("ppid:staff_objection", kwargs={"pk": objection.pk}),
            {"outcome": "ditolak", "answer": "x"},
        ).status_code
        == 403
    )


def test_ppid_edits_the_profile_and_the_dip(client, org, ppid_people):
    client.force_login(ppid_people.ppid)
    response = client.post(
        reverse("ppid:profile_edit", kwargs={"slug": org.pasuruan.slug}),
        {
            "is_published": "on",
            "profile": "PPID Kankemenag Pasuruan",
            "service_procedure": "Datang atau isi formulir daring.",
            "service_hours": "08.00–16.00",
            "service_fees": "Gratis",
            "website": "pasuruan.kemenag.go.id",
            "signatory_name": "H. Ali",
            "signatory_title": "PPID Pelaksana",
            "pejabat-TOTAL_FORMS": "2",
            "pejabat-INITIAL_FORMS": "0",
            "pejabat-MIN_NUM_FORMS": "0",
            "pejabat-MAX_NUM_FORMS": "20",
            "pejabat-0-ppid_position": "Atasan PPID",
            "pejabat-0-name": "Dr. H. Kepala",
            "pejabat-0-office_title": "Kepala Kantor",
        },
    )
    assert response.status_code == 302
    profile = PpidProfile.objects.get(unit=org.pasuruan)
    assert profile.website == "https://pasuruan.kemenag.go.id"
    assert [o.name for o in profile.officials.all()] == ["Dr. H. Kepala"]

    entry = {
        "category": "dikecualikan",
        "title": "Berkas perkara disiplin pegawai",
        "summary": "Berkas pemeriksaan",
        "holder": "Subbag TU",
        "responsible": "Kasubbag TU",
        "made_when": "2025",
        "made_where": "Pasuruan",
        "form_available": "Hardcopy",
        "retention_period": "10 tahun",
        "order": "0",
        "is_published": "on",
    }
    response = client.post(reverse("ppid:dip_create", kwargs={"slug": org.pasuruan.slug}), entry)
    assert response.context["form"].errors == {
        "exemption_ground": ["Informasi yang dikecualikan wajib menyebut dasar Pasal 17."],
        "consequence_test": ["Informasi yang dikecualikan wajib disertai uji konsekuensi."],
    }
    entry.update({"exemption_ground": "h", "consequence_test": "Mengungkap rahasia pribadi pegawai."})
    response = client.post(reverse("ppid:dip_create", kwargs={"slug": org.pasuruan.slug}), entry)
    assert response.status_code == 302
    saved = DipEntry.objects.get()
    add = client.post(
        reverse("ppid:dip_document_add", kwargs={"slug": org.pasuruan.slug, "pk": saved.pk}),
        {"title": "Berkas", "file": pdf_upload()},
        follow=True,
    )
    assert "tidak boleh memiliki dokumen unduhan" in add.text
    assert not saved.documents.exists()
    public = client.get(reverse("ppid:unit", kwargs={"slug": org.pasuruan.slug})).text
    assert "Berkas perkara disiplin pegawai" in public and "Dr. H. Kepala" in public


def test_other_offices_cannot_edit_the_page(client, org, ppid_people):
    client.force_login(ppid_people.ppid_lain)
    assert client.get(reverse("ppid:profile_edit", kwargs={"slug": org.pasuruan.slug})).status_code == 403
    assert client.get(reverse("ppid:dip_manage", kwargs={"slug": org.pasuruan.slug})).status_code == 403


def test_dashboard_card_shows_open_and_overdue_requests(client, org, ppid_people):
    with at(2026, 3, 2):
        submit_request(org.pasuruan)
    with at(2026, 3, 13):
        submit_request(org.pasuruan)
    client.force_login(ppid_people.ppid)
    with at(2026, 3, 17):
        page = client.get(reverse("core:dashboard")).text
    assert "2 permohonan diproses" in page and "1 terlambat" in page
    client.force_login(ppid_people.kontributor)
    assert "permohonan diproses" not in client.get(reverse("core:dashboard")).text


def test_admin_lists_requests_without_identity_numbers(client, org):
    from tests.factories import UserFactory

    ppid_request = submit_request(org.pasuruan).request
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("ppidrequest", "objection", "dipentry", "ppidprofile", "annualreport"):
        assert client.get(reverse(f"admin:ppid_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:ppid_ppidrequest_change", args=[ppid_request.pk]))
    assert page.status_code == 200
    assert ppid_request.registration_number in page.text
    assert VALID_NIK not in page.text


def test_objection_list_query_count_is_the_same_for_3_and_30(
    client, org, ppid_people, django_assert_num_queries
):
    from ppid.models import Objection

    client.force_login(ppid_people.atasan)
    workdays.is_working_day(datetime(2026, 3, 13).date())

    def count_for(n):
        for _ in range(n - Objection.objects.count()):
            ppid_request = submit_request(org.pasuruan).request
            Objection.objects.create(
                request=ppid_request,
                registration_number=f"KK1514/KEB/2026/{ppid_request.pk:04d}",
                grounds=["c"],
                reasons="Belum dijawab",
                filed_on=ppid_request.received_on,
                due_on=ppid_request.due_on,
            )
        # session, user, role assignments, the user's Atasan units, the page
        # count, the page of objections (request and unit joined)
        with django_assert_num_queries(6):
            response = client.get(reverse("ppid:objections"))
        assert len(response.context["rows"]) == n

    count_for(3)
    count_for(30)
