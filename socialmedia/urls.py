from django.urls import path

from . import views, views_accounts, views_calendar

app_name = "socialmedia"

urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("kalender/", views_calendar.calendar_month, name="calendar_month"),
    path("kalender/minggu/", views_calendar.calendar_week, name="calendar_week"),
    path("kiriman/baru/", views.post_create, name="post_create"),
    path("kiriman/<int:pk>/", views.post_detail, name="post_detail"),
    path("kiriman/<int:pk>/ubah/", views.post_edit, name="post_edit"),
    path("kiriman/<int:pk>/tindakan/<str:action>/", views.post_action, name="post_action"),
    path("pengiriman/<int:pk>/kirim-ulang/", views.delivery_retry, name="delivery_retry"),
    path("pengiriman/<int:pk>/tandai-terbit/", views.delivery_mark_published, name="delivery_mark_published"),
    path("akun/", views_accounts.account_list, name="account_list"),
    path("akun/baru/", views_accounts.account_create, name="account_create"),
    path("akun/<int:pk>/", views_accounts.account_edit, name="account_edit"),
    path("akun/<int:pk>/uji/", views_accounts.account_test, name="account_test"),
    path("akun/<int:pk>/status/", views_accounts.account_toggle, name="account_toggle"),
    path("berita/<int:pk>/bagikan/", views.share_news, name="share_news"),
]
