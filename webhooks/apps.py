from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from ateliers import outbound

        from .services import emit

        # The domain publishes its changes (ateliers/outbound.py); a delivery is queued
        # for each matching hook in the change's own transaction.
        outbound.subscribe(emit)
