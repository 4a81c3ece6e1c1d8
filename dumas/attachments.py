"""Photos and PDFs attached to complaints.

A file is accepted by what it is, not by its name: a photo must decode as an
image (and is stored as a re-encoded copy without EXIF, so no GPS position
or camera serial leaks from a complainant's phone); a PDF must start with the
``%PDF-`` signature and carry no script, launch action or embedded file
(``core.documents.check_pdf``). Both are size-limited and stored under
``PRIVATE_MEDIA_ROOT`` with random names.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from humas_portal.core import documents, images
from humas_portal.core.models import User

from .models import AttachmentKind, Complaint, ComplaintAttachment, ComplaintMessage


def _too_large(size: int) -> ValidationError:
    limit = settings.DUMAS_ATTACHMENT_MAX_BYTES
    return ValidationError(
        _("Ukuran lampiran %(size)s MB melebihi batas %(limit)s MB.")
        % {"size": f"{size / 1_048_576:.1f}", "limit": f"{limit / 1_048_576:.0f}"},
        code="too_large",
    )


def check_attachment(upload) -> str:
    """The kind of an acceptable upload (``image`` or ``pdf``); raises
    ``ValidationError`` with an Indonesian message otherwise."""
    size = getattr(upload, "size", 0) or 0
    if size > settings.DUMAS_ATTACHMENT_MAX_BYTES:
        raise _too_large(size)
    if size == 0:
        raise ValidationError(_("Lampiran kosong. Pilih berkas lain."), code="empty")
    if documents.sniff(upload) == "pdf":
        documents.check_pdf(upload)
        return AttachmentKind.PDF
    try:
        images.check_image(upload, max_bytes=settings.DUMAS_ATTACHMENT_MAX_BYTES)
    except ValidationError as error:
        if error.code in ("not_an_image", "unsupported_format"):
            raise ValidationError(
                _("Lampiran harus berupa foto (JPEG, PNG, WebP atau GIF) atau dokumen PDF."),
                code="unsupported",
            ) from error
        raise
    return AttachmentKind.IMAGE


def check_attachments(uploads) -> list[str]:
    uploads = list(uploads or [])
    limit = settings.DUMAS_ATTACHMENT_MAX_FILES
    if len(uploads) > limit:
        raise ValidationError(
            _("Paling banyak %(limit)s lampiran.") % {"limit": limit},
            code="too_many",
        )
    return [check_attachment(upload) for upload in uploads]


def attachment_store(
    *,
    complaint: Complaint,
    upload,
    message: ComplaintMessage | None = None,
    added_by: User | None = None,
) -> ComplaintAttachment:
    """Store one checked upload as an attachment of the complaint."""
    kind = check_attachment(upload)
    if kind == AttachmentKind.IMAGE:
        content = images.clean_copy(upload, name="lampiran", max_bytes=settings.DUMAS_ATTACHMENT_MAX_BYTES)
    else:
        upload.seek(0)
        content = ContentFile(upload.read(), name="lampiran.pdf")
    attachment = ComplaintAttachment(
        complaint=complaint,
        message=message,
        kind=kind,
        size=content.size,
        added_by=added_by if added_by is not None and added_by.is_authenticated else None,
    )
    attachment.file.save(content.name, content, save=False)
    attachment.save()
    return attachment
