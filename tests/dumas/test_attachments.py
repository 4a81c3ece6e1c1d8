"""Attachments are checked by content, cleaned of EXIF, kept out of
MEDIA_ROOT and served only to those who may see the complaint."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dumas import attachments
from dumas.workflow import ComplaintKind, Violation

from .factories import ComplaintFactory
from .helpers import fake_image, jpeg_with_exif, pdf_file, png_bytes

pytestmark = pytest.mark.django_db


def stored(complaint, upload):
    return attachments.attachment_store(complaint=complaint, upload=upload)


def test_the_test_photo_really_carries_exif():
    with Image.open(jpeg_with_exif()) as image:
        exif = image.getexif()
        assert exif.get(0x010F) == "KameraPonsel"
        assert exif.get_ifd(0x8825)


def test_a_photo_is_stored_without_its_exif(org):
    complaint = ComplaintFactory(unit=org.kua_bangil)
    item = stored(complaint, jpeg_with_exif("KTP_Wulan.jpg"))
    with item.file.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    # The uploaded name (which may carry a name) is not kept either.
    assert "Wulan" not in item.file.name and "KTP" not in item.file.name


def test_a_fake_image_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        attachments.check_attachment(fake_image())
    assert "foto (JPEG, PNG, WebP atau GIF) atau dokumen PDF" in error.value.messages[0]


def test_a_pdf_is_accepted_by_its_signature_whatever_its_name():
    assert attachments.check_attachment(pdf_file()) == "pdf"
    assert attachments.check_attachment(pdf_file("scan.jpg")) == "pdf"
    with pytest.raises(ValidationError):
        attachments.check_attachment(SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf"))


def test_size_and_count_are_limited(settings):
    settings.DUMAS_ATTACHMENT_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="melebihi batas"):
        attachments.check_attachment(SimpleUploadedFile("a.png", png_bytes()))
    settings.DUMAS_ATTACHMENT_MAX_BYTES = 10_000_000
    settings.DUMAS_ATTACHMENT_MAX_FILES = 2
    with pytest.raises(ValidationError, match="Paling banyak 2 lampiran"):
        attachments.check_attachments([pdf_file(), pdf_file(), pdf_file()])


def test_files_live_outside_media_root_and_have_no_url(client, org):
    complaint = ComplaintFactory(unit=org.kua_bangil)
    item = stored(complaint, jpeg_with_exif())
    path = Path(item.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        item.file.url  # noqa: B018
    assert client.get(f"{settings.MEDIA_URL}{item.file.name}").status_code == 404


def test_an_officer_downloads_an_attachment_safely(client, org, dumas_people):
    complaint = ComplaintFactory(unit=org.kua_bangil)
    photo = stored(complaint, jpeg_with_exif())
    document = stored(complaint, pdf_file())
    client.force_login(dumas_people.petugas)
    response = client.get(reverse("dumas:attachment", kwargs={"pk": photo.pk}))
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    response = client.get(reverse("dumas:attachment", kwargs={"pk": document.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "status"),
    [("petugas_lain", 404), ("outsider", 404), ("kontributor", 404), ("pimpinan_kua", 200)],
)
def test_only_those_who_see_the_complaint_get_its_files(client, org, dumas_people, name, status):
    complaint = ComplaintFactory(unit=org.kua_bangil)
    item = stored(complaint, pdf_file())
    client.force_login(getattr(dumas_people, name))
    assert client.get(reverse("dumas:attachment", kwargs={"pk": item.pk})).status_code == status


def test_whistleblowing_files_stay_with_the_offices_officers(client, org, dumas_people):
    complaint = ComplaintFactory(
        unit=org.kua_bangil, kind=ComplaintKind.WHISTLEBLOWING, violation=Violation.KORUPSI
    )
    item = stored(complaint, pdf_file())
    url = reverse("dumas:attachment", kwargs={"pk": item.pk})
    for person, status in (
        (dumas_people.petugas_kua, 404),
        (dumas_people.pimpinan_kua, 404),
        (dumas_people.petugas, 200),
    ):
        client.force_login(person)
        assert client.get(url).status_code == status


def test_the_public_cannot_fetch_files(client, org):
    complaint = ComplaintFactory(unit=org.kua_bangil)
    item = stored(complaint, pdf_file())
    response = client.get(reverse("dumas:attachment", kwargs={"pk": item.pk}))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
