from django.urls import path

from . import views_desk, views_public

app_name = "dumas"

urlpatterns = [
    # Public
    path("", views_public.index, name="index"),
    path("lapor/<slug:slug>/", views_public.create, name="create"),
    path("terkirim/", views_public.submitted, name="submitted"),
    path("lacak/", views_public.track_lookup, name="track_lookup"),
    path("lacak/<str:code>/", views_public.track, name="track"),
    # Officers' desk
    path("meja/", views_desk.queue, name="queue"),
    path("meja/ekspor.xlsx", views_desk.queue_export, name="queue_export"),
    path("meja/catat/", views_desk.record, name="record"),
    path("meja/<int:pk>/", views_desk.detail, name="detail"),
    path("meja/<int:pk>/tindakan/<str:action>/", views_desk.act, name="act"),
    path("meja/<int:pk>/teruskan/", views_desk.forward, name="forward"),
    path("meja/<int:pk>/tugaskan/", views_desk.assign, name="assign"),
    path("meja/<int:pk>/laporan/", views_desk.report, name="report"),
    path("meja/lampiran/<int:pk>/", views_desk.attachment, name="attachment"),
    path("meja/lokasi/", views_desk.locations, name="locations"),
    path("meja/lokasi/<int:pk>/poster.pdf", views_desk.location_poster, name="location_poster"),
    path("meja/lokasi/<int:pk>/status/", views_desk.location_toggle, name="location_toggle"),
    path("meja/rekap/", views_desk.recap, name="recap"),
    path("meja/rekap.xlsx", views_desk.recap_export, name="recap_export"),
]
