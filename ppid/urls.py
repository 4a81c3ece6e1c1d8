from django.urls import path, register_converter

from . import views, views_staff


class TokenConverter:
    """A tracking token: url-safe base64, as ``secrets.token_urlsafe`` makes."""

    regex = r"[A-Za-z0-9_\-]{32,128}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

app_name = "ppid"

urlpatterns = [
    path("", views.index, name="index"),
    # The requester's private pages, opened only by the tracking token.
    path("lacak/", views.reissue, name="reissue"),
    path("lacak/<token:token>/", views.track, name="track"),
    path("lacak/<token:token>/keberatan/", views.track_objection, name="track_objection"),
    path("lacak/<token:token>/surat/<uuid:public_id>/", views.track_notice, name="track_notice"),
    path("lacak/<token:token>/berkas/<uuid:public_id>/", views.track_attachment, name="track_attachment"),
    # Staff.
    path("meja/", views_staff.queue, name="queue"),
    path("meja/permohonan/<int:pk>/", views_staff.staff_request, name="staff_request"),
    path("meja/permohonan/<int:pk>/perpanjang/", views_staff.staff_extend, name="staff_extend"),
    path("meja/permohonan/<int:pk>/jawab/", views_staff.staff_answer, name="staff_answer"),
    path("meja/permohonan/<int:pk>/identitas/", views_staff.staff_identity, name="staff_identity"),
    path(
        "meja/permohonan/<int:pk>/identitas/<uuid:public_id>/",
        views_staff.staff_identity_document,
        name="staff_identity_document",
    ),
    path(
        "meja/permohonan/<int:pk>/berkas/<uuid:public_id>/",
        views_staff.staff_attachment,
        name="staff_attachment",
    ),
    path("meja/permohonan/<int:pk>/surat/<uuid:public_id>/", views_staff.staff_notice, name="staff_notice"),
    path("meja/keberatan/", views_staff.objections, name="objections"),
    path("meja/keberatan/<int:pk>/", views_staff.staff_objection, name="staff_objection"),
    path("meja/<slug:slug>/profil/", views_staff.profile_edit, name="profile_edit"),
    path("meja/<slug:slug>/dip/", views_staff.dip_manage, name="dip_manage"),
    path("meja/<slug:slug>/dip/baru/", views_staff.dip_edit, name="dip_create"),
    path("meja/<slug:slug>/dip/<int:pk>/", views_staff.dip_edit, name="dip_edit"),
    path("meja/<slug:slug>/dip/<int:pk>/hapus/", views_staff.dip_delete, name="dip_delete"),
    path("meja/<slug:slug>/dip/<int:pk>/dokumen/", views_staff.dip_document_add, name="dip_document_add"),
    path(
        "meja/<slug:slug>/dip/<int:pk>/dokumen/<uuid:public_id>/hapus/",
        views_staff.dip_document_delete,
        name="dip_document_delete",
    ),
    path("meja/<slug:slug>/laporan/", views_staff.staff_report, name="staff_report"),
    path(
        "meja/<slug:slug>/laporan/unduh.<str:fmt>",
        views_staff.staff_report_export,
        name="staff_report_export",
    ),
    # A unit's public PPID page.
    path("<slug:slug>/", views.unit_page, name="unit"),
    path("<slug:slug>/permohonan/", views.request_create, name="request_create"),
    path("<slug:slug>/dokumen/<uuid:public_id>/", views.dip_document, name="dip_document"),
    path("<slug:slug>/laporan/<int:year>/", views.report, name="report"),
    path("<slug:slug>/laporan/<int:year>/unduh.<str:fmt>", views.report_export, name="report_export"),
]
