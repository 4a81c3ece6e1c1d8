from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    label = "monitoring"
    verbose_name = _("Pemantauan kinerja humas")
    dashboard_card = "monitoring/_dashboard_card.html"
