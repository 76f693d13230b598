"""Issue 20: the phase form never moves back by default; entry criteria per phase;
milestone weights, the project's progress, editable done dates and titles."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from projets import services
from projets.models import Milestone, PhaseTransition, Project
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _selected_phase(html: str) -> str | None:
    select = re.search(r'<select name="transition-phase".*?</select>', html, re.S).group(0)
    match = re.search(r'<option value="([a-z_]+)"[^>]*selected', select)
    return match.group(1) if match else None


def test_the_phase_form_defaults_to_the_next_phase(organizer):
    project = factories.make_project(actor=organizer)
    services.project_advance_phase(actor=organizer, project=project, phase="co_creation")
    html = logged_in(organizer).get(f"/projects/{project.pk}/edit/").content.decode()
    # Exploration (back) is offered but not chosen: the next step forward is.
    assert 'value="exploration"' in html
    assert _selected_phase(html) == "experimentation"


def test_going_back_from_the_page_asks_for_a_confirmation(organizer):
    project = factories.make_project(actor=organizer)
    services.project_advance_phase(actor=organizer, project=project, phase="co_creation")
    client = logged_in(organizer)
    url = f"/projects/{project.pk}/edit/"
    data = {"form": "transition", "transition-phase": "exploration", "transition-note": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'name="transition-confirm_backward"' in response.content.decode()
    project.refresh_from_db()
    assert project.phase == "co_creation"
    assert PhaseTransition.objects.filter(project=project).count() == 2
    response = client.post(url, {**data, "transition-confirm_backward": "on"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == "exploration"


def test_entry_criteria_configured_by_organizers_must_be_ticked(organizer, member, org):
    api = token_client(organizer)
    made = [
        api.post(
            "/api/phase-criteria/",
            {"phase": "co_creation", "text_fr": text, "text_en": text_en},
            format="json",
        )
        for text, text_en in (("Partenaires trouvés", "Partners found"), ("Besoin validé", ""))
    ]
    assert [r.status_code for r in made] == [201, 201]
    ids = [r.json()["id"] for r in made]
    # Only organizers configure them.
    assert (
        token_client(member)
        .post("/api/phase-criteria/", {"phase": "evaluation", "text_fr": "x"}, format="json")
        .status_code
        == 403
    )
    project = factories.make_project(actor=organizer, organizations=[org])
    move = f"/api/projects/{project.pk}/transition/"
    missing = api.post(move, {"phase": "co_creation", "criteria": ids[:1]}, format="json")
    assert missing.status_code == 400
    assert "Besoin validé" in str(missing.json())
    assert Project.objects.get().phase == "exploration"
    wrong = api.post(move, {"phase": "co_creation", "criteria": [*ids, 999]}, format="json")
    assert wrong.status_code == 400
    done = api.post(move, {"phase": "co_creation", "criteria": ids}, format="json")
    assert done.status_code == 200, done.content
    last = done.json()["transitions"][-1]
    assert [c["text_fr"] for c in last["criteria"]] == ["Partenaires trouvés", "Besoin validé"]
    # Going back needs no criteria; entering again does.
    back = api.post(move, {"phase": "exploration"}, format="json")
    assert back.status_code == 200
    again = api.post(move, {"phase": "co_creation"}, format="json")
    assert again.status_code == 400
    # An inactive criterion is not required any more.
    for pk in ids:
        assert (
            api.patch(f"/api/phase-criteria/{pk}/", {"active": False}, format="json").status_code
            == 200
        )
    assert api.post(move, {"phase": "co_creation"}, format="json").status_code == 200


def test_entry_criteria_are_ticked_on_the_page(organizer):
    criterion = services.phase_criterion_save(
        actor=organizer, phase="co_creation", text_fr="Partenaires trouvés"
    )
    project = factories.make_project(actor=organizer)
    client = logged_in(organizer)
    url = f"/projects/{project.pk}/edit/"
    html = client.get(url).content.decode()
    assert "Partenaires trouvés" in html
    data = {"form": "transition", "transition-phase": "co_creation"}
    assert client.post(url, data).status_code == 400
    response = client.post(url, {**data, "transition-criteria": [str(criterion.pk)]})
    assert response.status_code == 302
    assert Project.objects.get().phase == "co_creation"


def test_milestone_weights_make_the_project_progress(organizer):
    project = factories.make_project(actor=organizer)
    api = token_client(organizer)
    base = f"/api/projects/{project.pk}/milestones/"
    small = api.post(base, {"title": "Atelier", "due_on": "2030-01-01"}, format="json")
    big = api.post(base, {"title": "Pilote", "due_on": "2030-06-01", "weight": 3}, format="json")
    assert (small.status_code, big.status_code) == (201, 201)
    assert big.json()["weight"] == 3
    assert api.get(f"/api/projects/{project.pk}/").json()["progress"] == 0
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    done = api.patch(f"{base}{big.json()['id']}/", {"done_on": yesterday}, format="json")
    assert done.status_code == 200 and done.json()["done_on"] == yesterday
    assert api.get(f"/api/projects/{project.pk}/").json()["progress"] == 75
    listed = api.get("/api/projects/").json()["results"]
    assert listed[0]["progress"] == 75
    page = Client().get(f"/projects/{project.pk}/").content.decode()
    assert "75 %" in page
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    refused = api.patch(f"{base}{small.json()['id']}/", {"done_on": future}, format="json")
    assert refused.status_code == 400
    assert (
        api.patch(f"{base}{small.json()['id']}/", {"weight": 0}, format="json").status_code == 400
    )
    renamed = api.patch(f"{base}{small.json()['id']}/", {"title": "Atelier 2"}, format="json")
    assert renamed.json()["title"] == "Atelier 2"


def test_a_project_without_milestones_has_no_progress(organizer):
    project = factories.make_project(actor=organizer)
    assert token_client(organizer).get(f"/api/projects/{project.pk}/").json()["progress"] is None


def test_done_dates_titles_and_weights_are_edited_from_the_page(organizer):
    project = factories.make_project(actor=organizer)
    milestone = services.milestone_create(
        actor=organizer, project=project, title="Atelier", due_on=timezone.localdate()
    )
    client = logged_in(organizer)
    url = f"/projects/{project.pk}/edit/"
    day = timezone.localdate() - timedelta(days=10)
    response = client.post(
        url,
        {
            "form": "done",
            "done-milestone": milestone.pk,
            "done-done": "on",
            "done-done_on": day.isoformat(),
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == day
    response = client.post(
        url,
        {
            "form": "milestone_edit",
            "milestone_edit-milestone": milestone.pk,
            "milestone_edit-title": "Atelier de lancement",
            "milestone_edit-weight": "4",
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.title, milestone.weight, milestone.done_on) == (
        "Atelier de lancement",
        4,
        day,
    )
