from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjetsConfig(AppConfig):
    name = "projets"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from .event_report import register

        register()  # the projects' part of the event report and figures
