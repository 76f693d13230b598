"""Webhooks in the admin, through ``webhooks.services`` like the API.

A hook is made with ``POST /api/webhooks/`` (its secret is chosen there, and the address
is checked against private networks by the service); here it can be changed, paused or
removed. The delivery log is read-only.
"""

from django.contrib import admin

from ateliers.admin import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(ServiceAdmin):
    list_display = ("url", "active", "event", "created_at")
    exclude = ("secret",)
    readonly_fields = ("created_by", "created_at")

    def update(self, actor, obj, data):
        return services.webhook_save(actor=actor, webhook=obj, **data)

    def delete(self, actor, obj):
        services.webhook_delete(actor=actor, webhook=obj)

    def get_deleted_objects(self, objs, request):
        # The delivery log goes with its hook; it is read-only, not protected.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("name", "webhook", "status", "created_at", "delivered_at")
    list_filter = ("status",)
