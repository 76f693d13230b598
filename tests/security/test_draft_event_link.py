"""Item 4: a project lead who is not an organizer could ``PATCH /api/projects/{id}/
{"event": <draft id>}``; the anonymous project page then showed the draft's title, and
200 vs 400 told which draft ids exist. A draft answers like an id that does not exist."""

from __future__ import annotations

import pytest
from django.test import Client

from ateliers.models import Event
from projets import services
from projets.models import Project
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Atelier secret en préparation"


@pytest.fixture
def setup(organizer):
    lead = factories.make_user("cheffe")
    project = factories.make_project(actor=organizer, team=[(lead, "lead")])
    draft = factories.make_event(created_by=organizer, title_fr=DRAFT_TITLE, status="draft")
    return project, lead, draft


def test_a_lead_cannot_attach_a_draft_event_and_learns_nothing(setup):
    project, lead, draft = setup
    client = token_client(lead)
    url = f"/api/projects/{project.pk}/"
    missing = Event.objects.order_by("-pk").first().pk + 1000
    to_draft = client.patch(url, {"event": draft.pk}, format="json")
    to_nothing = client.patch(url, {"event": missing}, format="json")
    assert to_draft.status_code == to_nothing.status_code == 400
    # the same message but for the id itself: nothing tells a draft from nothing
    assert to_draft.json()["event"][0].replace(str(draft.pk), "N") == to_nothing.json()["event"][
        0
    ].replace(str(missing), "N")
    project.refresh_from_db()
    assert project.event_id is None
    page = Client().get(f"/projects/{project.pk}/").content.decode()
    assert DRAFT_TITLE not in page


def test_nor_a_theme_or_an_idea_of_a_draft(setup):
    project, lead, draft = setup
    theme = draft.themes.create(name_fr="Thème du brouillon")
    client = token_client(lead)
    url = f"/api/projects/{project.pk}/"
    assert client.patch(url, {"theme": theme.pk}, format="json").status_code == 400
    draft.status = "published"
    draft.save()
    idea = factories.post_idea(factories.make_participant(draft), "Une idée")
    draft.status = "draft"
    draft.save()
    assert client.patch(url, {"source_ideas": [idea.pk]}, format="json").status_code == 400
    assert not project.source_ideas.exists()


def test_the_service_refuses_it_too_whatever_the_entry_point(setup):
    from django.core.exceptions import ValidationError

    project, lead, draft = setup
    with pytest.raises(ValidationError) as refused:
        services.project_update(actor=lead, project=project, event=draft)
    assert "event" in refused.value.message_dict
    assert Project.objects.get(pk=project.pk).event_id is None


def test_organizers_still_link_drafts_and_the_public_page_hides_the_title(setup, organizer):
    project, lead, draft = setup
    response = token_client(organizer).patch(
        f"/api/projects/{project.pk}/", {"event": draft.pk}, format="json"
    )
    assert response.status_code == 200
    assert DRAFT_TITLE not in Client().get(f"/projects/{project.pk}/").content.decode()
    staff = Client()
    staff.force_login(organizer)
    assert DRAFT_TITLE in staff.get(f"/projects/{project.pk}/").content.decode()
    # the lead may still edit the text of a project an organizer linked to a draft
    assert (
        token_client(lead)
        .patch(f"/api/projects/{project.pk}/", {"summary_fr": "Nouveau"}, format="json")
        .status_code
        == 200
    )
    # and published events are linked as before
    draft.status = "published"
    draft.save()
    other = factories.make_event(title_fr="Atelier public")
    response = token_client(lead).patch(
        f"/api/projects/{project.pk}/", {"event": other.pk}, format="json"
    )
    assert response.status_code == 200
    assert "Atelier public" in Client().get(f"/projects/{project.pk}/").content.decode()
