"""The news desk, mounted at /meja/ under the ``news`` namespace."""

from django.urls import path

from . import views_desk as views

urlpatterns = [
    path("", views.desk_list, name="desk_list"),
    path("baru/", views.desk_create, name="desk_create"),
    path("verifikasi/", views.desk_queue, name="desk_queue"),
    path("<int:pk>/", views.desk_detail, name="desk_detail"),
    path("<int:pk>/ubah/", views.desk_edit, name="desk_edit"),
    path("<int:pk>/pratinjau/", views.desk_preview, name="desk_preview"),
    path("<int:pk>/ajukan/", views.desk_submit, name="desk_submit"),
    path("<int:pk>/setujui/", views.desk_approve, name="desk_approve"),
    path("<int:pk>/kembalikan/", views.desk_return, name="desk_return"),
    path("<int:pk>/tolak/", views.desk_reject, name="desk_reject"),
    path("<int:pk>/jadwal/", views.desk_schedule, name="desk_schedule"),
    path("<int:pk>/turunkan/", views.desk_unpublish, name="desk_unpublish"),
    path("<int:pk>/buka-kembali/", views.desk_redraft, name="desk_redraft"),
    path("<int:pk>/revisi/", views.desk_revisions, name="desk_revisions"),
    path("<int:pk>/revisi/banding/", views.desk_compare, name="desk_compare"),
]
