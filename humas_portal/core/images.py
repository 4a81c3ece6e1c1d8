"""Checking and cleaning uploaded images, shared by every app that takes them.

An upload is an image only if Pillow can decode it, whatever its name says.
Size and pixel limits are checked from the header, before any pixel is
decoded, so a decompression bomb (a small file that expands to gigapixels) is
refused without using the memory it asks for. Stored copies are re-encoded
from their pixels, which drops EXIF (GPS position, camera serial), XMP,
comments and anything appended to the file (an image/HTML or image/PHP
polyglot) after applying the EXIF rotation.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

# The only entries of ``Image.info`` carried into a clean copy: what the
# pixels need to look the same (transparency, animation timing). Everything
# else there (exif, xmp, comment, text chunks) is metadata and is dropped.
_KEPT_INFO = ("transparency", "duration", "loop", "disposal", "background", "blend")

# Errors Pillow raises on a file it cannot decode: unknown, truncated or
# corrupt data, or a header that lies about the content.
_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True)
class CheckedImage:
    format: str
    width: int
    height: int
    frames: int = 1


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("Berkas ini bukan gambar yang valid. Unggah foto JPEG, PNG, WebP atau GIF."),
        code="not_an_image",
    )


def check_image(upload, *, max_bytes: int | None = None, max_pixels: int | None = None) -> CheckedImage:
    """Validate an uploaded file as an image; raise ``ValidationError`` with
    an Indonesian message a contributor can act on.

    Only the header is read: the pixel budget (width × height × frames) is
    enforced before anything is decoded.
    """
    max_bytes = max_bytes or settings.IMAGE_MAX_UPLOAD_BYTES
    max_pixels = max_pixels or settings.IMAGE_MAX_PIXELS
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Ukuran berkas %(size)s melebihi batas %(limit)s. Perkecil foto lalu unggah lagi.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that; a
            # warning is as much a bomb as the error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                image_format = image.format
                if image_format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Format gambar %(format)s tidak didukung. Gunakan JPEG, PNG, WebP atau GIF.")
                        % {"format": image_format},
                        code="unsupported_format",
                    )
                if width * height > max_pixels:
                    raise ValidationError(
                        _(
                            "Gambar terlalu besar (%(w)s × %(h)s piksel). Batasnya %(limit)s megapiksel; "
                            "perkecil ukuran foto lalu unggah lagi."
                        )
                        % {"w": width, "h": height, "limit": max_pixels // 1_000_000},
                        code="too_many_pixels",
                    )
                # Counting GIF frames walks the file without decoding pixels.
                frames = getattr(image, "n_frames", 1)
                if frames * width * height > max_pixels:
                    raise ValidationError(
                        _("Animasi terlalu besar (%(frames)s bingkai). Batasnya %(limit)s megapiksel.")
                        % {"frames": frames, "limit": max_pixels // 1_000_000},
                        code="too_many_pixels",
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _(
                "Gambar ditolak karena ukurannya setelah dibuka terlalu besar (bom dekompresi). "
                "Unggah foto dengan ukuran piksel yang wajar."
            ),
            code="decompression_bomb",
        ) from exc
    except _DECODE_ERRORS as exc:
        raise _not_an_image() from exc
    finally:
        upload.seek(0)
    return CheckedImage(format=image_format, width=width, height=height, frames=frames)


def _without_metadata(image: Image.Image) -> Image.Image:
    image.info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    return image


def clean_copy(upload, *, name: str | None = None, max_bytes: int | None = None) -> ContentFile:
    """A re-encoded copy of a checked image without its metadata (EXIF, GPS,
    XMP, comments), rotated upright as its EXIF orientation said.

    The colour profile is kept: it holds no personal data and a phone photo
    looks wrong without it. Animations keep their frames. ``max_bytes`` is
    the caller's own size limit, when it differs from IMAGE_MAX_UPLOAD_BYTES.
    """
    checked = check_image(upload, max_bytes=max_bytes)
    upload.seek(0)
    buffer = io.BytesIO()
    try:
        with Image.open(upload) as image:
            icc_profile = image.info.get("icc_profile")
            params: dict = {"icc_profile": icc_profile} if icc_profile else {}
            if checked.format in ("JPEG", "WEBP"):
                params.update(quality=88)
            if checked.format == "JPEG":
                params.update(optimize=True)
            if checked.frames > 1:
                frames = [_without_metadata(frame.copy()) for frame in ImageSequence.Iterator(image)]
                frames[0].save(
                    buffer, format=checked.format, save_all=True, append_images=frames[1:], **params
                )
            else:
                upright = _without_metadata(ImageOps.exif_transpose(image))
                if checked.format == "JPEG" and upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                # No exif= argument: the new file carries no metadata.
                upright.save(buffer, format=checked.format, **params)
    except _DECODE_ERRORS as exc:
        # A truncated or corrupt body passes the header check and fails here.
        raise _not_an_image() from exc
    base = (name or getattr(upload, "name", "") or "gambar").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ContentFile(buffer.getvalue(), name=f"{base[:80] or 'gambar'}.{ALLOWED_FORMATS[checked.format]}")


def fitted_size(width: int, height: int, *, max_width: int, max_height: int | None = None) -> tuple[int, int]:
    """The size of a rendition of a ``width`` × ``height`` image: the largest
    that fits in the box with the same proportions, never enlarged. Pages
    read it to give a rendition's size without opening the file."""
    max_height = max_height or max_width * 4
    if width <= max_width and height <= max_height:
        return width, height
    scale = min(max_width / width, max_height / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def rendition(source, *, max_width: int, max_height: int | None = None, quality: int = 80) -> ContentFile:
    """A WebP copy of ``source`` (its first frame) of ``fitted_size``."""
    source.seek(0)
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        size = fitted_size(*image.size, max_width=max_width, max_height=max_height)
        if size != image.size:
            image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=quality, method=4)
    return ContentFile(buffer.getvalue())
