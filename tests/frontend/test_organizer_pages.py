"""The organizer's pages: every write goes through a POST form and a service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ateliers.models import Event, Registration
from tests import factories
from tests.helpers import assert_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def orga_client(client, organizer):
    client.force_login(organizer)
    return client


def test_pages_need_an_organizer(client, event, expert):
    url = reverse("frontend:organizer-event", args=[event.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(expert)
    assert client.get(url).status_code == 403
    assert client.post(reverse("frontend:organizer-event-create"), {}).status_code == 403


def test_create_an_event_shows_its_join_code(orga_client):
    response = orga_client.post(
        reverse("frontend:organizer-event-create"),
        {
            "title_fr": "Atelier",
            "title_en": "",
            "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-01T17:00",
            "languages": ["fr", "en"],
            "status": "draft",
            "venue": "Montréal",
        },
        follow=True,
    )
    event = Event.objects.get()
    assert event.title_fr == "Atelier"
    assert event.starts_at.hour == 14  # 09:00 in Montréal is 14:00 UTC in winter
    assert event.created_by is not None
    assert event.join_code in response.content.decode()


def test_create_refuses_bad_input_with_field_errors(orga_client):
    response = orga_client.post(
        reverse("frontend:organizer-event-create"),
        {
            "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-01T08:00",
            "languages": ["xx"],
            "status": "draft",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "title_fr" in form.errors
    assert "languages" in form.errors
    assert not Event.objects.exists()


def test_end_before_start_is_refused(orga_client):
    response = orga_client.post(
        reverse("frontend:organizer-event-create"),
        {
            "title_en": "X",
            "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-01T08:00",
            "languages": ["fr"],
            "status": "draft",
        },
    )
    assert "ends_at" in response.context["form"].errors
    assert not Event.objects.exists()


def test_edit_and_publish_and_close(orga_client, event):
    url = reverse("frontend:organizer-event-edit", args=[event.pk])
    form = orga_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["starts_at"] = event.starts_at.astimezone().strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = event.ends_at.astimezone().strftime("%Y-%m-%dT%H:%M")
    data["venue"] = "Laval"
    data["status"] = "draft"
    response = orga_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert (event.venue, event.status) == ("Laval", "draft")
    status_url = reverse("frontend:organizer-event-status", args=[event.pk])
    orga_client.post(status_url, {"status": "published"})
    event.refresh_from_db()
    assert event.status == "published"
    orga_client.post(status_url, {"status": "closed"})
    event.refresh_from_db()
    assert event.status == "closed"
    assert orga_client.post(status_url, {"status": "bogus"}).status_code == 302
    event.refresh_from_db()
    assert event.status == "closed"
    assert orga_client.get(status_url).status_code == 405


def test_themes_add_edit_reorder_delete(orga_client, event):
    create = reverse("frontend:organizer-theme-create", args=[event.pk])
    for name in ["Un", "Deux", "Trois"]:
        assert orga_client.post(create, {"name_fr": name}).status_code == 302
    assert orga_client.post(create, {"name_fr": "", "name_en": ""}).status_code == 200
    themes = list(event.themes.all())
    assert [t.name_fr for t in themes] == ["Un", "Deux", "Trois"]
    move = reverse("frontend:organizer-theme-move", args=[event.pk, themes[2].pk])
    orga_client.post(move, {"direction": "up"})
    assert [t.name_fr for t in event.themes.all()] == ["Un", "Trois", "Deux"]
    move_first = reverse("frontend:organizer-theme-move", args=[event.pk, themes[0].pk])
    orga_client.post(move_first, {"direction": "up"})  # already first: nothing moves
    assert [t.name_fr for t in event.themes.all()] == ["Un", "Trois", "Deux"]
    edit = reverse("frontend:organizer-theme-edit", args=[event.pk, themes[0].pk])
    orga_client.post(edit, {"name_fr": "Un", "name_en": "One"})
    themes[0].refresh_from_db()
    assert themes[0].name_en == "One"
    delete = reverse("frontend:organizer-theme-delete", args=[event.pk, themes[1].pk])
    confirm = orga_client.get(delete)
    assert confirm.status_code == 200
    assert "Deux" in confirm.content.decode()
    assert event.themes.count() == 3  # asking deletes nothing
    orga_client.post(delete)
    assert event.themes.count() == 2
    other = factories.make_event()
    wrong = reverse("frontend:organizer-theme-edit", args=[other.pk, themes[0].pk])
    assert orga_client.get(wrong).status_code == 404


def test_slots_add_edit_delete(orga_client, event):
    theme = event.themes.create(name_fr="Thème")
    other_theme = factories.make_event().themes.create(name_fr="Ailleurs")
    create = reverse("frontend:organizer-slot-create", args=[event.pk])
    data = {
        "title_fr": "Ronde 1",
        "kind": "consultation",
        "starts_at": "2030-03-01T10:00",
        "ends_at": "2030-03-01T10:30",
        "theme": theme.pk,
    }
    assert orga_client.post(create, data).status_code == 302
    slot = event.slots.get()
    assert slot.theme == theme
    bad = orga_client.post(create, {**data, "theme": other_theme.pk})
    assert "theme" in bad.context["form"].errors
    edit = reverse("frontend:organizer-slot-edit", args=[event.pk, slot.pk])
    assert orga_client.post(edit, {**data, "room": "Salle A"}).status_code == 302
    slot.refresh_from_db()
    assert slot.room == "Salle A"
    orga_client.post(reverse("frontend:organizer-slot-delete", args=[event.pk, slot.pk]))
    assert not event.slots.exists()


def test_registrations_filter_and_check_in(orga_client, event, expert, org, member):
    reg_org = Registration.objects.create(
        event=event, role="organization", organization=org, user=member
    )
    reg_expert = Registration.objects.create(event=event, role="expert", user=expert)
    url = reverse("frontend:organizer-registrations", args=[event.pk])
    page = orga_client.get(url)
    assert set(page.context["page"].object_list) == {reg_org, reg_expert}
    only_experts = orga_client.get(url, {"role": "expert"})
    assert list(only_experts.context["page"].object_list) == [reg_expert]

    check_in = reverse("frontend:organizer-check-in", args=[event.pk, reg_org.pk])
    response = orga_client.post(check_in, {"next": url + "?role=organization"})
    assert response["Location"] == f"{url}?role=organization#reg-{reg_org.pk}"
    reg_org.refresh_from_db()
    assert reg_org.checked_in
    checked = orga_client.get(url, {"checked_in": "true"})
    assert list(checked.context["page"].object_list) == [reg_org]
    not_checked = orga_client.get(url, {"checked_in": "false"})
    assert list(not_checked.context["page"].object_list) == [reg_expert]

    response = orga_client.post(check_in, {"undo": "1", "next": "https://evil.example/"})
    assert response["Location"] == f"{url}#reg-{reg_org.pk}"
    reg_org.refresh_from_db()
    assert not reg_org.checked_in


def test_manage_page_query_count_is_constant(orga_client, event):
    url = reverse("frontend:organizer-event", args=[event.pk])
    orga_client.get(url)

    def count():
        with assert_queries("page organizer event with its themes and slots"):
            assert orga_client.get(url).status_code == 200

    count()
    for i in range(20):
        theme = event.themes.create(name_fr=f"T{i}", position=i)
        event.slots.create(
            title_fr=f"S{i}",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            theme=theme,
        )
    count()  # 20 themes and slots more: the same count
