"""The project status report: what the data says, and only what the reader may see."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from projets import services
from tests import factories
from tests.helpers import token_client
from tests.reports import pdftext


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def project(db, organizer, partner):
    fondation = partner.organizations.get()
    project = factories.make_project(
        actor=organizer,
        title_fr="Réseau d'entraide numérique",
        title_en="Digital mutual-aid network",
        summary_fr="Des bénévoles aident les organismes à réparer leurs sites.",
        summary_en="Volunteers help community groups fix their websites.",
        visibility="partners",
        partners=[fondation],
        organizations=[factories.make_org("Maison des jeunes")],
    )
    services.project_advance_phase(
        actor=organizer, project=project, phase="co_creation", note="Atelier de co-design"
    )
    services.milestone_create(
        actor=organizer, project=project, title="Prototype prêt", due_on=date(2030, 3, 1)
    )
    indicator = services.indicator_create(
        actor=organizer,
        project=project,
        name="Organismes accompagnés",
        target=Decimal(40),
        unit="organismes",
        baseline=Decimal(0),
    )
    start = date.today() - timedelta(days=400)
    for month in range(12):
        services.indicator_record_value(
            actor=organizer,
            indicator=indicator,
            value=Decimal(2 * month + 2),
            measured_on=start + timedelta(days=30 * month),
        )
    services.project_post_update(
        actor=organizer, project=project, text="Première cohorte terminée : 12 organismes."
    )
    return project


def test_partner_reads_its_project_in_french(project, partner):
    response = token_client(partner).get(f"/api/projects/{project.pk}/report.pdf?lang=fr")
    assert response.status_code == 200
    data = body(response)
    text = pdftext.text(data)
    assert "Réseau d'entraide numérique" in text
    assert "Des bénévoles aident les organismes" in text
    assert "Prototype prêt" in text
    assert "Organismes accompagnés" in text
    assert "60 %" in text  # the latest value, 24 of 40 organisations
    assert "24 organismes" in text and "40 organismes" in text
    assert "Première cohorte terminée : 12 organismes." in text
    assert "Atelier de co-design" in text
    assert "Fondation" in text and "Maison des jeunes" in text
    assert pdftext.catalog_lang(data) == "fr"
    assert "Réseau d'entraide numérique" in pdftext.read(data).metadata.title


def test_english_report(project, partner):
    data = body(token_client(partner).get(f"/api/projects/{project.pk}/report.pdf?lang=en"))
    text = pdftext.text(data)
    assert "Digital mutual-aid network" in text
    assert "Project status report" in text
    assert "Phase timeline" in text and "Milestones" in text and "Indicators" in text
    assert pdftext.catalog_lang(data) == "en"


def test_a_partner_never_sees_another_partners_private_project(project, organizer, partner):
    other = factories.make_org("Autre fondation")
    hidden = factories.make_project(
        actor=organizer,
        title_fr="Projet confidentiel de l'autre",
        visibility="partners",
        partners=[other],
    )
    private = factories.make_project(
        actor=organizer,
        title_fr="Projet privé secret",
        visibility="private",
        partners=[partner.organizations.get()],
    )
    client = token_client(partner)
    assert client.get(f"/api/projects/{hidden.pk}/report.pdf").status_code == 404
    assert client.get(f"/api/projects/{private.pk}/report.pdf").status_code == 404
    text = pdftext.text(body(client.get(f"/api/projects/{project.pk}/report.pdf")))
    assert "confidentiel" not in text and "secret" not in text


def test_the_story_appears_once_published(project, organizer, partner):
    services.story_save(
        actor=organizer, project=project, narrative_fr="Il était une fois un réseau."
    )
    client = token_client(partner)
    assert "Il était une fois" not in pdftext.text(
        body(client.get(f"/api/projects/{project.pk}/report.pdf"))
    )
    services.story_save(actor=organizer, project=project, publish=True)
    assert "Il était une fois" in pdftext.text(
        body(client.get(f"/api/projects/{project.pk}/report.pdf"))
    )


def test_anonymous_reads_public_projects_only(project, organizer):
    public = factories.make_project(actor=organizer, title_fr="Projet public")
    client = token_client(None)
    assert client.get(f"/api/projects/{project.pk}/report.pdf").status_code == 404
    response = client.get(f"/api/projects/{public.pk}/report.pdf")
    assert response.status_code == 200
    assert "Projet public" in pdftext.text(body(response))
