"""News URLs, one module per part of the app so each can grow on its own."""

from django.urls import include, path

app_name = "news"

urlpatterns = [
    path("meja/", include("news.urls_desk")),
    path("unggah/", include("news.urls_upload")),
    path("", include("news.urls_public")),
]
