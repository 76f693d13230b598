"""Each value rule is written once, in the model (``clean()``), and the API answers with
it: the same 400 field errors as before, in the client's language (issue 15)."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
EVENT = {
    "title_fr": "Atelier",
    "starts_at": "2030-01-01T14:00:00Z",
    "ends_at": "2030-01-01T13:00:00Z",
    "languages": ["fr"],
}


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (FR, "L'événement doit finir après son début."),
        (EN, "The event must end after it starts."),
    ],
)
def test_an_event_that_ends_before_it_starts(as_user, organizer, headers, message):
    client = as_user(organizer)
    response = client.post("/api/events/", EVENT, format="json", **headers)
    assert response.status_code == 400
    assert response.json() == {"ends_at": [message]}


def test_an_event_moved_to_end_before_it_starts(as_user, organizer, event):
    response = as_user(organizer).patch(
        f"/api/events/{event.pk}/",
        {"ends_at": event.starts_at.isoformat().replace("+00:00", "Z")},
        format="json",
        **FR,
    )
    assert response.status_code == 400
    assert response.json() == {"ends_at": ["L'événement doit finir après son début."]}
    event.refresh_from_db()
    assert event.ends_at > event.starts_at


def test_a_time_slot_that_ends_before_it_starts(as_user, organizer, event):
    response = as_user(organizer).post(
        f"/api/events/{event.pk}/slots/",
        {"title_fr": "Accueil", "starts_at": EVENT["starts_at"], "ends_at": EVENT["ends_at"]},
        format="json",
        **FR,
    )
    assert response.status_code == 400
    assert response.json() == {"ends_at": ["Une plage horaire doit finir après son début."]}
    assert not event.slots.exists()


def test_an_indicator_whose_target_is_its_baseline(as_user, organizer):
    project = factories.make_project(actor=organizer)
    url = f"/api/projects/{project.pk}/indicators/"
    client = as_user(organizer)
    body = {"name": "Arbres", "target": 10, "baseline": 10}
    response = client.post(url, body, format="json", **FR)
    assert response.status_code == 400
    assert response.json() == {"target": ["La cible doit être différente du point de départ."]}
    response = client.post(url, body, format="json", **EN)
    assert response.json() == {"target": ["The target must differ from the baseline."]}
    assert not project.indicators.exists()

    made = client.post(url, {**body, "target": 20}, format="json").json()
    response = client.patch(f"{url}{made['id']}/", {"baseline": 20}, format="json", **FR)
    assert response.status_code == 400
    assert response.json() == {"target": ["La cible doit être différente du point de départ."]}


def test_a_title_in_neither_language_is_refused_in_french(as_user, organizer):
    response = as_user(organizer).post(
        "/api/events/", {**EVENT, "title_fr": "", "title_en": ""}, format="json", **FR
    )
    assert response.status_code == 400
    assert response.json() == {
        "title_fr": ["Indiquez-le en français ou en anglais (au moins une langue)."]
    }
