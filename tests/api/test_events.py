"""Events, themes, slots and registrations through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ateliers.models import Event, Registration
from ateliers.models.events import JOIN_CODE_ALPHABET
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

NEW_EVENT = {
    "title_fr": "Atelier",
    "title_en": "Workshop",
    "description_fr": "Description",
    "starts_at": "2030-01-01T14:00:00Z",
    "ends_at": "2030-01-01T20:00:00Z",
    "venue": "Montréal",
    "languages": ["fr", "en"],
    "capacity": 50,
    "status": "draft",
}


def test_create_returns_a_join_code(organizer):
    response = token_client(organizer).post("/api/events/", NEW_EVENT, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["join_code"]) == 6
    assert set(body["join_code"]) <= set(JOIN_CODE_ALPHABET)
    assert (body["status"], body["board_locked"]) == ("draft", False)
    assert Event.objects.get(pk=body["id"]).created_by == organizer


def test_create_needs_a_title_in_one_language(organizer):
    body = {**NEW_EVENT, "title_fr": "", "title_en": ""}
    response = token_client(organizer).post("/api/events/", body, format="json")
    assert response.status_code == 400
    assert "title_fr" in response.json()


def test_create_refuses_end_before_start(organizer):
    body = {**NEW_EVENT, "ends_at": "2030-01-01T13:00:00Z"}
    response = token_client(organizer).post("/api/events/", body, format="json")
    assert response.status_code == 400
    assert "ends_at" in response.json()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Give a date between the years 2000 and 2100."),
        ("fr", "Donnez une date entre les années 2000 et 2100."),
    ],
)
def test_a_date_out_of_range_is_refused_in_the_clients_language(organizer, language, message):
    body = {**NEW_EVENT, "starts_at": "0124-01-01T14:00:00Z"}
    client = token_client(organizer)
    response = client.post("/api/events/", body, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert response.json()["starts_at"] == [message]
    assert not Event.objects.exists()


def test_patch_board_locked_and_status(organizer, event):
    client = token_client(organizer)
    locked = client.patch(f"/api/events/{event.pk}/", {"board_locked": True}, format="json")
    assert locked.status_code == 200
    assert locked.json()["board_locked"] is True
    closed = client.patch(f"/api/events/{event.pk}/", {"status": "closed"}, format="json")
    assert closed.json()["status"] == "closed"
    event.refresh_from_db()
    assert (event.board_locked, event.status) == (True, "closed")
    bad = client.patch(f"/api/events/{event.pk}/", {"status": "archived"}, format="json")
    assert bad.status_code == 400


def test_join_code_is_read_only(organizer, event):
    client = token_client(organizer)
    client.patch(f"/api/events/{event.pk}/", {"join_code": "AAAAAA"}, format="json")
    old = event.join_code
    event.refresh_from_db()
    assert event.join_code == old


@pytest.mark.parametrize(
    ("headers", "query", "expected"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "", "Test workshop"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9"}, "", "Atelier d'essai"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "?lang=fr", "Atelier d'essai"),
        ({}, "?lang=en", "Test workshop"),
        ({}, "", "Atelier d'essai"),  # French first: Montréal
    ],
)
def test_bilingual_resolution(api, event, headers, query, expected):
    body = api.get(f"/api/events/{event.pk}/{query}", **headers).json()
    assert body["title"] == expected
    assert (body["title_fr"], body["title_en"]) == ("Atelier d'essai", "Test workshop")


def test_resolution_falls_back_to_the_other_language(api):
    event = factories.make_event(title_en="", title_fr="Seulement en français")
    assert api.get(f"/api/events/{event.pk}/?lang=en").json()["title"] == "Seulement en français"


def test_list_ordering_filters_and_pagination_shape(api, organizer):
    now = timezone.now()
    late = factories.make_event(
        starts_at=now + timedelta(days=30), region="Laval", languages=["fr"]
    )
    early = factories.make_event(starts_at=now + timedelta(days=3), languages=["en"])
    past = factories.make_event(starts_at=now - timedelta(days=30), languages=["fr"])
    factories.make_event(status="draft")
    body = api.get("/api/events/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [e["id"] for e in body["results"]] == [past.pk, early.pk, late.pk]
    desc = api.get("/api/events/?ordering=-starts_at").json()["results"]
    assert [e["id"] for e in desc] == [late.pk, early.pk, past.pk]
    assert [e["id"] for e in api.get("/api/events/?region=laval").json()["results"]] == [late.pk]
    english = api.get("/api/events/?language=en").json()["results"]
    assert [e["id"] for e in english] == [early.pk]
    upcoming = api.get("/api/events/?upcoming=true").json()["results"]
    assert [e["id"] for e in upcoming] == [early.pk, late.pk]
    paged = api.get("/api/events/?page_size=2").json()
    assert (paged["count"], len(paged["results"])) == (3, 2)
    assert paged["next"] and paged["previous"] is None
    assert api.get("/api/events/?page=99").status_code == 404
    # Organizers see drafts.
    assert token_client(organizer).get("/api/events/").json()["count"] == 4


def test_themes_crud_and_description(organizer, event, api):
    client = token_client(organizer)
    created = client.post(
        f"/api/events/{event.pk}/themes/",
        {"name_en": "Privacy", "description": "Data"},
        format="json",
    )
    assert created.status_code == 201, created.content
    theme = created.json()
    assert (theme["name"], theme["description"], theme["position"]) == ("Privacy", "Data", 0)
    second = client.post(f"/api/events/{event.pk}/themes/", {"name_fr": "Deux"}, format="json")
    assert second.json()["position"] == 1
    listing = api.get(f"/api/events/{event.pk}/themes/").json()["results"]
    assert [t["name_fr"] or t["name_en"] for t in listing] == ["Privacy", "Deux"]
    moved = client.patch(
        f"/api/events/{event.pk}/themes/{theme['id']}/", {"position": 5}, format="json"
    )
    assert moved.status_code == 200
    listing = api.get(f"/api/events/{event.pk}/themes/").json()["results"]
    assert [t["id"] for t in listing] == [second.json()["id"], theme["id"]]
    empty = client.post(f"/api/events/{event.pk}/themes/", {"name_fr": ""}, format="json")
    assert empty.status_code == 400
    gone = client.delete(f"/api/events/{event.pk}/themes/{theme['id']}/")
    assert gone.status_code == 204
    other = factories.make_event()
    assert client.get(f"/api/events/{other.pk}/themes/{second.json()['id']}/").status_code == 404


def test_slots_crud_and_theme_of_another_event(organizer, event):
    client = token_client(organizer)
    foreign = factories.make_event().themes.create(name_fr="Ailleurs")
    body = {
        "title_fr": "Ronde 1",
        "kind": "consultation",
        "starts_at": "2030-01-01T15:00:00Z",
        "ends_at": "2030-01-01T15:30:00Z",
    }
    created = client.post(f"/api/events/{event.pk}/slots/", body, format="json")
    assert created.status_code == 201, created.content
    wrong = client.post(
        f"/api/events/{event.pk}/slots/", {**body, "theme": foreign.pk}, format="json"
    )
    assert wrong.status_code == 400
    backwards = client.post(
        f"/api/events/{event.pk}/slots/",
        {**body, "ends_at": "2030-01-01T14:00:00Z"},
        format="json",
    )
    assert backwards.status_code == 400
    slot = created.json()["id"]
    assert (
        client.patch(f"/api/events/{event.pk}/slots/{slot}/", {"room": "A"}, format="json").json()[
            "room"
        ]
        == "A"
    )
    assert client.delete(f"/api/events/{event.pk}/slots/{slot}/").status_code == 204


def test_one_click_registration_and_duplicates(expert, event):
    client = token_client(expert)
    url = f"/api/events/{event.pk}/registrations/"
    first = client.post(url, {"role": "expert"}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["user"]["name"] == "Expertise"
    again = client.post(url, {"role": "expert"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_registered"
    assert client.get(url).json()["count"] == 1


def test_organisation_registration_by_member_only(event, org, member, expert):
    url = f"/api/events/{event.pk}/registrations/"
    refused = token_client(expert).post(
        url, {"role": "organization", "organization": org.pk}, format="json"
    )
    assert refused.status_code == 403
    ok = token_client(member).post(
        url, {"role": "organization", "organization": org.pk}, format="json"
    )
    assert ok.status_code == 201
    dup = token_client(factories.make_member(org)).post(
        url, {"role": "organization", "organization": org.pk}, format="json"
    )
    assert dup.status_code == 409
    missing = token_client(member).post(url, {"role": "organization"}, format="json")
    assert missing.status_code == 400


def test_registration_needs_an_expert_profile_to_register_as_expert(member, event):
    response = token_client(member).post(
        f"/api/events/{event.pk}/registrations/", {"role": "expert"}, format="json"
    )
    assert response.status_code == 403


def test_capacity_is_enforced(event):
    event.capacity = 1
    event.save()
    url = f"/api/events/{event.pk}/registrations/"
    assert token_client(factories.make_user()).post(url, {"role": "participant"}).status_code == 201
    full = token_client(factories.make_user()).post(url, {"role": "participant"})
    assert full.status_code == 409
    assert full.json()["code"] == "event_full"


def test_closed_and_draft_events_refuse_registration(event, expert):
    event.status = "closed"
    event.save()
    url = f"/api/events/{event.pk}/registrations/"
    assert token_client(expert).post(url, {"role": "participant"}).status_code == 409
    draft = factories.make_event(status="draft")
    response = token_client(expert).post(
        f"/api/events/{draft.pk}/registrations/", {"role": "participant"}
    )
    assert response.status_code == 404  # a draft is not visible


def test_check_in_and_undo(organizer, event, expert):
    registration = Registration.objects.create(event=event, role="expert", user=expert)
    client = token_client(organizer)
    url = f"/api/events/{event.pk}/registrations/{registration.pk}/check-in/"
    checked = client.post(url)
    assert checked.status_code == 200
    assert checked.json()["checked_in"] is True
    first_time = checked.json()["checked_in_at"]
    assert client.post(url).json()["checked_in_at"] == first_time  # a second volunteer: no-op
    filtered = client.get(f"/api/events/{event.pk}/registrations/?checked_in=true").json()
    assert filtered["count"] == 1
    undone = client.delete(url)
    assert undone.json()["checked_in"] is False
    assert token_client(expert).post(url).status_code == 403


def test_registrations_are_scoped_to_the_caller(event, expert, member, org):
    Registration.objects.create(event=event, role="expert", user=expert)
    Registration.objects.create(event=event, role="organization", organization=org, user=member)
    other_member = factories.make_member(org)
    url = f"/api/events/{event.pk}/registrations/"
    assert token_client(expert).get(url).json()["count"] == 1
    assert token_client(other_member).get(url).json()["count"] == 1  # its organisation's
    assert token_client(factories.make_user()).get(url).json()["count"] == 0


def test_delete_event_is_organizer_only(organizer, event, expert):
    assert token_client(expert).delete(f"/api/events/{event.pk}/").status_code == 403
    assert token_client(organizer).delete(f"/api/events/{event.pk}/").status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()
