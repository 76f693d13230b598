"""The admin an organizer can use: every model listed, writes through the services."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from ateliers.models import BoardEvent, Event, Theme, User
from ateliers.routing import websocket_urlpatterns
from ateliers.services.board import participant_join, participant_token
from demo.seed import DEMO_ORGANIZER, seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_organizer():
    seed_demo()
    client = Client(raise_request_exception=False)
    assert client.login(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1])
    return client


def test_the_demo_organizer_sees_every_area_in_the_admin(demo_organizer):
    from html import unescape

    page = unescape(demo_organizer.get("/admin/").content.decode()).lower()
    for name in (
        "Événements",
        "Thèmes",
        "Plages horaires",
        "Inscriptions",
        "Demandes d'aide",
        "Horaires des consultations",
        "Rencontres",
        "Projets",
        "Courriels sortants",
    ):
        assert name.lower() in page, name


def test_every_changelist_and_change_page_answers(demo_organizer):
    """No 500 and no refusal: each registered model's list (with a filter) and the page
    of its first row, as the demo organizer."""
    checked = 0
    for model in admin.site._registry:
        if model._meta.app_label not in ("ateliers", "projets"):
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = demo_organizer.get(url)
        assert response.status_code == 200, url
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            assert demo_organizer.get(change).status_code == 200, change
            checked += 1
    assert checked >= 15


@pytest.mark.django_db(transaction=True)
def test_a_board_lock_changed_in_the_admin_is_logged_and_broadcast(demo_organizer):
    """A guest's board socket receives the lock made in the admin, like one from the board."""
    event = Event.objects.filter(status="published").first()
    url = reverse("admin:ateliers_event_change", args=[event.pk])
    form = demo_organizer.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if k in form.fields and k not in ("starts_at", "ends_at", "board_locked")
    }
    data["languages"] = event.languages
    for key in ("starts_at", "ends_at"):
        value = getattr(event, key).astimezone()
        data[f"{key}_0"], data[f"{key}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
    data = {k: ("" if v is None else v) for k, v in data.items()}
    before = BoardEvent.objects.filter(event=event).count()
    guest = participant_join(code=event.join_code, display_name="Sur place")

    async def scenario():
        socket = WebsocketCommunicator(
            URLRouter(websocket_urlpatterns), f"/ws/events/{event.pk}/board/"
        )
        assert (await socket.connect())[0]
        await socket.send_json_to({"type": "hello", "token": participant_token(guest)})
        assert (await socket.receive_json_from(timeout=5))["type"] == "welcome"
        response = await sync_to_async(demo_organizer.post)(url, {**data, "board_locked": "on"})
        for _ in range(20):
            message = await socket.receive_json_from(timeout=5)
            if message["type"] == "board.updated":
                break
        await socket.disconnect()
        return response, message

    response, pushed = async_to_sync(scenario)()
    assert response.status_code == 302, response.content[:3000]
    event.refresh_from_db()
    assert event.board_locked
    logged = BoardEvent.objects.filter(event=event).order_by("-seq").first()
    assert BoardEvent.objects.filter(event=event).count() == before + 1
    assert logged.type == "board.updated" and logged.payload == {"board_locked": True}
    assert pushed == {"type": "board.updated", "seq": logged.seq, "board_locked": True}


def test_a_theme_added_in_the_admin_goes_through_the_service(demo_organizer):
    event = Event.objects.first()
    response = demo_organizer.post(
        reverse("admin:ateliers_theme_add"),
        {"event": event.pk, "name_fr": "", "name_en": "", "position": 0},
    )
    assert response.status_code == 200  # the model's rule: a name in one language
    response = demo_organizer.post(
        reverse("admin:ateliers_theme_add"),
        {"event": event.pk, "name_fr": "Mobilité", "name_en": "", "position": 0},
    )
    assert response.status_code == 302
    assert Theme.objects.filter(name_fr="Mobilité", event=event).exists()


def test_deleting_an_account_in_the_admin_erases_it(demo_organizer):
    superuser = User.objects.create_superuser("root", "root@example.org", "pass-root-123")
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    expert = User.objects.filter(is_expert=True).first()
    url = reverse("admin:ateliers_user_delete", args=[expert.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=expert.pk).exists()


def test_organizers_cannot_edit_what_has_no_service(demo_organizer):
    from ateliers.models import Idea

    idea = Idea.objects.first()
    url = reverse("admin:ateliers_idea_change", args=[idea.pk])
    response = demo_organizer.post(url, {"text": "changed"})
    assert response.status_code == 403
    assert demo_organizer.get(reverse("admin:ateliers_registration_add")).status_code == 403


def test_a_project_added_in_the_admin_opens_through_the_service(demo_organizer):
    from projets.models import Project

    response = demo_organizer.post(
        reverse("admin:projets_project_add"),
        {
            "title_fr": "Jardin partagé",
            "title_en": "",
            "summary_fr": "",
            "summary_en": "",
            "visibility": "public",
            "region": "",
            **{
                f"{prefix}-{key}": 0
                for prefix in ("members", "transitions")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302, response.content[-3000:]
    project = Project.objects.get(title_fr="Jardin partagé")
    assert project.created_by.username == DEMO_ORGANIZER[0]
    assert project.transitions.count() == 1  # the opening is the first line of its history
