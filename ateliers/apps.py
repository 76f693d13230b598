from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AteliersConfig(AppConfig):
    name = "ateliers"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from livinglab import checks  # noqa: F401  (registers the deploy checks)
