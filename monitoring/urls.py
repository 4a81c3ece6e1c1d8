from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("peringkat/", views.leaderboard, name="leaderboard"),
    path("evaluasi/", views.exports, name="exports"),
    path("evaluasi/<int:pk>/status/", views.export_status, name="export_status"),
    path("evaluasi/<int:pk>/unduh/<str:kind>/", views.export_download, name="export_download"),
]
