"""Helpers for Dumas tests: filling public forms the way a browser does, and
files to upload."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.pdfs import plain_pdf

NUMBER_WORDS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}


def guard_fields(html: str) -> dict[str, str]:
    """The guard's hidden inputs from a rendered page (the first form's), and
    the answer to the sum when one is asked."""
    fields = {"form_token": re.search(r'name="form_token" value="([^"]+)"', html).group(1), "situs_web": ""}
    question = re.search(r"Berapa hasil (\w+) ditambah (\w+)\?", html)
    if question:
        fields["jawaban_hitungan"] = str(NUMBER_WORDS[question.group(1)] + NUMBER_WORDS[question.group(2)])
    return fields


def complaint_data(**overrides) -> dict:
    data = {
        "kind": "pengaduan",
        "violation": "",
        "subject": "Pelayanan legalisir ijazah berbelit",
        "description": "Saya diminta kembali tiga kali untuk legalisir ijazah madrasah tanpa alasan yang jelas.",
        "incident_location": "Ruang tata usaha",
        "occurred_on": "",
        "identity_mode": "confidential",
        "reporter_name": "Dewi Lestari",
        "reporter_email": "dewi.lestari@contoh.id",
        "reporter_phone": "0812 7777 8888",
        "agree": "on",
    }
    data.update(overrides)
    return data


def jpeg_with_exif(name: str = "foto.jpg") -> SimpleUploadedFile:
    """A photo as a phone takes it: with the camera make and a GPS block."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"  # Make
    exif[0x8825] = {1: "S", 2: (7.0, 33.0, 0.0), 3: "E", 4: (112.0, 47.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 90, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_file(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, plain_pdf(), content_type="application/pdf")


def fake_image(name: str = "foto.jpg") -> SimpleUploadedFile:
    """A script wearing a photo's name and type."""
    return SimpleUploadedFile(name, b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
