"""The schedule page's organisation choices (priority, experts per meeting) and how the
pages show a multi-party meeting, through Django's test client, in French and English."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from ateliers.models import Registration
from ateliers.services import schedule as services
from tests import factories
from tests.api.test_schedule_api import rounds_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db, organizer):
    event = factories.make_event(created_by=organizer)
    member = factories.make_user()
    velo = factories.make_org("Atelier vélo", members=[member], languages=("fr",))
    factories.make_help_request(velo, skills=["wordpress"], urgency="high", event=event)
    factories.make_help_request(velo, skills=["accounting"], urgency="normal", event=event)
    factories.make_registration(event, user=member, role="organization", organization=velo)
    jardin = factories.make_org("Jardin partagé", members=[factories.make_user()])
    factories.make_registration(
        event, user=factories.make_user(), role="organization", organization=jardin
    )
    for name, skill in (("web", "wordpress"), ("compta", "accounting")):
        person = factories.make_expert(name, skills=[skill], languages=["fr"])
        factories.make_registration(event, user=person, role="expert")
    return event


def _regs(event):
    return {
        r.organization.name: r
        for r in Registration.objects.filter(event=event, role="organization")
    }


def test_organizers_set_priority_and_meeting_size_from_the_schedule_page(client, organizer, event):
    client.force_login(organizer)
    url = f"/organize/events/{event.pk}/schedule/"
    page = client.get(url).content.decode()
    regs = _regs(event)
    velo, jardin = regs["Atelier vélo"], regs["Jardin partagé"]
    assert "Organisations : priorité et experts par rencontre" in page
    assert f'<label class="visually-hidden" for="priority-{velo.pk}">' in page
    response = client.post(
        f"{url}organisations/",
        {
            f"priority-{velo.pk}": "0",
            f"experts-{velo.pk}": "2",
            f"priority-{jardin.pk}": "3",
            f"experts-{jardin.pk}": "1",
        },
        follow=True,
    )
    assert response.status_code == 200
    velo.refresh_from_db()
    jardin.refresh_from_db()
    assert (velo.priority, velo.experts_per_meeting) == (0, 2)
    assert (jardin.priority, jardin.experts_per_meeting) == (3, 1)
    assert "2 organisations" in response.content.decode()
    english = client.get(f"{url}?lang=en").content.decode()
    assert "Organisations: priority and experts per meeting" in english
    assert '<option value="3" selected>3 (highest)</option>' in english
    # one bad value: nothing is saved, and the page says why
    response = client.post(
        f"{url}organisations/?lang=en",
        {f"priority-{velo.pk}": "2", f"priority-{jardin.pk}": "9"},
        follow=True,
    )
    velo.refresh_from_db()
    assert velo.priority == 0
    assert "from 0 to 3" in response.content.decode()


def test_only_organizers_may_post_the_choices(client, event):
    velo = _regs(event)["Atelier vélo"]
    client.force_login(factories.make_user())
    response = client.post(
        f"/organize/events/{event.pk}/schedule/organisations/", {f"priority-{velo.pk}": "3"}
    )
    assert response.status_code == 403
    velo.refresh_from_db()
    assert velo.priority == 0
    assert client.get(f"/organize/events/{event.pk}/schedule/organisations/").status_code in (
        403,
        405,
    )


def test_the_board_the_sheet_and_the_agenda_name_every_expert_of_the_table(
    client, organizer, event
):
    velo = _regs(event)["Atelier vélo"]
    services.registration_consultation_options(
        actor=organizer, registration=velo, experts_per_meeting=2, priority=1
    )
    velo.max_meetings = 1
    velo.save()
    _regs(event)["Jardin partagé"].delete()
    services.schedule_generate(
        actor=organizer, event=event, rounds=rounds_for(event, n=1), tables=1
    )
    client.force_login(organizer)
    both = escape("Web et Compta")
    board = client.get(f"/organize/events/{event.pk}/schedule/").content.decode()
    assert both in board
    assert "1 rencontre réunit plusieurs experts à une table" in board
    assert "Les priorités comptent dans le score" in board
    sheet = client.get(f"/organize/events/{event.pk}/schedule/rounds/1/sign-in/").content.decode()
    assert both in sheet
    agenda = client.get(
        f"/events/{event.pk}/agenda/?organization={velo.organization_id}&lang=en"
    ).content.decode()
    assert escape("Web and Compta") in agenda
