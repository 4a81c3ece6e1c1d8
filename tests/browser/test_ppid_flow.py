"""A PPID request end to end, in headless Chromium.

A member of the public files a request on the PPID page of Kankemenag
Pasuruan with a scan of their KTP and lands on their private tracking page;
the unit's PPID answers it from the queue with a file; the requester opens
the tracking page again and downloads the answer and the written notice.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from humas_portal.core.models import Role
from ppid.models import PpidProfile, PpidRequest, RequestStatus
from tests.factories import UserFactory, grant
from tests.pdfs import plain_pdf

from .ppid_forms import fill_ppid_request, ktp_scan

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ANSWER = plain_pdf(note=b"Rekap pernikahan KUA se-Kabupaten Pasuruan 2025")


@pytest.fixture
def ppid_setup(org, settings):
    # The browser fills the form faster than a person; earlier runs within
    # the hour share the rate-limit counters of 127.0.0.1.
    settings.PPID_FORM_MIN_SECONDS = 0
    settings.PPID_SUBMISSIONS_SOFT_LIMIT = 10_000
    settings.PPID_SUBMISSIONS_PER_HOUR = 10_000
    PpidProfile.objects.create(
        unit=org.pasuruan,
        is_published=True,
        profile="PPID Pelaksana Kankemenag Kabupaten Pasuruan",
        service_procedure="Isi formulir, simpan tautan pelacakan.",
        signatory_name="Rina Marlina",
    )
    staff = UserFactory(username="ppid_pasuruan", full_name="Rina Marlina")
    grant(staff, Role.PPID, org.pasuruan)
    return staff


def test_public_files_a_request_ppid_answers_and_the_requester_downloads(
    org, ppid_setup, page, new_page, log_in, tmp_path
):
    # --- The public files a request ------------------------------------------------
    page.goto(f"/ppid/{org.pasuruan.slug}/")
    page.get_by_role("link", name="Ajukan permohonan informasi").click()
    expect(page.get_by_role("heading", name="Formulir permohonan informasi publik")).to_be_visible()
    fill_ppid_request(page, ktp_scan(tmp_path))
    page.get_by_role("button", name="Kirim permohonan").click()

    expect(page).to_have_url(re.compile(r"/ppid/lacak/[A-Za-z0-9_\-]{43}/$"))
    ppid_request = PpidRequest.objects.get()
    number = ppid_request.registration_number
    assert re.fullmatch(r"KK1514/PPID/\d{4}/0001", number)
    expect(page.get_by_role("heading", name=f"Permohonan {number}")).to_be_visible()
    expect(page.get_by_text("Diterima, sedang diproses")).to_be_visible()
    tracking_url = page.url

    # --- The PPID answers with a file ----------------------------------------------
    staff = new_page()
    log_in(staff, "ppid_pasuruan")
    staff.goto("/ppid/meja/")
    staff.get_by_role("link", name=number).click()
    expect(staff.get_by_text("3514••••••••0001")).to_be_visible()
    staff.get_by_role("link", name="Beri pemberitahuan tertulis").click()
    staff.get_by_label("Informasi diberikan seluruhnya").check()
    staff.get_by_label("Penjelasan kepada pemohon").fill("Terlampir rekap jumlah pernikahan per KUA.")
    staff.get_by_label("Bentuk informasi yang diberikan").select_option("softcopy")
    staff.get_by_label("Format", exact=True).fill("PDF")
    answer = tmp_path / "rekap-pernikahan-2025.pdf"
    answer.write_bytes(ANSWER)
    staff.get_by_label("Berkas jawaban").set_input_files(str(answer))
    staff.get_by_role("button", name="Buat dan kirim pemberitahuan").click()
    expect(staff.get_by_text("Pemberitahuan tertulis dibuat dan dikirim kepada pemohon.")).to_be_visible()
    ppid_request.refresh_from_db()
    assert ppid_request.status == RequestStatus.ANSWERED

    # --- The requester downloads the answer and the notice -------------------------
    page.goto(tracking_url)
    expect(page.get_by_text("Informasi diberikan seluruhnya", exact=True)).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="rekap-pernikahan-2025.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "rekap-pernikahan-2025.pdf"
    assert download.path().read_bytes() == ANSWER
    with page.expect_download() as notice_info:
        page.get_by_role("link", name="Pemberitahuan tertulis").click()
    assert notice_info.value.path().read_bytes().startswith(b"%PDF-")

    # --- Not satisfied, the requester files an objection from the same page ------
    # (The page keeps its link out of Referer headers to other sites; the
    # browser still sends the portal its Origin, which the CSRF check needs.)
    page.goto(tracking_url)
    page.get_by_label("d. Permohonan ditanggapi tidak sebagaimana yang diminta").check()
    page.get_by_label("Kasus posisi").fill(
        "Rekap yang diberikan tidak memuat data per bulan yang saya minta."
    )
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.get_by_text(re.compile(r"Keberatan Anda terdaftar dengan nomor "))).to_be_visible()
    ppid_request.refresh_from_db()
    assert ppid_request.objection.grounds == ["d"]
