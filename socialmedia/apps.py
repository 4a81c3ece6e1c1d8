from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialMediaConfig(AppConfig):
    name = "socialmedia"
    verbose_name = _("Media sosial")
    dashboard_card = "socialmedia/_dashboard_card.html"
