"""Checking uploads and serving the app's private files."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from humas_portal.core import documents
from humas_portal.core.images import check_image, clean_copy

# Documents a PPID gives out or publishes. Served as attachments with
# nosniff, so a browser never renders one as a page.
DOCUMENT_EXTENSIONS = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}


def _megabytes(value: int) -> str:
    return f"{value / 1_048_576:.0f}"


def _check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("Ukuran berkas %(size)s MB melebihi batas %(limit)s MB.")
            % {"size": f"{upload.size / 1_048_576:.1f}", "limit": _megabytes(max_bytes)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    original_name: str
    content_type: str


def _safe_name(name: str) -> str:
    base = os.path.basename(name or "berkas").replace("\x00", "")
    return base[:200] or "berkas"


def check_identity_upload(upload) -> CheckedFile:
    """An identity scan or power of attorney: a photo (checked and stripped
    of EXIF, which may hold the place it was taken) or a PDF."""
    max_bytes = settings.PPID_IDENTITY_MAX_UPLOAD_BYTES
    _check_size(upload, max_bytes)
    name = _safe_name(upload.name)
    if documents.sniff(upload) == "pdf":
        documents.check_pdf(upload)
        return CheckedFile(ContentFile(upload.read()), name.rsplit(".", 1)[0] + ".pdf", "application/pdf")
    try:
        checked = check_image(upload, max_bytes=max_bytes)
    except ValidationError as exc:
        raise ValidationError(
            _("Unggah pindaian atau foto dokumen dalam format PDF, JPEG atau PNG."), code="bad_identity_file"
        ) from exc
    copy = clean_copy(upload, name=name, max_bytes=max_bytes)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}[
        checked.format
    ]
    return CheckedFile(ContentFile(copy.read()), copy.name, content_type)


def check_document_upload(upload, *, max_bytes: int) -> CheckedFile:
    """An answer file or a DIP document: a known office format within the
    size limit, whose content is what its name says; a PDF without active
    content (``core.documents``); a photo re-encoded without metadata."""
    _check_size(upload, max_bytes)
    name = _safe_name(upload.name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _(
                "Jenis berkas .%(ext)s tidak diterima. Gunakan PDF, dokumen Office/ODF, CSV, TXT, JPEG, PNG atau ZIP."
            )
            % {"ext": extension or "?"},
            code="bad_extension",
        )
    kind = documents.sniff(upload)
    if extension not in documents.KIND_EXTENSIONS.get(kind, ()):
        if extension == "pdf":
            raise ValidationError(_("Berkas ini bukan PDF yang valid."), code="not_pdf")
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan jenisnya (.%(ext)s). Simpan ulang dalam format yang benar.")
            % {"ext": extension},
            code="content_mismatch",
        )
    if kind == "pdf":
        documents.check_pdf(upload)
    if kind in {"jpeg", "png"}:
        # Published photos lose their metadata (a phone's EXIF holds where
        # it was taken) the way news photos do: a re-encoded copy, checked
        # as an image on the way.
        copy = clean_copy(upload, name=name, max_bytes=max_bytes)
        return CheckedFile(ContentFile(copy.read()), copy.name, f"image/{kind}")
    upload.seek(0)
    return CheckedFile(ContentFile(upload.read()), name, DOCUMENT_EXTENSIONS[extension])


def file_response(data: bytes, *, filename: str, content_type: str | None = None) -> HttpResponse:
    """A download that no cache keeps and no browser renders inline."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
