"""Documents the portal passes on: their type is read from their content, a
PDF that would act when opened is refused, and a published photo loses its
metadata."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dumas.attachments import check_attachment
from humas_portal.core import documents
from ppid.files import check_document_upload, check_identity_upload
from tests.core.test_images import photo_with_gps
from tests.pdfs import (
    pdf_with_embedded_file,
    pdf_with_hidden_javascript,
    pdf_with_javascript,
    pdf_with_launch_action,
    plain_pdf,
)

MAX = 5 * 1024 * 1024


def upload(data: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


class TestSniff:
    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            (plain_pdf(), "pdf"),
            (docx_bytes(), "docx"),
            (png_bytes(), "png"),
            (photo_with_gps(60, 40), "jpeg"),
            ("Nama;Jumlah\nKUA Bangil – Pasuruan;12\n".encode(), "text"),
            (b"MZ\x90\x00\x03\x00\x00\x00", ""),
        ],
    )
    def test_the_kind_comes_from_the_content(self, data, kind):
        assert documents.sniff(upload(data, "berkas")) == kind


class TestPdfCheck:
    def test_a_plain_pdf_passes(self):
        documents.check_pdf(upload(plain_pdf(), "surat.pdf"))

    @pytest.mark.parametrize(
        "data",
        [
            pdf_with_javascript(),
            pdf_with_hidden_javascript(),
            pdf_with_launch_action(),
            pdf_with_embedded_file(),
        ],
        ids=["javascript", "escaped-names", "launch", "embedded-file"],
    )
    def test_a_pdf_that_acts_when_opened_is_refused_with_a_clear_message(self, data):
        with pytest.raises(ValidationError) as refused:
            documents.check_pdf(upload(data, "surat.pdf"))
        assert refused.value.code == "pdf_active_content"
        assert "skrip" in refused.value.messages[0]

    def test_a_pdf_no_reader_can_parse_is_refused(self):
        with pytest.raises(ValidationError) as refused:
            documents.check_pdf(upload(b"%PDF-1.4\n\x00\x01 garbage", "rusak.pdf"))
        assert refused.value.code == "pdf_unreadable"


class TestPublishedDocuments:
    def test_a_dip_photo_is_re_encoded_without_its_gps_position(self):
        original = photo_with_gps(400, 300)
        assert b"GPS" in original or Image.open(io.BytesIO(original)).getexif()
        checked = check_document_upload(upload(original, "kegiatan.jpg", "image/jpeg"), max_bytes=MAX)
        data = checked.content.read()
        assert checked.content_type == "image/jpeg"
        assert data != original
        assert not Image.open(io.BytesIO(data)).getexif()

    def test_the_name_must_match_the_content(self):
        with pytest.raises(ValidationError) as refused:
            check_document_upload(upload(png_bytes(), "laporan.docx"), max_bytes=MAX)
        assert refused.value.code == "content_mismatch"
        with pytest.raises(ValidationError) as refused:
            check_document_upload(upload(png_bytes(), "laporan.pdf"), max_bytes=MAX)
        assert refused.value.code == "not_pdf"
        checked = check_document_upload(upload(docx_bytes(), "laporan.docx"), max_bytes=MAX)
        assert checked.content_type.endswith("wordprocessingml.document")

    def test_a_dip_pdf_with_a_script_is_refused(self):
        with pytest.raises(ValidationError, match="skrip"):
            check_document_upload(upload(pdf_with_javascript(), "laporan.pdf"), max_bytes=MAX)


class TestFilesFromThePublic:
    def test_an_identity_pdf_with_a_script_is_refused(self):
        with pytest.raises(ValidationError, match="skrip"):
            check_identity_upload(upload(pdf_with_launch_action(), "ktp.pdf", "application/pdf"))
        assert check_identity_upload(upload(plain_pdf(), "ktp.pdf")).content_type == "application/pdf"

    def test_a_complaint_attachment_with_an_embedded_file_is_refused(self):
        with pytest.raises(ValidationError, match="skrip"):
            check_attachment(upload(pdf_with_embedded_file(), "bukti.pdf", "application/pdf"))
        assert check_attachment(upload(plain_pdf(), "bukti.pdf")) == "pdf"
