"""What an uploaded document is, decided by its content, and whether a PDF
may be passed on to the people who will open it.

Every file the portal accepts from someone and gives to someone else (a DIP
document or an answer's attachment to the public, an identity document or a
complaint attachment to staff) goes through ``sniff`` (its type from its
first bytes, never from its name) and, when it is a PDF, ``check_pdf``.

``check_pdf`` refuses a PDF that would do something when opened: JavaScript
(``/JS``, ``/JavaScript``), a launch, import, form-submit or rendition
action, embedded files (``/EmbeddedFile``, ``/EmbeddedFiles``, file
attachment annotations) and rich media. It reads the file with ``pypdf``,
so names written with ``#xx`` escapes and dictionaries kept inside
compressed object streams are seen as a PDF reader sees them; a file
``pypdf`` cannot read is refused too, since no one can say what it holds.

The type signatures are our own: the portal accepts a dozen formats, each
with a fixed signature, and a general detector (libmagic and its wrappers)
would need a system library and name hundreds of types we refuse anyway.
"""

from __future__ import annotations

import logging
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # .doc, .xls, .ppt
_ZIP_MAGIC = b"PK\x03\x04"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# The kinds ``sniff`` answers, by the extensions that may carry each.
KIND_EXTENSIONS = {
    "pdf": {"pdf"},
    "ole2": {"doc", "xls", "ppt"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "odt": {"odt"},
    "ods": {"ods"},
    "zip": {"zip"},
    "jpeg": {"jpg", "jpeg"},
    "png": {"png"},
    "text": {"csv", "txt"},
}

_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}

# Dictionary keys, action types (``/S``) and object types (``/Type``,
# ``/Subtype``) that make a PDF act when it is opened.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia", "/XFA"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition", "/RichMediaExecute"}
_ACTIVE_TYPES = {"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Screen"}


def _read(upload, size: int | None = None) -> bytes:
    upload.seek(0)
    data = upload.read() if size is None else upload.read(size)
    upload.seek(0)
    return data


def _zip_kind(upload) -> str:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
            if "mimetype" in names:
                kind = _ODF_TYPES.get(archive.read("mimetype").strip())
                if kind:
                    return kind
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return ""
    finally:
        upload.seek(0)
    return "zip"


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a character is still text.
        if exc.start < len(data) - 3:
            return False
    return True


def sniff(upload) -> str:
    """The kind of the upload by its content (a key of ``KIND_EXTENSIONS``),
    or ``""`` when it is none of them."""
    head = _read(upload, 8192)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(_OLE2_MAGIC):
        return "ole2"
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(upload)
    if head.startswith(_JPEG_MAGIC):
        return "jpeg"
    if head.startswith(_PNG_MAGIC):
        return "png"
    if head and _is_text(head):
        return "text"
    return ""


def _active_reason(obj) -> str:
    """What in one PDF object would act when the file is opened, or ``""``
    (streams are dictionaries too)."""
    from pypdf.generic import DictionaryObject

    if not isinstance(obj, DictionaryObject):
        return ""
    found = set(obj.keys()) & _ACTIVE_KEYS
    if found:
        return sorted(found)[0]
    for key in ("/S", "/Type", "/Subtype"):
        value = obj.get(key)
        if isinstance(value, str) and (value in _ACTIVE_ACTIONS or value in _ACTIVE_TYPES):
            return str(value)
    return "/EF" if "/EF" in obj else ""


def check_pdf(upload) -> None:
    """Raise ``ValidationError`` (in Indonesian) when the PDF is unreadable
    or would run a script, launch a program or carry other files."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import IndirectObject

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            # An encrypted PDF hides its objects from the check.
            raise ValidationError(
                _(
                    "PDF yang dikunci dengan kata sandi tidak dapat diterima. Unggah salinan tanpa kata sandi."
                ),
                code="pdf_encrypted",
            )
        # Every object of the file (the catalog among them), those kept in
        # compressed object streams included.
        numbers = {(number, generation) for generation, objects in reader.xref.items() for number in objects}
        numbers.update((number, 0) for number in reader.xref_objStm)
        reason = ""
        for number, generation in sorted(numbers):
            reason = _active_reason(reader.get_object(IndirectObject(number, generation, reader)))
            if reason:
                break
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        logger.info("Unreadable PDF refused: %s", exc)
        raise ValidationError(
            _(
                "Berkas PDF ini rusak atau tidak dapat diperiksa. Simpan ulang sebagai PDF lalu unggah kembali."
            ),
            code="pdf_unreadable",
        ) from exc
    finally:
        upload.seek(0)
    if reason:
        logger.info("PDF with active content refused (%s)", reason)
        raise ValidationError(
            _(
                "PDF ini berisi skrip, perintah menjalankan program atau berkas sisipan, yang tidak diterima. "
                "Cetak ulang sebagai PDF biasa (misalnya lewat Cetak › Simpan sebagai PDF) lalu unggah kembali."
            ),
            code="pdf_active_content",
        )
