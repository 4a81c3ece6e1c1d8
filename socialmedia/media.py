"""Checking uploaded videos by their content, not their name.

A video is accepted only if its first bytes are an ISO base media file
(MP4) or QuickTime (MOV) header: an ``ftyp`` box whose brand says which.
The duration is read from the ``mvhd`` box inside ``moov`` by walking box
headers (sizes and types only), so a large file is never read whole and a
file that only pretends to be a video is refused.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# ftyp major brands of QuickTime; every other ftyp brand is MP4 family.
QUICKTIME_BRANDS = frozenset({b"qt  "})
# A walk that finds no moov within this many boxes is not a sane file.
MAX_BOXES = 10_000


@dataclass(frozen=True)
class CheckedVideo:
    content_type: str
    size: int
    duration: float | None


def _read_box_header(handle) -> tuple[int, bytes, int] | None:
    """``(size, type, header_length)`` of the box at the current position."""
    header = handle.read(8)
    if len(header) < 8:
        return None
    size, kind = struct.unpack(">I4s", header)
    header_length = 8
    if size == 1:
        large = handle.read(8)
        if len(large) < 8:
            return None
        size = struct.unpack(">Q", large)[0]
        header_length = 16
    return size, kind, header_length


def _mvhd_duration(handle, moov_start: int, moov_end: int) -> float | None:
    position = moov_start
    while position + 8 <= moov_end:
        handle.seek(position)
        box = _read_box_header(handle)
        if box is None:
            return None
        size, kind, header_length = box
        if size < header_length:
            return None
        if kind == b"mvhd":
            version = handle.read(1)
            if not version:
                return None
            handle.read(3)  # flags
            if version[0] == 1:
                payload = handle.read(28)
                if len(payload) < 28:
                    return None
                timescale, duration = struct.unpack(">16xIQ", payload)
            else:
                payload = handle.read(16)
                if len(payload) < 16:
                    return None
                timescale, duration = struct.unpack(">8xII", payload)
            return duration / timescale if timescale else None
        position += size
    return None


def _duration(handle, total: int) -> float | None:
    position = 0
    for _box in range(MAX_BOXES):
        if position + 8 > total:
            return None
        handle.seek(position)
        box = _read_box_header(handle)
        if box is None:
            return None
        size, kind, header_length = box
        if size == 0:
            size = total - position
        if size < header_length:
            return None
        if kind == b"moov":
            return _mvhd_duration(handle, position + header_length, position + size)
        position += size
    return None


def check_video(upload, *, max_bytes: int | None = None) -> CheckedVideo:
    """Validate an uploaded file as an MP4 or MOV video; raise
    ``ValidationError`` with an Indonesian message otherwise."""
    max_bytes = max_bytes or settings.SOCIAL_VIDEO_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise ValidationError(
            _("Ukuran video %(size)s melebihi batas %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    try:
        head = upload.read(12)
        if len(head) < 12 or head[4:8] != b"ftyp":
            raise ValidationError(
                _("Berkas ini bukan video MP4 atau MOV. Unggah video berformat MP4 (H.264) atau MOV."),
                code="not_a_video",
            )
        content_type = "video/quicktime" if head[8:12] in QUICKTIME_BRANDS else "video/mp4"
        duration = _duration(upload, size)
    finally:
        upload.seek(0)
    if duration is None:
        raise ValidationError(
            _(
                "Video tidak dapat dibaca (durasinya tidak ditemukan). Simpan ulang sebagai MP4 lalu unggah lagi."
            ),
            code="unreadable_video",
        )
    return CheckedVideo(content_type=content_type, size=size, duration=duration)
