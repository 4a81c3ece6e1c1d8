from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DumasConfig(AppConfig):
    name = "dumas"
    verbose_name = _("Pengaduan masyarakat (Dumas)")
    dashboard_card = "dumas/_dashboard_card.html"
