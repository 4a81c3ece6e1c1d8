from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "humas_portal.core"
    label = "core"
    verbose_name = _("Inti portal")

    def ready(self):
        from .folders import ensure_local_folders, uses_file_queue

        if uses_file_queue():
            ensure_local_folders()
