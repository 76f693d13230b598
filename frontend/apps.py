from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("Pages")

    def ready(self):
        from .inline import inline_assets

        inline_assets()  # read and hash the inlined CSS and scripts once, at startup
