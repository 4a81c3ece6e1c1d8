from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from humas_portal.core.health import health

urlpatterns = [
    path("sehat/", health, name="health"),
    path("admin/", admin.site.urls),
    path("akun/", include("humas_portal.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("medsos/", include("socialmedia.urls")),
    path("ppid/", include("ppid.urls")),
    path("pengaduan/", include("dumas.urls")),
    path("pemantauan/", include("monitoring.urls")),
    path("", include("news.urls")),
]

if settings.DEBUG:
    # Production serves MEDIA_ROOT from the web server (see README).
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    )

handler500 = "humas_portal.core.views.server_error"
