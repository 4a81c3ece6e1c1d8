"""Every form on a public page, filled and sent by clicks from the page a
person reaches it on, at desktop and at phone size, each ending on its
success page: search, news subscription, PPID request, objection and the
reissue of a tracking link, a Dumas complaint from the web and through a QR
location link, additional information and a rating.

Runs on the demo data, as a visitor of the demo meets it. Where a step needs
the office to have acted first (an answer to object to or to rate), the
test acts through the service, as the office's desk would.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from dumas import services as dumas_services
from dumas.models import Complaint, ComplaintLocation
from humas_portal.core.models import User
from news.views_public import SubscriptionForm
from ppid import services as ppid_services
from ppid.models import PpidRequest

from .ppid_forms import fill_ppid_request, ktp_scan

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
OFFICE = "Kantor Kementerian Agama Kabupaten Pasuruan"


@pytest.fixture(params=list(SIZES))
def person(request, new_page, settings, monkeypatch):
    """A visitor's browser at one size, on the demo portal."""
    settings.DEBUG = True
    call_command("seed_demo", password="sandi-demo-formulir", stdout=io.StringIO())
    # A browser fills a form faster than the anti-bot timer allows, and the
    # runs on one machine share 127.0.0.1's counters; the guards have their
    # own tests (tests/core/test_ratelimit.py).
    settings.PPID_FORM_MIN_SECONDS = 0
    settings.PPID_SUBMISSIONS_SOFT_LIMIT = 10_000
    settings.PPID_SUBMISSIONS_PER_HOUR = 10_000
    settings.DUMAS_FORM_MIN_SECONDS = 0
    settings.DUMAS_RATE_SOFT_LIMIT = 10_000
    settings.DUMAS_RATE_LIMIT = 10_000
    monkeypatch.setattr(SubscriptionForm, "guard_min_seconds", 0)
    page = new_page(**SIZES[request.param])
    page.size = request.param
    page.goto("/")
    return page


def follow_header(page, name: str) -> None:
    """Click a link of the header, through the menu button on a phone."""
    if page.size == "phone":
        page.get_by_role("button", name="Menu").tap()
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=name, exact=True).click()


def send(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def file_ppid_request(page, tmp_path) -> PpidRequest:
    follow_header(page, "PPID")
    page.get_by_role("link", name=re.compile(OFFICE)).first.click()
    page.get_by_role("link", name="Ajukan permohonan informasi").click()
    no_sideways_scroll(page)
    fill_ppid_request(page, ktp_scan(tmp_path))
    send(page, "Kirim permohonan")
    expect(page).to_have_url(re.compile(r"/ppid/lacak/[A-Za-z0-9_\-]{43}/$"))
    heading = page.get_by_role("heading", name=re.compile(r"^Permohonan KK3514.PPID."))
    expect(heading).to_be_visible()
    filed = PpidRequest.objects.get(registration_number=heading.inner_text().split(" ", 1)[1])
    no_sideways_scroll(page)
    return filed


def file_complaint(page, subject: str) -> Complaint:
    page.get_by_label("Pengaduan", exact=True).check()
    page.get_by_label("Judul laporan").fill(subject)
    page.get_by_label("Uraian").fill(
        "Antrean layanan nikah di loket tidak tertib dan tidak ada nomor antrean sejak pagi."
    )
    page.get_by_label("Anonim", exact=False).check()
    page.get_by_label("Saya menyatakan laporan ini sesuai").check()
    send(page, "Kirim laporan")
    expect(page.get_by_role("heading", name="Laporan Anda telah diterima")).to_be_visible()
    no_sideways_scroll(page)
    code = page.locator("#kode-pelacakan").inner_text().strip()
    return Complaint.objects.get(tracking_code=code)


def test_search_from_the_header(person):
    follow_header(person, "Cari")
    person.get_by_role("searchbox").first.fill("madrasah")
    with person.expect_navigation():
        person.get_by_role("searchbox").first.press("Enter")
    expect(person).to_have_url(re.compile(r"/cari/\?q=madrasah"))
    expect(person.locator(".news-card").first).to_be_visible()
    no_sideways_scroll(person)


def test_news_subscription_from_the_home_page(person):
    mail.outbox.clear()  # what the demo data sent
    person.get_by_role("link", name="Langganan lewat email").first.click()
    person.get_by_label("Email").fill("pembaca@example.org")
    send(person, "Berlangganan")
    expect(person.get_by_text("kami telah mengirim email berisi tautan konfirmasi")).to_be_visible()
    assert [message.to for message in mail.outbox] == [["pembaca@example.org"]]
    no_sideways_scroll(person)


def test_ppid_request_then_objection_from_the_tracking_page(person, tmp_path):
    filed = file_ppid_request(person, tmp_path)
    tracking_url = person.url
    # The office answers, in part; the requester then objects from the page.
    ppid_services.ppid_request_answer(
        request=filed,
        actor=User.objects.get(username="ppid"),
        decision="ditolak",
        answer_note="Data per KUA termasuk informasi yang dikecualikan.",
        refusal_ground="h",
        consequence_test="Membuka data per KUA dapat mengungkap data pribadi.",
    )
    person.goto(tracking_url)
    person.get_by_label(re.compile(r"a\. Permohonan ditolak")).check()
    person.get_by_label("Kasus posisi").fill("Data jumlah per KUA bukan data pribadi dan bukan rahasia.")
    send(person, "Ajukan keberatan")
    expect(person.get_by_text(re.compile(r"Keberatan Anda terdaftar dengan nomor "))).to_be_visible()
    no_sideways_scroll(person)


def test_ppid_tracking_link_is_sent_again(person, tmp_path):
    filed = file_ppid_request(person, tmp_path)
    mail.outbox.clear()
    person.goto("/")
    follow_header(person, "PPID")
    person.get_by_role("link", name="Kehilangan tautan pelacakan permohonan?").click()
    person.get_by_label("Nomor pendaftaran").fill(filed.registration_number)
    person.get_by_label("Email yang dipakai saat mengajukan permohonan").fill("siti@example.org")
    send(person, "Kirim tautan")
    expect(person.get_by_text(re.compile("tautan pelacakan", re.IGNORECASE)).first).to_be_visible()
    assert "/ppid/lacak/" in "".join(message.body for message in mail.outbox)
    no_sideways_scroll(person)


def test_dumas_complaint_from_the_web_then_more_information(person):
    follow_header(person, "Pengaduan")
    person.get_by_label("Cari unit yang Anda laporkan").fill("Pasuruan")
    send(person, "Cari unit")
    person.get_by_role("link", name=re.compile(OFFICE)).first.click()
    no_sideways_scroll(person)
    complaint = file_complaint(person, "Antrean layanan nikah tidak tertib")
    person.get_by_role("link", name="Lihat status laporan").click()
    person.get_by_label("Informasi tambahan").fill("Kejadian berulang setiap hari Senin pagi.")
    send(person, "Kirim informasi")
    expect(person.get_by_text("Kejadian berulang setiap hari Senin pagi.")).to_be_visible()
    assert complaint.messages.filter(body__contains="Senin pagi").exists()
    no_sideways_scroll(person)


def test_dumas_complaint_through_a_qr_location_then_a_rating(person):
    # Scanning the poster at the front desk opens this address.
    location = ComplaintLocation.objects.filter(is_active=True).first()
    person.goto(location.form_path())
    expect(person.get_by_text(f"Lokasi: {location.name}")).to_be_visible()
    complaint = file_complaint(person, "Tidak ada nomor antrean di loket")
    officer = User.objects.get(username="petugas_dumas")
    complaint = dumas_services.complaint_verify(complaint=complaint, actor=officer)
    complaint = dumas_services.complaint_follow_up(complaint=complaint, actor=officer)
    dumas_services.complaint_answer(
        complaint=complaint, actor=officer, answer="Mesin nomor antrean dipasang sejak hari ini."
    )
    person.get_by_role("link", name="Lihat status laporan").click()
    expect(person.get_by_role("heading", name="Beri penilaian atas jawaban")).to_be_visible()
    person.get_by_label(re.compile("Puas|5")).first.check()
    send(person, "Kirim penilaian")
    expect(person.get_by_role("heading", name="Penilaian Anda")).to_be_visible()
    no_sideways_scroll(person)
