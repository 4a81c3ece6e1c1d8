"""The CKEditor 5 image upload endpoint for contributors.

django-ckeditor-5's own view lets only staff upload and checks images by
extension; contributors are not staff, and every upload must be decoded by
Pillow, size-limited and stripped of EXIF before it is stored.

CKEditor's upload adapter reads ``{"url": …}`` on success and shows
``error.message`` to the writer otherwise, so every refusal answers with an
Indonesian message in that shape.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import policy
from .images import news_image_create


def _refusal(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"message": message}}, status=status)


@require_POST
def editor_image_upload(request):
    if not request.user.is_authenticated:
        return _refusal(_("Silakan masuk untuk mengunggah gambar."), 403)
    # Whoever may write news somewhere may upload its photos; the image is
    # filed under the first unit they write for (the office before its satker).
    unit = policy.editable_units(request.user).order_by("path").first()
    if unit is None or not policy.can(request.user, policy.CREATE, unit=unit):
        return _refusal(_("Anda tidak memiliki peran penulis berita untuk mengunggah gambar."), 403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _refusal(_("Pilih berkas gambar untuk diunggah."), 400)
    try:
        image = news_image_create(upload=upload, uploaded_by=request.user, unit=unit)
    except ValidationError as error:
        return _refusal(" ".join(error.messages), 400)
    return JsonResponse({"url": image.original.url})
