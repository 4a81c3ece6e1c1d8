"""Checking and cleaning uploaded images, shared by every app that takes them.

An upload is an image only if Pillow can decode it, whatever its name says.
Size and pixel limits are checked before the pixels are decoded, so a
decompression bomb (a small file that expands to gigapixels) is refused
without using the memory it asks for. Stored copies are re-encoded, which
drops EXIF (GPS position, camera serial) after applying its rotation.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


@dataclass(frozen=True)
class CheckedImage:
    format: str
    width: int
    height: int


def check_image(upload, *, max_bytes: int | None = None, max_pixels: int | None = None) -> CheckedImage:
    """Validate an uploaded file as an image; raise ``ValidationError`` with
    an Indonesian message a contributor can act on."""
    max_bytes = max_bytes or settings.IMAGE_MAX_UPLOAD_BYTES
    max_pixels = max_pixels or settings.IMAGE_MAX_PIXELS
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Ukuran berkas %(size)s MB melebihi batas %(limit)s MB.")
            % {"size": f"{size / 1_048_576:.1f}", "limit": f"{max_bytes / 1_048_576:.0f}"},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                image_format = image.format
                if width * height > max_pixels:
                    raise ValidationError(
                        _("Gambar terlalu besar (%(w)s × %(h)s piksel). Batasnya %(limit)s megapiksel.")
                        % {"w": width, "h": height, "limit": max_pixels // 1_000_000},
                        code="too_many_pixels",
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("Gambar ditolak karena ukurannya setelah dibuka terlalu besar (bom dekompresi)."),
            code="decompression_bomb",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("Berkas ini bukan gambar yang valid. Unggah foto JPEG, PNG, WebP atau GIF."),
            code="not_an_image",
        ) from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Format gambar %(format)s tidak didukung. Gunakan JPEG, PNG, WebP atau GIF.")
            % {"format": image_format},
            code="unsupported_format",
        )
    return CheckedImage(format=image_format, width=width, height=height)


def clean_copy(upload, *, name: str | None = None) -> ContentFile:
    """A re-encoded copy of a checked image without its metadata (EXIF, GPS),
    rotated upright as its EXIF orientation said."""
    checked = check_image(upload)
    upload.seek(0)
    with Image.open(upload) as image:
        if checked.format == "GIF":
            # Re-encoding would flatten an animation; GIF carries no EXIF block.
            upload.seek(0)
            data = upload.read()
        else:
            upright = ImageOps.exif_transpose(image)
            if checked.format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            buffer = io.BytesIO()
            params = {"quality": 88, "optimize": True} if checked.format in ("JPEG", "WEBP") else {}
            # No exif= argument: the new file carries no metadata.
            upright.save(buffer, format=checked.format, **params)
            data = buffer.getvalue()
    base = (name or getattr(upload, "name", "") or "gambar").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ContentFile(data, name=f"{base[:80] or 'gambar'}.{ALLOWED_FORMATS[checked.format]}")


def rendition(source, *, max_width: int, max_height: int | None = None, quality: int = 80) -> ContentFile:
    """A WebP copy of ``source`` fitting in the box, never enlarged."""
    source.seek(0)
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        image.thumbnail((max_width, max_height or max_width * 4), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=quality, method=4)
    return ContentFile(buffer.getvalue())
