"""The admin writes only through the services: every domain admin's save and delete is a
service call, and what has no service is read-only (issue 15)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from ateliers.admin_access import ORGANIZERS_GROUP
from ateliers.models import User
from ateliers.services.accounts import user_grant_organizer_admin
from tests import factories
from webhooks import services as webhook_services
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db

PUBLIC_HOOK = "https://93.184.216.34/hook"


@pytest.fixture
def root_client():
    root = User.objects.create_superuser("root", "root@example.org", "pass-root-123")
    client = Client(raise_request_exception=False)
    client.force_login(root)
    return client


@pytest.fixture
def hook(organizer):
    return webhook_services.webhook_save(
        actor=organizer, url=PUBLIC_HOOK, events=["board.*"], secret="s" * 20
    )


def change_form_data(client, url: str) -> dict:
    """What the admin's change form would post as it is shown (dates split in two)."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if hasattr(value, "astimezone"):
            local = value.astimezone()
            data[f"{name}_0"], data[f"{name}_1"] = (
                local.strftime("%Y-%m-%d"),
                local.strftime("%H:%M:%S"),
            )
        elif isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None and value is not False and name != "last_login":
            data[name] = value
    return data


def test_every_domain_admin_saves_and_deletes_through_its_own_code():
    """``ModelAdmin``'s own ``save_model``/``delete_model``/``delete_queryset`` write the
    model directly; no admin of the project's apps may keep them."""
    kept = [
        f"{type(model_admin).__name__}.{name}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("ateliers", "projets", "webhooks")
        for name in ("save_model", "delete_model", "delete_queryset")
        if getattr(type(model_admin), name) is getattr(admin.ModelAdmin, name)
    ]
    assert not kept


def test_a_webhook_changed_in_the_admin_gets_the_services_address_check(root_client, hook):
    url = reverse("admin:webhooks_webhook_change", args=[hook.pk])
    form = {"url": "http://127.0.0.1:8000/hook", "events": '["board.*"]', "active": "on"}
    response = root_client.post(url, form, follow=True)
    assert "adresses privées" in response.content.decode(), response.content.decode()[-6000:]
    hook.refresh_from_db()
    assert hook.url == PUBLIC_HOOK

    response = root_client.post(url, {**form, "url": PUBLIC_HOOK, "active": ""})
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.active is False and hook.secret == "s" * 20


def test_webhooks_are_made_with_the_api_and_deliveries_are_read_only(root_client, hook):
    """The admin's add form has no secret: a hook made there would be unsigned."""
    assert root_client.get(reverse("admin:webhooks_webhook_add")).status_code == 403
    webhook_services.emit("board.idea_created", {"id": 1})
    delivery = Delivery.objects.get()
    change = reverse("admin:webhooks_delivery_change", args=[delivery.pk])
    assert root_client.get(change).status_code == 200  # shown, not editable
    assert root_client.post(change, {"name": "changed"}).status_code == 403
    delete = reverse("admin:webhooks_delivery_delete", args=[delivery.pk])
    assert root_client.post(delete, {"post": "yes"}).status_code == 403
    assert Delivery.objects.get().name == "board.idea_created"

    root_client.post(reverse("admin:webhooks_webhook_delete", args=[hook.pk]), {"post": "yes"})
    assert not Webhook.objects.exists()


def test_an_organizer_account_made_in_the_admin_can_use_the_admin(root_client):
    response = root_client.post(
        reverse("admin:ateliers_user_add"),
        {
            "username": "coordo",
            "password1": "pass-coordo-456",
            "password2": "pass-coordo-456",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[-2000:]
    user = User.objects.get(username="coordo")
    assert not user.is_staff
    change = reverse("admin:ateliers_user_change", args=[user.pk])
    data = change_form_data(root_client, change)
    data.pop("password", None)
    data["is_organizer"] = "on"
    response = root_client.post(change, data)
    assert response.status_code == 302, response.content[-3000:]
    user.refresh_from_db()
    assert user.is_organizer and user.is_staff
    assert user.groups.filter(name=ORGANIZERS_GROUP).exists()
    assert Group.objects.get(name=ORGANIZERS_GROUP).permissions.exists()


def test_an_organizer_cannot_change_accounts_in_the_admin(organizer):
    user_grant_organizer_admin(user=organizer)
    client = Client(raise_request_exception=False)
    client.force_login(organizer)
    expert = factories.make_expert("conseil")
    url = reverse("admin:ateliers_user_change", args=[expert.pk])
    assert client.post(url, {"username": "renamed"}).status_code == 403
    expert.refresh_from_db()
    assert expert.username == "conseil"


def test_event_partners_chosen_in_the_admin_are_kept(root_client, organizer, event):
    """The event form shows partners and sponsors; the service used to drop them."""
    city = factories.make_org("Ville de Laval")
    change = reverse("admin:ateliers_event_change", args=[event.pk])
    data = change_form_data(root_client, change)
    data.update(partners=[city.pk], venue="Laval")
    response = root_client.post(change, data)
    assert response.status_code == 302, response.content[-3000:]
    event.refresh_from_db()
    assert event.venue == "Laval"
    assert list(event.partners.all()) == [city]
