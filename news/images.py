"""Photos of news items: storing a checked, EXIF-free original and making the
WebP renditions (thumbnail, card, full) in a worker."""

from __future__ import annotations

import logging

from django.db import transaction

from humas_portal.core import images
from humas_portal.core.models import User, WorkUnit

from .models import NewsImage

logger = logging.getLogger(__name__)

# Width of each rendition in pixels; heights follow the photo's proportions.
RENDITIONS = {"thumbnail": 320, "card": 720, "full": 1600}


def linked_size(image: NewsImage, rendition: str) -> tuple[int, int]:
    """Width and height of the file ``image.url_for(rendition)`` links: the
    rendition once the worker made it, the original until then; ``(0, 0)``
    when the original's size is unknown. Share cards (``og:image:width``)
    must give the size of the file they point at."""
    width, height = image.width, image.height
    if not getattr(image, rendition, None) or not width or not height:
        return width, height
    return images.fitted_size(width, height, max_width=RENDITIONS[rendition])


def news_image_create(
    *,
    upload,
    uploaded_by: User,
    unit: WorkUnit | None = None,
    item=None,
    in_gallery: bool = False,
    caption: str = "",
    alt_text: str = "",
) -> NewsImage:
    """Check an uploaded photo, store a clean copy and queue its renditions.

    Raises ``ValidationError`` (with an Indonesian message) for anything that
    is not an acceptable image: a fake, an oversized file or a decompression
    bomb.
    """
    clean = images.clean_copy(upload)
    image = NewsImage(
        item=item,
        unit=unit,
        uploaded_by=uploaded_by,
        in_gallery=in_gallery,
        caption=caption,
        alt_text=alt_text or caption,
    )
    image.original.save(clean.name, clean, save=False)
    image.save()
    from .tasks import make_image_renditions

    transaction.on_commit(lambda: make_image_renditions.delay(image.pk))
    return image


def news_image_make_renditions(*, image_id: int) -> bool:
    """Create the missing renditions of one image; returns whether this call
    added any.

    Safe to run twice, even at the same moment (a redelivered task): each
    rendition is claimed with a conditional UPDATE on its empty field, and a
    worker that loses the claim deletes the file it made, so nothing is
    stored twice.
    """
    image = NewsImage.objects.filter(pk=image_id).first()
    if image is None or not image.original:
        return False
    base = image.original.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    made = False
    for name, width in RENDITIONS.items():
        if getattr(image, name):
            continue
        try:
            with image.original.open("rb") as source:
                content = images.rendition(source, max_width=width)
        except FileNotFoundError:
            # The file went away with its item; a retry would not bring it back.
            logger.warning("Original of news image %s is missing; no renditions made", image_id)
            return made
        field = getattr(image, name)
        stored = field.storage.save(field.field.generate_filename(image, f"{base}-{name}.webp"), content)
        if NewsImage.objects.filter(pk=image_id, **{name: ""}).update(**{name: stored}):
            made = True
        else:
            field.storage.delete(stored)
    return made
