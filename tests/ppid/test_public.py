"""The public side: the PPID page, the request form and the private
tracking page."""

import math
import re
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from ppid import services
from ppid.forms import ObjectionForm
from ppid.models import DipCategory, DipDocument, DipEntry, IdentityDocument, PpidRequest

from .factories import (
    VALID_NIK,
    DipEntryFactory,
    PpidProfileFactory,
    pdf_upload,
    png_upload,
    post_form,
    submit_request,
)

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def form_data(**overrides):
    data = {
        "requester_kind": "perorangan",
        "name": "Budi Santoso",
        "identity_number": "3514 0152 0890 0001",
        "address": "Jl. Raya Bangil 10",
        "phone": "08123",
        "email": "budi@example.org",
        "information_requested": "Rekap anggaran KUA 2025",
        "purpose": "Pengawasan anggaran oleh warga",
        "obtain_method": "softcopy",
        "delivery_method": "email",
        "statement": "on",
        "identity_document": png_upload(),
    }
    data.update(overrides)
    return data


def add_document(entry, name="laporan.pdf"):
    document = DipDocument(
        entry=entry, title=name, original_name=name, content_type="application/pdf", size=10
    )
    document.file.save(f"{document.public_id.hex}.pdf", ContentFile(b"%PDF-1.4 laporan"), save=False)
    document.save()
    return document


def test_ppid_index_lists_units_with_a_published_page(client, org):
    PpidProfileFactory(unit=org.pasuruan)
    PpidProfileFactory(unit=org.sidoarjo, is_published=False)
    response = client.get(reverse("ppid:index"))
    assert response.status_code == 200
    assert "Kankemenag Kabupaten Pasuruan" in response.text
    assert "Kankemenag Kabupaten Sidoarjo" not in response.text


def test_unit_page_groups_the_dip_and_shows_exempt_entries_without_files(client, org):
    PpidProfileFactory(unit=org.pasuruan)
    berkala = DipEntryFactory(unit=org.pasuruan, title="LHKPN pejabat", category=DipCategory.BERKALA)
    DipEntryFactory(unit=org.pasuruan, title="Peringatan banjir", category=DipCategory.SERTA_MERTA)
    DipEntryFactory(unit=org.pasuruan, title="Daftar aset", category=DipCategory.SETIAP_SAAT)
    exempt = DipEntryFactory(
        unit=org.pasuruan,
        title="Data pribadi pegawai",
        category=DipCategory.DIKECUALIKAN,
        exemption_ground="h",
        legal_basis="UU 27/2022 tentang Pelindungan Data Pribadi",
        consequence_test="Membuka data akan melanggar hak privasi pegawai.",
    )
    public_doc = add_document(berkala)
    secret_doc = add_document(exempt, "data-pegawai.pdf")
    response = client.get(reverse("ppid:unit", kwargs={"slug": org.pasuruan.slug}))
    html = response.text
    assert response.status_code == 200
    for text in ("Informasi berkala", "Informasi serta-merta", "Informasi tersedia setiap saat"):
        assert text in html
    assert "LHKPN pejabat" in html and "Subbagian Tata Usaha" in html and "5 tahun" in html
    assert "Data pribadi pegawai" in html
    assert "Pasal 17 huruf h" in html and "melanggar hak privasi" in html
    assert str(public_doc.public_id) in html
    assert str(secret_doc.public_id) not in html


def test_documents_of_exempt_entries_cannot_be_downloaded_even_by_url(client, org):
    PpidProfileFactory(unit=org.pasuruan)
    entry = DipEntryFactory(unit=org.pasuruan)
    document = add_document(entry)
    url = reverse("ppid:dip_document", kwargs={"slug": org.pasuruan.slug, "public_id": document.public_id})
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response) == b"%PDF-1.4 laporan"
    assert response["Content-Disposition"].startswith("attachment")

    entry.category = DipCategory.DIKECUALIKAN
    entry.exemption_ground = "i"
    entry.consequence_test = "Memorandum internal yang dirahasiakan."
    entry.save()
    assert client.get(url).status_code == 404


def test_dip_files_live_outside_media_root(org, settings):
    PpidProfileFactory(unit=org.pasuruan)
    document = add_document(DipEntryFactory(unit=org.pasuruan))
    path = document.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 — private files have no URL


def test_a_unit_without_its_own_page_sends_visitors_to_its_office(client, org):
    PpidProfileFactory(unit=org.pasuruan)
    response = client.get(reverse("ppid:unit", kwargs={"slug": org.kua_bangil.slug}))
    assert response.status_code == 302
    assert response["Location"] == reverse("ppid:unit", kwargs={"slug": org.pasuruan.slug})
    # No PPID page at the unit or its office yet: the list of PPID pages.
    response = client.get(reverse("ppid:unit", kwargs={"slug": org.kua_sidoarjo.slug}))
    assert response.status_code == 302
    assert response["Location"] == reverse("ppid:index")
    assert client.get(reverse("ppid:unit", kwargs={"slug": "tidak-ada"})).status_code == 404


def test_filing_a_request_gives_a_number_and_a_private_link_by_email(
    client, org, django_capture_on_commit_callbacks
):
    PpidProfileFactory(unit=org.pasuruan)
    with time_machine.travel(datetime(2026, 3, 13, 10, 0, tzinfo=WIB), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_form(
                client, reverse("ppid:request_create", kwargs={"slug": org.pasuruan.slug}), form_data()
            )
    assert response.status_code == 302
    request = PpidRequest.objects.get()
    assert request.registration_number == "KK1514/PPID/2026/0001"
    assert request.identity_number == VALID_NIK
    tracking_path = response["Location"]
    assert tracking_path.startswith("/ppid/lacak/")
    receipt = next(m for m in mail.outbox if m.to == ["budi@example.org"])
    assert "KK1514/PPID/2026/0001" in receipt.subject
    assert tracking_path in receipt.body
    assert "6 April 2026" in receipt.body

    page = client.get(tracking_path)
    assert page.status_code == 200
    assert "KK1514/PPID/2026/0001" in page.text
    assert "6 April 2026" in page.text
    assert page["Cache-Control"].startswith("private")
    assert "noindex" in page["X-Robots-Tag"]
    # The link stays on the portal; its own forms still get an Origin header.
    assert page["Referrer-Policy"] == "same-origin"


def test_form_rejects_a_bad_nik_and_missing_identity_document_in_indonesian(client, org):
    PpidProfileFactory(unit=org.pasuruan)
    url = reverse("ppid:request_create", kwargs={"slug": org.pasuruan.slug})
    response = post_form(client, url, form_data(identity_number="12345"))
    assert response.status_code == 200
    assert "NIK harus terdiri dari 16 angka." in response.text
    data = form_data()
    del data["identity_document"]
    response = post_form(client, url, data)
    assert response.status_code == 200
    assert "Bidang ini tidak boleh kosong." in response.text
    assert not PpidRequest.objects.exists()


def test_legal_entity_files_with_its_deed_number(org):
    submitted = submit_request(
        org.pasuruan,
        requester_kind="badan_hukum",
        name="Yayasan Cahaya",
        identity_number="AHU-0012345.AH.01.04 Tahun 2019",
    )
    assert submitted.request.identity_number == "AHU-0012345.AH.01.04 Tahun 2019"


def test_proxy_requests_need_the_power_of_attorney(client, org):
    PpidProfileFactory(unit=org.pasuruan)
    url = reverse("ppid:request_create", kwargs={"slug": org.pasuruan.slug})
    response = post_form(
        client, url, form_data(via_proxy="on", proxy_name="Andi", proxy_identity_number="3514015208900002")
    )
    assert "Unggah surat kuasa." in response.text
    response = post_form(
        client,
        url,
        form_data(
            via_proxy="on",
            proxy_name="Andi",
            proxy_identity_number="3514015208900002",
            power_of_attorney=pdf_upload("kuasa.pdf"),
        ),
    )
    assert response.status_code == 302
    request = PpidRequest.objects.get()
    assert request.via_proxy and request.proxy_identity_number == "3514015208900002"
    assert set(request.identity_documents.values_list("kind", flat=True)) == {"identitas", "kuasa"}


def test_identity_upload_must_be_an_image_or_a_pdf(client, org):
    PpidProfileFactory(unit=org.pasuruan)
    fake = png_upload("ktp.png")
    fake.file.seek(0)
    fake.file.write(b"MZ not an image at all")
    fake.file.truncate()
    fake.size = 22
    fake.file.seek(0)
    response = post_form(
        client,
        reverse("ppid:request_create", kwargs={"slug": org.pasuruan.slug}),
        form_data(identity_document=fake),
    )
    assert "Unggah pindaian atau foto dokumen dalam format PDF, JPEG atau PNG." in response.text
    assert not IdentityDocument.objects.exists()


def test_tracking_tokens_are_long_random_and_only_their_hash_is_searchable(org):
    tokens = [submit_request(org.pasuruan).token for _ in range(5)]
    assert len(set(tokens)) == 5
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_\-]{43}", token)
        # 43 url-safe base64 characters carry 256 bits.
        assert len(token) * math.log2(64) >= 128
    request = PpidRequest.objects.order_by("pk").first()
    assert request.tracking_token_hash != tokens[0]
    assert len(request.tracking_token_hash) == 64


def test_a_wrong_or_truncated_token_finds_nothing(client, org):
    token = submit_request(org.pasuruan).token
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("ppid:track", kwargs={"token": wrong})).status_code == 404
    assert client.get(f"/ppid/lacak/{token[:20]}/").status_code == 404
    assert client.get(reverse("ppid:track", kwargs={"token": token})).status_code == 200


def test_public_urls_carry_no_sequential_ids(client, org, ppid_people):
    submitted = submit_request(org.pasuruan)
    services.ppid_request_answer(
        request=submitted.request,
        actor=ppid_people.ppid,
        decision="diberikan",
        answer_form="softcopy",
        files=[pdf_upload("rekap.pdf")],
    )
    page = client.get(reverse("ppid:track", kwargs={"token": submitted.token})).text
    links = re.findall(r'href="(/ppid/lacak/[^"]+)"', page)
    assert links
    for link in links:
        for segment in link.strip("/").split("/"):
            assert not segment.isdigit()


def test_a_public_user_cannot_open_another_requesters_files(client, org, ppid_people):
    mine = submit_request(org.pasuruan)
    theirs = submit_request(org.pasuruan, name="Orang Lain")
    services.ppid_request_answer(
        request=theirs.request,
        actor=ppid_people.ppid,
        decision="diberikan",
        answer_form="softcopy",
        files=[pdf_upload("rahasia.pdf")],
    )
    their_file = theirs.request.attachments.get()
    their_notice = theirs.request.notices.get()
    own = {"token": mine.token}
    assert (
        client.get(
            reverse("ppid:track_attachment", kwargs={**own, "public_id": their_file.public_id})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("ppid:track_notice", kwargs={**own, "public_id": their_notice.public_id})
        ).status_code
        == 404
    )
    page = client.get(reverse("ppid:track", kwargs=own)).text
    assert "Orang Lain" not in page
    # Staff pages are no way round it for the public either.
    response = client.get(reverse("ppid:staff_request", kwargs={"pk": theirs.request.pk}))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_requester_downloads_the_answer_and_the_notice_from_the_tracking_page(client, org, ppid_people):
    submitted = submit_request(org.pasuruan)
    services.ppid_request_answer(
        request=submitted.request,
        actor=ppid_people.ppid,
        decision="diberikan",
        answer_form="softcopy",
        answer_format="PDF",
        files=[pdf_upload("rekap-anggaran.pdf", b"angka anggaran")],
    )
    page = client.get(reverse("ppid:track", kwargs={"token": submitted.token}))
    assert "Informasi diberikan seluruhnya" in page.text
    attachment = submitted.request.attachments.get()
    response = client.get(
        reverse("ppid:track_attachment", kwargs={"token": submitted.token, "public_id": attachment.public_id})
    )
    assert b"angka anggaran" in b"".join(response)
    assert "rekap-anggaran.pdf" in response["Content-Disposition"]
    notice = submitted.request.notices.get()
    response = client.get(
        reverse("ppid:track_notice", kwargs={"token": submitted.token, "public_id": notice.public_id})
    )
    assert b"".join(response).startswith(b"%PDF-")


def test_objection_form_on_the_tracking_page(client, org, ppid_people, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime(2026, 3, 13, 10, tzinfo=WIB), tick=False):
        submitted = submit_request(org.pasuruan)
    with time_machine.travel(datetime(2026, 4, 2, 10, tzinfo=WIB), tick=False):
        refuse(submitted, ppid_people.ppid)
        url = reverse("ppid:track", kwargs={"token": submitted.token})
        page = client.get(url).text
        assert "Ajukan keberatan" in page
        assert "Pasal 17 huruf h" in page
        objection_url = reverse("ppid:track_objection", kwargs={"token": submitted.token})
        token = guard_token(page)
        # Without the page's guard token the form is refused.
        response = client.post(
            objection_url, {"grounds": ["a"], "reasons": "Informasi bantuan seharusnya terbuka."}
        )
        assert response.status_code == 400
        assert "Formulir ini tidak sah" in response.text
        response = client.post(objection_url, {"reasons": "x", "form_token": token})
        assert response.status_code == 400
        assert "Pilih sekurang-kurangnya satu alasan keberatan." in response.text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                objection_url,
                {
                    "grounds": ["a"],
                    "reasons": "Informasi bantuan seharusnya terbuka.",
                    "form_token": guard_token(response.text),
                },
            )
        assert response.status_code == 302
    submitted.request.refresh_from_db()
    assert submitted.request.objection.registration_number == "KK1514/KEB/2026/0001"
    assert any(ppid_people.atasan.email in m.to for m in mail.outbox)
    assert not any(ppid_people.atasan_kanwil.email in m.to for m in mail.outbox)


def test_objection_form_is_closed_with_a_clear_message_after_30_working_days(client, org, ppid_people):
    with time_machine.travel(datetime(2026, 3, 13, 10, tzinfo=WIB), tick=False):
        submitted = submit_request(org.pasuruan)
    with time_machine.travel(datetime(2026, 4, 6, 10, tzinfo=WIB), tick=False):
        services.ppid_request_answer(
            request=submitted.request,
            actor=ppid_people.ppid,
            decision="tidak_dikuasai",
            holder_info="Tidak diketahui",
        )
    with time_machine.travel(datetime(2026, 5, 22, 10, tzinfo=WIB), tick=False):
        page = client.get(reverse("ppid:track", kwargs={"token": submitted.token})).text
        assert "Jangka waktu pengajuan keberatan sudah berakhir pada 21 Mei 2026." in page
        assert "Ajukan keberatan" not in page
        response = client.post(
            reverse("ppid:track_objection", kwargs={"token": submitted.token}),
            {
                "grounds": ["d"],
                "reasons": "Terlambat",
                "form_token": guard_token(str(ObjectionForm().render_guard())),
            },
        )
        assert response.status_code == 400
    assert not hasattr(PpidRequest.objects.get(pk=submitted.request.pk), "objection")


def test_lost_link_is_reissued_to_the_filing_email_only(client, org, django_capture_on_commit_callbacks):
    submitted = submit_request(org.pasuruan)
    url = reverse("ppid:reissue")
    with django_capture_on_commit_callbacks(execute=True):
        post_form(
            client,
            url,
            {"registration_number": submitted.request.registration_number, "email": "lain@example.org"},
        )
    assert not [m for m in mail.outbox if "Tautan pelacakan baru" in m.subject]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client,
            url,
            {
                "registration_number": submitted.request.registration_number.lower(),
                "email": "SITI@example.org",
            },
        )
    assert response.status_code == 302
    message = next(m for m in mail.outbox if "Tautan pelacakan baru" in m.subject)
    assert message.to == ["siti@example.org"]
    new_path = re.search(r"/ppid/lacak/[A-Za-z0-9_\-]+/", message.body).group(0)
    assert client.get(new_path).status_code == 200
    assert client.get(reverse("ppid:track", kwargs={"token": submitted.token})).status_code == 404


def test_submissions_are_limited_per_address(client, org, settings):
    """Past the soft limit the form asks a sum; past the hard limit the
    address gets 429 until the hour is over."""
    settings.PPID_SUBMISSIONS_SOFT_LIMIT = 1
    settings.PPID_SUBMISSIONS_PER_HOUR = 2
    PpidProfileFactory(unit=org.pasuruan)
    url = reverse("ppid:request_create", kwargs={"slug": org.pasuruan.slug})
    # An address of its own, so that earlier runs in this hour do not count.
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    assert post_form(client, url, form_data(), REMOTE_ADDR=address).status_code == 302
    second = post_form(client, url, form_data(), REMOTE_ADDR=address)
    assert second.status_code == 200
    assert "Jawab pertanyaan hitungan" in second.text
    third = post_form(client, url, form_data(), REMOTE_ADDR=address)
    assert third.status_code == 429
    assert "Terlalu banyak permohonan" in third.text
    assert PpidRequest.objects.count() == 1


def test_a_bot_filling_the_hidden_field_is_turned_away(client, org):
    PpidProfileFactory(unit=org.pasuruan)
    url = reverse("ppid:request_create", kwargs={"slug": org.pasuruan.slug})
    response = post_form(client, url, form_data(situs_web="http://spam.example"))
    assert response.status_code == 200
    assert not PpidRequest.objects.exists()


def test_ppid_page_query_count_is_the_same_for_3_and_30_dip_entries(client, org, django_assert_num_queries):
    PpidProfileFactory(unit=org.pasuruan)
    url = reverse("ppid:unit", kwargs={"slug": org.pasuruan.slug})

    def count_for(n):
        for _ in range(n - DipEntry.objects.count()):
            add_document(DipEntryFactory(unit=org.pasuruan))
        # unit, profile, its officials, DIP entries, their documents, published reports
        with django_assert_num_queries(6):
            response = client.get(url)
        assert sum(len(entries) for _category, entries in response.context["groups"]) == n

    count_for(3)
    count_for(30)


def refuse(submitted, officer) -> None:
    """Answer the request with a refusal on Article 17(h), which opens the
    objection."""
    services.ppid_request_answer(
        request=submitted.request,
        actor=officer,
        decision="ditolak",
        refusal_ground="h",
        consequence_test="Membuka rahasia pribadi.",
    )


def guard_token(page: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, "the page carries no guard token"
    return match.group(1)


def test_the_objection_asks_the_sum_past_the_soft_limit_and_stops_at_the_hard_one(
    client, org, ppid_people, settings
):
    settings.PPID_SUBMISSIONS_SOFT_LIMIT = 1
    settings.PPID_SUBMISSIONS_PER_HOUR = 2
    submitted = submit_request(org.pasuruan)
    refuse(submitted, ppid_people.ppid)
    url = reverse("ppid:track", kwargs={"token": submitted.token})
    objection_url = reverse("ppid:track_objection", kwargs={"token": submitted.token})
    address = {"REMOTE_ADDR": "198.51.100.77"}
    page = client.get(url, **address).text
    assert "jawaban_hitungan" not in page
    first = client.post(objection_url, {"reasons": "x", "form_token": guard_token(page)}, **address)
    assert first.status_code == 400
    assert "jawaban_hitungan" not in first.text
    # Past the soft limit the form asks the sum.
    second = client.post(objection_url, {"reasons": "x", "form_token": guard_token(first.text)}, **address)
    assert second.status_code == 400
    assert "jawaban_hitungan" in second.text
    third = client.post(objection_url, {"reasons": "x", "form_token": guard_token(second.text)}, **address)
    assert third.status_code == 429
