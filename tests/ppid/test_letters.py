"""The written notices are PDF letters on the unit's letterhead."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ppid import services
from ppid.models import NoticeKind

from .factories import submit_request
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def unit_with_letterhead(org):
    org.pasuruan.address = "Jl. Panglima Sudirman No. 1, Pasuruan"
    org.pasuruan.phone = "(0343) 424242"
    org.pasuruan.email = "pasuruan@kemenag.go.id"
    org.pasuruan.save()
    return org.pasuruan


def test_decision_notice_has_letterhead_decision_and_objection_deadline(unit_with_letterhead, ppid_people):
    with time_machine.travel(datetime(2026, 3, 13, 9, tzinfo=WIB), tick=False):
        ppid_request = submit_request(unit_with_letterhead).request
    with time_machine.travel(datetime(2026, 4, 6, 9, tzinfo=WIB), tick=False):
        services.ppid_request_answer(
            request=ppid_request,
            actor=ppid_people.ppid,
            decision="ditolak",
            refusal_ground="h",
            consequence_test="Membuka data pribadi penerima bantuan.",
        )
    notice = ppid_request.notices.get(kind=NoticeKind.DECISION)
    data = services.notice_pdf(notice)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "KANKEMENAG KABUPATEN PASURUAN" in text
    assert "Jl. Panglima Sudirman No. 1, Pasuruan" in text
    assert "pasuruan@kemenag.go.id" in text
    assert "PEMBERITAHUAN TERTULIS" in text
    assert "KK1514/PPID/2026/0001/PT" in text
    assert "Permohonan ditolak" in text
    assert "Pasal 17 huruf h" in text
    assert "Membuka data pribadi penerima bantuan." in text
    assert "21 Mei 2026" in text  # last day to object
    assert "Drs. Ahmad Fauzi" in text  # the signatory set on the PPID page
    # No NIK on paper.
    assert "3514015208900001" not in text


def test_extension_notice_states_the_new_deadline_and_reason(unit_with_letterhead, ppid_people):
    with time_machine.travel(datetime(2026, 3, 13, 9, tzinfo=WIB), tick=False):
        ppid_request = submit_request(unit_with_letterhead).request
        services.ppid_request_extend(
            request=ppid_request, actor=ppid_people.ppid, reason="Dokumen tersimpan di arsip (madrasah)."
        )
    text = pdf_text(services.notice_pdf(ppid_request.notices.get(kind=NoticeKind.EXTENSION)))
    assert "PEMBERITAHUAN PERPANJANGAN WAKTU" in text
    assert "15 April 2026" in text
    assert "Dokumen tersimpan di arsip (madrasah)." in text


def test_requester_text_cannot_inject_markup_into_the_letter(unit_with_letterhead, ppid_people):
    ppid_request = submit_request(
        unit_with_letterhead, information_requested="<b>tebal</b> & <font size=40>besar</font>"
    ).request
    services.ppid_request_answer(
        request=ppid_request, actor=ppid_people.ppid, decision="tidak_dikuasai", holder_info="Pemda"
    )
    text = pdf_text(services.notice_pdf(ppid_request.notices.get()))
    # Shown as the characters typed (the extractor splits them into runs),
    # not interpreted as bold or large text.
    assert "<b>tebal</b>&<fontsize=40>besar</font>" in text.replace(" ", "")
