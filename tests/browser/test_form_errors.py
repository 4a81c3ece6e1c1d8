"""A form that fails validation loses nothing, in headless Chromium.

A person who mistyped one field sees a summary of the errors at the top of
the form with the focus on it, and the files they had chosen still there
("Berkas tersimpan: …"), so fixing the one field and sending again is
enough. On a phone the PPID request form and its tracking page fit the
screen.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from dumas.models import Complaint
from dumas.workflow import ComplaintStatus
from humas_portal.core import held_uploads
from humas_portal.core.storage import private_storage
from news.models import NewsItem
from ppid.models import IdentityDocument, PpidProfile, PpidRequest
from tests.core.test_images import photo_with_gps

from ..dumas.factories import ComplaintFactory, ComplaintLocationFactory
from ..dumas.helpers import jpeg_with_exif
from ..ppid.factories import VALID_NIK, submit_request
from .ppid_forms import fill_ppid_request, ktp_scan

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def quick_forms(settings):
    # A browser fills a form faster than the guards' minimum (tested in
    # tests/core/test_ratelimit.py); runs share 127.0.0.1's counters.
    settings.PPID_FORM_MIN_SECONDS = 0
    settings.PPID_SUBMISSIONS_SOFT_LIMIT = 10_000
    settings.PPID_SUBMISSIONS_PER_HOUR = 10_000
    settings.DUMAS_FORM_MIN_SECONDS = 0
    settings.DUMAS_RATE_SOFT_LIMIT = 10_000
    settings.DUMAS_RATE_LIMIT = 10_000


def held_files():
    try:
        return private_storage.listdir(held_uploads.FOLDER)[1]
    except FileNotFoundError:
        return []


def test_on_a_phone_a_ppid_request_with_a_wrong_nik_keeps_its_ktp_scan(
    org, quick_forms, phone_page, tmp_path
):
    PpidProfile.objects.create(
        unit=org.pasuruan, is_published=True, profile="PPID Pelaksana", signatory_name="Rina Marlina"
    )
    page = phone_page
    page.goto(f"/ppid/{org.pasuruan.slug}/")
    page.get_by_role("link", name="Ajukan permohonan informasi").click()
    assert page.evaluate(FITS), "the form is wider than the phone"

    fill_ppid_request(
        page,
        ktp_scan(tmp_path, "ktp-siti.png"),
        nik="3514 0152 0890",  # four digits short
        phone=None,
        obtain="Melihat/membaca/mendengarkan/mencatat",
    )
    page.get_by_role("button", name="Kirim permohonan").click()

    # The summary is at the top, holds the focus and names the field.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("link")).to_have_text(
        ["NIK atau nomor akta/SK badan hukum: NIK harus terdiri dari 16 angka."]
    )
    assert page.evaluate(FITS), "the form with its errors is wider than the phone"
    # The scan is kept: shown by name, no empty input to fill again.
    kept = page.locator(".held-upload")
    expect(kept).to_contain_text("Berkas tersimpan: ktp-siti.png")
    expect(kept.get_by_text("(ganti)")).to_be_visible()
    expect(page.get_by_label("Pindaian KTP atau akta badan hukum")).to_be_hidden()
    assert len(held_files()) == 1
    assert not PpidRequest.objects.exists()

    # The summary's link takes the person to the field.
    summary.get_by_role("link").click()
    nik = page.get_by_label("NIK atau nomor akta/SK badan hukum")
    expect(nik).to_be_focused()
    nik.fill(VALID_NIK)
    page.get_by_role("button", name="Kirim permohonan").click()

    expect(page).to_have_url(re.compile(r"/ppid/lacak/[A-Za-z0-9_\-]{43}/$"))
    expect(page.get_by_text(re.compile(r"Permohonan Anda terdaftar dengan nomor"))).to_be_visible()
    request = PpidRequest.objects.get()
    document = IdentityDocument.objects.get(request=request)
    assert document.original_name == "ktp-siti.png"
    assert held_files() == [], "nothing stays held once the request is filed"


def test_on_a_phone_the_ppid_tracking_status_fits_the_screen(org, phone_page):
    submitted = submit_request(
        org.pasuruan,
        information_requested="Rekap_anggaran_KUA_se-Kabupaten_Pasuruan_tahun_anggaran_2025_per_bulan",
    )
    phone_page.goto(f"/ppid/lacak/{submitted.token}/")
    table = phone_page.locator("table.ppid-facts")
    expect(table).to_contain_text(submitted.request.registration_number)
    assert phone_page.evaluate(FITS)
    # Nothing of the table hides past the edge of its box.
    assert table.evaluate("(t) => t.scrollWidth <= t.parentElement.clientWidth")
    number = phone_page.get_by_role("cell", name=submitted.request.registration_number)
    box = number.bounding_box()
    assert box["x"] + box["width"] <= 390


def test_a_complaint_from_a_poster_keeps_the_good_photo_and_names_the_bad_file(
    org, quick_forms, page, tmp_path
):
    location = ComplaintLocationFactory(unit=org.kua_bangil, name="Loket depan KUA Bangil")
    photo = tmp_path / "loket.jpg"
    photo.write_bytes(jpeg_with_exif().read())
    fake = tmp_path / "kuitansi.pdf"
    fake.write_bytes(b"<html>bukan pdf</html>")

    page.goto(location.form_path())
    page.get_by_label("Judul laporan").fill("Pungutan di loket")
    page.get_by_label("Uraian").fill("Terlalu singkat")
    page.locator("input[name=attachments]").set_input_files([str(photo), str(fake)])
    page.get_by_label("Anonim", exact=False).check()
    page.get_by_label("Saya menyatakan laporan ini sesuai").check()
    page.get_by_role("button", name="Kirim laporan").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Uraian:")
    expect(summary).to_contain_text("Lampiran: kuitansi.pdf: Lampiran harus berupa foto")
    expect(page.locator(".held-upload")).to_contain_text("Berkas tersimpan: loket.jpg")
    expect(page.locator(".held-upload")).not_to_contain_text("kuitansi.pdf")
    # The field with the error opens its choice: the photo is ticked to stay.
    expect(page.get_by_label(re.compile(r"Tetap lampirkan loket\.jpg"))).to_be_checked()

    page.get_by_label("Uraian").fill(
        "Saat mendaftar nikah di loket depan saya diminta membayar biaya tambahan tanpa kuitansi."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("heading", name="Laporan Anda telah diterima")).to_be_visible()
    complaint = Complaint.objects.get()
    assert complaint.location == location
    assert complaint.attachments.count() == 1
    assert held_files() == []


def test_added_information_with_one_file_too_many_keeps_both_until_one_is_unticked(
    org, quick_forms, phone_page, tmp_path, settings
):
    settings.DUMAS_ATTACHMENT_MAX_FILES = 1
    complaint = ComplaintFactory(unit=org.kua_bangil, status=ComplaintStatus.ON_HOLD)
    first, second = tmp_path / "bukti-1.jpg", tmp_path / "bukti-2.jpg"
    first.write_bytes(jpeg_with_exif().read())
    second.write_bytes(jpeg_with_exif().read())

    page = phone_page
    page.goto(f"/pengaduan/lacak/{complaint.tracking_code}/")
    page.get_by_label("Informasi tambahan").fill("Foto loket hari Senin pagi.")
    page.locator("input[name=info-attachments]").set_input_files([str(first), str(second)])
    page.get_by_role("button", name="Kirim informasi").click()

    expect(page.get_by_text("Paling banyak 1 lampiran.")).to_be_visible()
    expect(page.locator(".held-upload")).to_contain_text("Berkas tersimpan: bukti-1.jpg, bukti-2.jpg")
    page.get_by_label(re.compile(r"Tetap lampirkan bukti-2\.jpg")).uncheck()
    page.get_by_role("button", name="Kirim informasi").click()

    expect(page.get_by_text("Informasi tambahan Anda telah terkirim kepada petugas.")).to_be_visible()
    message = complaint.messages.get(body="Foto loket hari Senin pagi.")
    assert message.attachments.count() == 1
    assert held_files() == []


def test_a_news_item_without_its_lead_keeps_its_featured_photo(people, page, log_in, tmp_path):
    featured = tmp_path / "foto-utama.jpg"
    featured.write_bytes(photo_with_gps(800, 533))

    log_in(page, people.kontributor.username)
    page.get_by_role("link", name="Tulis berita").click()
    page.get_by_label("Judul").fill("Manasik haji di KUA Bangil")
    editable = page.locator(".ck-editor__editable")
    editable.click()
    page.keyboard.type("Sebanyak 120 calon jamaah haji mengikuti manasik di aula KUA.")
    page.locator("input[name=featured_image]").set_input_files(str(featured))
    page.get_by_role("button", name="Simpan draf").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Teras berita: Bidang ini tidak boleh kosong."])
    expect(page.locator(".held-upload")).to_contain_text("Berkas tersimpan: foto-utama.jpg")

    summary.get_by_role("link").click()
    expect(page.get_by_label("Teras berita")).to_be_focused()
    page.get_by_label("Teras berita").fill("Calon jamaah haji berlatih manasik di aula KUA Kecamatan Bangil.")
    page.get_by_role("button", name="Simpan draf").click()

    expect(page.locator(".messages")).to_contain_text("Draf berita tersimpan.")
    item = NewsItem.objects.get(title="Manasik haji di KUA Bangil")
    assert item.featured_image is not None
    assert held_files() == []
