"""The CKEditor 5 image upload endpoint for contributors.

django-ckeditor-5's own view lets only staff upload and checks images by
extension; contributors are not staff, and every upload must be decoded by
Pillow, size-limited and stripped of EXIF before it is stored.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from humas_portal.core import policy

from .images import news_image_create
from .models import NewsImage

WRITER_ROLES = ("kontributor", "verifikator", "admin_humas")


@require_POST
def editor_image_upload(request):
    if not request.user.is_authenticated:
        return JsonResponse({"error": {"message": _("Silakan masuk untuk mengunggah gambar.")}}, status=403)
    units = policy.units_for(request.user, WRITER_ROLES)
    unit = units.order_by("path").first()
    if unit is None:
        return JsonResponse(
            {"error": {"message": _("Anda tidak memiliki peran penulis berita untuk mengunggah gambar.")}},
            status=403,
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("Pilih berkas gambar untuk diunggah.")}}, status=400)
    try:
        image: NewsImage = news_image_create(upload=upload, uploaded_by=request.user, unit=unit)
    except ValidationError as error:
        return JsonResponse({"error": {"message": " ".join(error.messages)}}, status=400)
    return JsonResponse({"url": image.original.url})
