"""Factories and helpers for the PPID tests."""

from __future__ import annotations

import io
import re

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ppid import services
from ppid.models import DipCategory, DipEntry, PpidProfile
from tests.pdfs import plain_pdf

# Digits 7–12 are a plausible birth date (12-08-90, a woman: day + 40).
VALID_NIK = "3514015208900001"
OTHER_NIK = "3515020101850002"


class PpidProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PpidProfile
        django_get_or_create = ("unit",)

    is_published = True
    profile = "PPID Pelaksana melayani permohonan informasi publik."
    service_procedure = "1. Isi formulir.\n2. Terima nomor pendaftaran.\n3. Pantau status."
    service_hours = "Senin–Jumat 08.00–16.00"
    service_fees = "Tidak dipungut biaya."
    signatory_name = "Drs. Ahmad Fauzi"
    signatory_title = "PPID Pelaksana"


class DipEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DipEntry

    category = DipCategory.BERKALA
    title = factory.Sequence(lambda n: f"Laporan keuangan {n}")
    summary = "Ringkasan laporan keuangan tahunan."
    holder = "Subbagian Tata Usaha"
    responsible = "Kepala Subbagian Tata Usaha"
    made_when = "2025"
    made_where = "Pasuruan"
    form_available = "Softcopy, hardcopy"
    retention_period = "5 tahun"


def png_upload(name: str = "ktp.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 25), (200, 180, 150)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name: str = "dokumen.pdf", text: bytes = b"isi") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, plain_pdf(note=text), content_type="application/pdf")


def post_form(client, url: str, data: dict, **extra):
    """Open the form (for its guard token) and send it, as a browser does."""
    page = client.get(url, **extra).content.decode()
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, "the form carries no guard token"
    return client.post(url, {**data, "form_token": match.group(1)}, **extra)


def submit_request(unit, **overrides) -> services.SubmittedRequest:
    """A request filed through the service, as the public form does."""
    PpidProfileFactory(unit=unit)
    data = {
        "unit": unit,
        "requester_kind": "perorangan",
        "name": "Siti Aminah",
        "identity_number": VALID_NIK,
        "address": "Jl. Pahlawan 1, Bangil",
        "phone": "081234567890",
        "email": "siti@example.org",
        "information_requested": "Daftar penerima bantuan operasional madrasah tahun 2025",
        "purpose": "Penelitian skripsi",
        "obtain_method": "softcopy",
        "delivery_method": "email",
        "identity_document": png_upload(),
    }
    data.update(overrides)
    return services.ppid_request_submit(**data)
