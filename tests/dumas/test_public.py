"""The public side: filing a complaint (also from a poster's QR code), the
tracking page, and the flood protection that still lets people through."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from dumas import services
from dumas.models import Complaint
from dumas.workflow import Channel, ComplaintStatus, IdentityMode

from .conftest import random_address
from .factories import ComplaintFactory, ComplaintLocationFactory
from .helpers import complaint_data, guard_fields, jpeg_with_exif

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2025, 7, 7, 9, 0, tzinfo=WIB)


def file_complaint(client, url, traveller, **overrides):
    """Open the form, take the time a person takes, and send it."""
    page = client.get(url)
    assert page.status_code == 200
    traveller.shift(90)
    return client.post(url, {**complaint_data(**overrides), **guard_fields(page.content.decode())})


class TestFiling:
    def test_a_person_files_a_complaint_and_gets_a_tracking_code(
        self, client, org, dumas_people, django_capture_on_commit_callbacks
    ):
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        with time_machine.travel(START, tick=False) as traveller:
            with django_capture_on_commit_callbacks(execute=True):
                response = file_complaint(client, url, traveller)
            # (The session would expire once the clock returns to today.)
            page = client.get(response["Location"])
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        assert (complaint.unit, complaint.channel, complaint.identity_mode) == (
            org.kua_bangil,
            Channel.WEB,
            IdentityMode.CONFIDENTIAL,
        )
        assert complaint.tracking_code in page.content.decode()
        assert "dikirim ke email" in page.content.decode() or "kami kirim ke email" in page.content.decode()
        assert any(
            complaint.tracking_code in m.body for m in mail.outbox if m.to == ["dewi.lestari@contoh.id"]
        )

    def test_the_code_is_not_in_the_address_after_filing(self, client, org):
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        with time_machine.travel(START, tick=False) as traveller:
            response = file_complaint(client, url, traveller)
        assert response["Location"] == reverse("dumas:submitted")

    def test_scanning_a_poster_opens_the_form_of_its_unit_and_place(self, client, org):
        location = ComplaintLocationFactory(unit=org.kua_bangil, name="Loket depan KUA Bangil")
        with time_machine.travel(START, tick=False) as traveller:
            page = client.get(location.form_path())
            assert "Loket depan KUA Bangil" in page.content.decode()
            assert "KUA Kecamatan Bangil" in page.content.decode()
            file_complaint(client, location.form_path(), traveller, identity_mode="anonymous")
        complaint = Complaint.objects.get()
        assert (complaint.channel, complaint.location) == (Channel.QR, location)
        assert complaint.reporter_name == ""

    def test_anonymous_sends_no_identity_and_learns_that_no_message_will_come(self, client, org):
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        with time_machine.travel(START, tick=False) as traveller:
            response = file_complaint(client, url, traveller, identity_mode="anonymous", reporter_email="x@y")
            page = client.get(response["Location"]).content.decode()
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        assert complaint.identity_mode == IdentityMode.ANONYMOUS
        assert (complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone) == ("", "", "")
        assert "satu-satunya cara" in page

    def test_a_phone_only_complainant_is_told_no_sms_is_sent(self, client, org):
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        with time_machine.travel(START, tick=False) as traveller:
            response = file_complaint(client, url, traveller, reporter_email="")
            page = client.get(response["Location"]).content.decode()
        assert "tidak mengirim SMS atau WhatsApp otomatis" in page

    def test_clear_messages_for_missing_fields(self, client, org):
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        with time_machine.travel(START, tick=False) as traveller:
            response = file_complaint(
                client,
                url,
                traveller,
                kind="whistleblowing",
                reporter_name="",
                description="pendek",
                agree="",
            )
        body = response.content.decode()
        assert response.status_code == 200
        assert "Pilih jenis pelanggaran" in body
        assert "Tuliskan nama Anda, atau pilih anonim" in body
        assert "Centang pernyataan ini" in body
        assert not Complaint.objects.exists()

    def test_a_photo_is_attached(self, client, org):
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        with time_machine.travel(START, tick=False) as traveller:
            file_complaint(client, url, traveller, attachments=[jpeg_with_exif()])
        assert Complaint.objects.get().attachments.get().kind == "image"

    def test_an_inactive_unit_has_no_form(self, client, org):
        org.kua_bangil.is_active = False
        org.kua_bangil.save()
        assert client.get(reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})).status_code == 404

    def test_the_landing_page_finds_units_and_links_their_forms(self, client, org):
        page = client.get(reverse("dumas:index"), {"unit": "bangil"})
        assert reverse("dumas:create", kwargs={"slug": "kua-bangil"}) in page.content.decode()


class TestFloodProtection:
    def test_a_flood_from_one_address_is_stopped(self, org, settings):
        settings.DUMAS_RATE_LIMIT = 6
        settings.DUMAS_RATE_SOFT_LIMIT = 2
        bot = Client(REMOTE_ADDR=random_address())
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        page = bot.get(url).content.decode()
        statuses = [bot.post(url, {**complaint_data(), **guard_fields(page)}).status_code for _ in range(8)]
        # A bot posting at machine speed never files anything, then is shut out.
        assert statuses[:6] == [200] * 6
        assert statuses[6:] == [429, 429]
        assert not Complaint.objects.exists()

    def test_a_person_behind_a_busy_address_answers_a_sum_and_gets_through(self, org, settings):
        settings.DUMAS_RATE_LIMIT = 30
        settings.DUMAS_RATE_SOFT_LIMIT = 2
        address = random_address()
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        neighbours = Client(REMOTE_ADDR=address)
        with time_machine.travel(START, tick=False) as traveller:
            for _ in range(3):
                file_complaint(neighbours, url, traveller)
            person = Client(REMOTE_ADDR=address)
            page = person.get(url).content.decode()
            assert "Berapa hasil" in page
            traveller.shift(120)
            response = person.post(url, {**complaint_data(subject="Saya juga"), **guard_fields(page)})
        assert response.status_code == 302
        assert Complaint.objects.filter(subject="Saya juga").exists()

    def test_a_normal_person_on_another_address_is_unaffected(self, org, settings):
        settings.DUMAS_RATE_LIMIT = 3
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        flood = Client(REMOTE_ADDR=random_address())
        for _ in range(5):
            flood.post(url, complaint_data())
        with time_machine.travel(START, tick=False) as traveller:
            response = file_complaint(Client(REMOTE_ADDR=random_address()), url, traveller)
        assert response.status_code == 302

    def test_the_honeypot_and_a_too_fast_post_file_nothing(self, client, org):
        url = reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})
        with time_machine.travel(START, tick=False) as traveller:
            page = client.get(url).content.decode()
            fast = client.post(url, {**complaint_data(), **guard_fields(page)})
            traveller.shift(60)
            trapped = client.post(url, {**complaint_data(), **guard_fields(page), "situs_web": "promo"})
        assert "terlalu cepat" in fast.content.decode()
        assert trapped.status_code == 200
        assert not Complaint.objects.exists()

    def test_guessing_tracking_codes_is_cut_off(self, org, settings):
        settings.DUMAS_LOOKUP_MISS_LIMIT = 3
        guesser = Client(REMOTE_ADDR=random_address())
        lookup = reverse("dumas:track_lookup")
        statuses = [guesser.get(lookup, {"kode": f"DMS-TEBAK-{n}"}).status_code for n in range(4)]
        assert statuses == [404, 404, 404, 429]
        real = ComplaintFactory(unit=org.kua_bangil)
        # Even a right code waits: the address is blocked, not the code.
        assert guesser.get(real.get_tracking_url()).status_code == 429
        assert Client(REMOTE_ADDR=random_address()).get(real.get_tracking_url()).status_code == 200


class TestTracking:
    def test_lookup_is_case_and_space_insensitive(self, client, org):
        complaint = ComplaintFactory(unit=org.kua_bangil)
        typed = complaint.tracking_code.lower().replace("-", " ")
        response = client.get(reverse("dumas:track_lookup"), {"kode": typed})
        assert response["Location"] == complaint.get_tracking_url()
        lower_url = reverse("dumas:track", kwargs={"code": complaint.tracking_code.lower()})
        assert client.get(lower_url)["Location"] == complaint.get_tracking_url()

    def test_a_mistyped_code_gets_a_clear_message(self, client, org):
        complaint = ComplaintFactory(unit=org.kua_bangil)
        body = complaint.tracking_code.replace("DMS-", "").replace("-", "")
        typo = body[:5] + ("A" if body[5] != "A" else "B") + body[6:]
        response = client.get(reverse("dumas:track_lookup"), {"kode": typo})
        assert response.status_code == 404
        assert "Kode pelacakan tidak valid" in response.content.decode()

    def test_the_page_shows_status_and_answers_but_no_identity_or_internal_notes(
        self, client, org, dumas_people
    ):
        complaint = ComplaintFactory(unit=org.kua_bangil)
        complaint = services.complaint_verify(
            complaint=complaint, actor=dumas_people.petugas, note="CATATAN-DALAM"
        )
        complaint = services.complaint_follow_up(complaint=complaint, actor=dumas_people.petugas)
        services.complaint_report(complaint=complaint, actor=dumas_people.petugas, note="LAPORAN-INTERNAL")
        services.complaint_answer(
            complaint=complaint, actor=dumas_people.petugas, answer="Loket kini dibuka pukul 08.00."
        )
        page = client.get(complaint.get_tracking_url()).content.decode()
        assert "Dijawab" in page
        assert "Loket kini dibuka pukul 08.00." in page
        for secret in (
            "Siti Rahmawati",
            "siti.rahma@contoh.id",
            "081234567890",
            "CATATAN-DALAM",
            "LAPORAN-INTERNAL",
        ):
            assert secret not in page
        assert "Petugas" not in page.split("Riwayat status")[1].split("</section>")[0]

    def test_the_complainant_adds_information_with_a_photo(self, client, org, dumas_people):
        complaint = ComplaintFactory(unit=org.kua_bangil)
        services.complaint_hold(complaint=complaint, actor=dumas_people.petugas, note="Kapan terjadinya?")
        url = complaint.get_tracking_url()
        with time_machine.travel(START, tick=False) as traveller:
            page = client.get(url).content.decode()
            assert "Kapan terjadinya?" in page
            traveller.shift(60)
            response = client.post(
                url,
                {
                    "aksi": "informasi",
                    "info-text": "Hari Senin pagi.",
                    "info-attachments": [jpeg_with_exif()],
                    **guard_fields(page),
                },
            )
        assert response.status_code == 302
        message = complaint.messages.get(kind="information")
        assert message.body == "Hari Senin pagi." and message.attachments.count() == 1
        assert "Hari Senin pagi." in client.get(url).content.decode()

    def test_the_complainant_rates_an_answer_once(self, client, org, dumas_people):
        complaint = ComplaintFactory(unit=org.kua_bangil, status=ComplaintStatus.IN_FOLLOW_UP)
        url = complaint.get_tracking_url()
        assert "Beri penilaian" not in client.get(url).content.decode()
        services.complaint_answer(complaint=complaint, actor=dumas_people.petugas, answer="Sudah ditindak.")
        with time_machine.travel(START, tick=False) as traveller:
            page = client.get(url).content.decode()
            assert "Beri penilaian" in page
            traveller.shift(30)
            client.post(
                url,
                {
                    "aksi": "nilai",
                    "nilai-rating": "4",
                    "nilai-comment": "Terima kasih.",
                    **guard_fields(page),
                },
            )
        complaint.refresh_from_db()
        assert (complaint.rating, complaint.rating_comment) == (4, "Terima kasih.")
        assert "Beri penilaian" not in client.get(url).content.decode()

    def test_an_unknown_code_is_404(self, client):
        assert (
            client.get(reverse("dumas:track", kwargs={"code": "DMS-2222-2222-2222-2222"})).status_code == 404
        )
