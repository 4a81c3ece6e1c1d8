from django.urls import path

from . import views_upload

urlpatterns = [
    path("gambar/", views_upload.editor_image_upload, name="editor_image_upload"),
]
