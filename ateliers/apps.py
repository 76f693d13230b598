from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AteliersConfig(AppConfig):
    name = "ateliers"
    verbose_name = _("Workshops")

    def ready(self):
        from django.db.models.signals import pre_save

        from .text import clean_model_text

        # Every text of every project model is cleaned before it is saved (ateliers/text.py).
        pre_save.connect(clean_model_text, dispatch_uid="ateliers.text.clean_model_text")
