"""The yearly report: figures from the data, per unit and for an office with
its units, as a page, PDF and Excel, and published on the PPID page."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from ppid import services
from ppid.reports import build_report_stats

from .factories import submit_request
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def at(year, month, day):
    return time_machine.travel(datetime(year, month, day, 9, tzinfo=WIB), tick=False)


@pytest.fixture
def year_of_requests(org, ppid_people):
    """2026 at Kankemenag Pasuruan, KUA Bangil (under it) and Sidoarjo."""
    ppid = ppid_people.ppid

    def answer(unit_request, **kwargs):
        return services.ppid_request_answer(request=unit_request, actor=kwargs.pop("actor", ppid), **kwargs)

    with at(2025, 12, 1):
        submit_request(org.pasuruan)  # last year: not counted
    with at(2026, 3, 2):
        full = submit_request(org.pasuruan).request
        partial = submit_request(org.pasuruan).request
        refused = submit_request(org.pasuruan).request
        refused_too = submit_request(org.kua_bangil).request
        pending = submit_request(org.pasuruan).request
    with at(2026, 3, 4):  # 2 working days
        answer(full, decision="diberikan", answer_form="softcopy")
    with at(2026, 3, 9):  # 5 working days
        answer(
            partial,
            decision="sebagian",
            answer_form="softcopy",
            redactions=[services.RedactionInput(part="NIK", ground="h", reason="Data pribadi")],
        )
    with at(2026, 3, 12):  # 8 working days
        answer(refused, decision="ditolak", refusal_ground="h", consequence_test="Privasi")
    with at(2026, 3, 25):  # 12 working days (Nyepi, Idul Fitri and cuti bersama skipped)
        answer(refused_too, decision="ditolak", refusal_ground="a", consequence_test="Penyidikan berjalan")
    with at(2026, 4, 1):
        objection = services.ppid_objection_file(request=refused, grounds=["a"], reasons="Keberatan")
        services.ppid_objection_file(request=refused_too, grounds=["a", "f"], reasons="Keberatan")
        services.ppid_objection_answer(
            objection=objection, actor=ppid_people.atasan, outcome="ditolak", answer="Tetap"
        )
    with at(2026, 5, 4):
        other = submit_request(org.sidoarjo).request
        answer(other, decision="tidak_dikuasai", holder_info="Pemda", actor=ppid_people.ppid_lain)
    return {"pending": pending}


def test_figures_for_an_office_with_its_units(org, year_of_requests):
    stats = build_report_stats(unit=org.pasuruan, year=2026)
    t = stats["totals"]
    assert t["requests"] == 5
    assert (t["accepted"], t["partial"], t["refused"], t["not_held"], t["pending"]) == (1, 1, 2, 0, 1)
    assert t["refused_by_ground"] == {"h": 1, "a": 1}
    assert t["avg_days"] == 6.8  # (2 + 5 + 8 + 12) / 4
    assert t["median_days"] == 6.5
    assert t["max_days"] == 12
    assert t["objections"] == 2
    assert t["objections_by_ground"] == {"a": 2, "f": 1}
    assert t["objection_outcomes"] == {"ditolak": 1}
    assert t["objections_pending"] == 1
    assert stats["monthly"][2] == 5
    rows = {row["unit"]: row for row in stats["per_unit"]}
    assert set(rows) == {"Kankemenag Kabupaten Pasuruan", "KUA Kecamatan Bangil"}
    assert rows["KUA Kecamatan Bangil"]["refused"] == 1
    assert rows["Kankemenag Kabupaten Pasuruan"]["requests"] == 4


def test_the_kanwil_report_adds_up_its_kankemenag(org, year_of_requests):
    stats = build_report_stats(unit=org.kanwil, year=2026)
    assert stats["totals"]["requests"] == 6
    assert stats["totals"]["not_held"] == 1
    assert len(stats["per_unit"]) == 3
    assert build_report_stats(unit=org.kanwil, year=2025)["totals"]["requests"] == 1


def test_report_page_exports_and_publication(client, org, ppid_people, year_of_requests):
    client.force_login(ppid_people.ppid)
    url = reverse("ppid:staff_report", kwargs={"slug": org.pasuruan.slug})
    with at(2026, 11, 2):
        page = client.get(url, {"tahun": 2026})
    assert page.status_code == 200
    assert "ppid-bars" in page.text and "<svg" in page.text
    assert "Pasal 17 huruf a" in page.text

    pdf = client.get(
        reverse("ppid:staff_report_export", kwargs={"slug": org.pasuruan.slug, "fmt": "pdf"}), {"tahun": 2026}
    )
    text = pdf_text(b"".join(pdf))
    assert "LAPORAN LAYANAN INFORMASI PUBLIK TAHUN 2026" in text
    assert "Jumlah permohonan informasi" in text

    xlsx = client.get(
        reverse("ppid:staff_report_export", kwargs={"slug": org.pasuruan.slug, "fmt": "xlsx"}),
        {"tahun": 2026},
    )
    workbook = load_workbook(io.BytesIO(b"".join(xlsx)))
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(min_row=5, values_only=True)}
    assert summary["Jumlah permohonan informasi"] == 5
    assert summary["Ditolak"] == 2
    assert summary["Median waktu penyelesaian (hari kerja)"] == 6.5
    assert [r[0] for r in workbook["Per unit"].iter_rows(min_row=2, values_only=True)] == [
        "Kankemenag Kabupaten Pasuruan",
        "KUA Kecamatan Bangil",
    ]

    with at(2026, 11, 2):
        response = client.post(
            url,
            {
                "tahun": 2026,
                "overview": "Layanan informasi berjalan baik.",
                "constraints_text": "",
                "recommendations": "",
                "komisi_disputes": 1,
            },
        )
    assert response.status_code == 302
    # Later answers do not change what was published.
    services.ppid_request_answer(
        request=year_of_requests["pending"],
        actor=ppid_people.ppid,
        decision="tidak_dikuasai",
        holder_info="-",
    )
    client.logout()
    unit_page = client.get(reverse("ppid:unit", kwargs={"slug": org.pasuruan.slug})).text
    assert reverse("ppid:report", kwargs={"slug": org.pasuruan.slug, "year": 2026}) in unit_page
    public = client.get(reverse("ppid:report", kwargs={"slug": org.pasuruan.slug, "year": 2026}))
    assert "Layanan informasi berjalan baik." in public.text
    assert public.context["stats"]["totals"]["pending"] == 1
    assert public.context["stats"]["komisi_disputes"] == 1
    public_xlsx = client.get(
        reverse("ppid:report_export", kwargs={"slug": org.pasuruan.slug, "year": 2026, "fmt": "xlsx"})
    )
    assert public_xlsx.status_code == 200
    assert (
        client.get(reverse("ppid:report", kwargs={"slug": org.pasuruan.slug, "year": 2025})).status_code
        == 404
    )


def test_report_access(client, org, ppid_people):
    url = reverse("ppid:staff_report", kwargs={"slug": org.pasuruan.slug})
    client.force_login(ppid_people.pimpinan)
    assert client.get(url).status_code == 200
    assert client.post(url, {"tahun": 2026, "komisi_disputes": 0}).status_code == 403
    client.force_login(ppid_people.ppid_lain)
    assert client.get(url).status_code == 403
