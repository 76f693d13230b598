from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AteliersConfig(AppConfig):
    name = "ateliers"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_save

        from livinglab import checks  # noqa: F401  (registers the deploy checks)

        from .admin_access import ensure_organizers_group
        from .text import clean_model_text

        # Every text of every project model is cleaned before it is saved (ateliers/text.py).
        pre_save.connect(clean_model_text, dispatch_uid="ateliers.text.clean_model_text")
        # After every app (projets comes later than ateliers): idempotent and cheap.
        post_migrate.connect(ensure_organizers_group, dispatch_uid="organizers")
        # The board's cached state (per seq) is built again when a theme changes.
        from .selectors.board import connect_signals

        connect_signals()
