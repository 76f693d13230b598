"""Issue 20: milestones, journal entries and indicator names in French and English on
pages, in the API and in the PDFs; the labels that stayed English are translated."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from projets import reports, services
from tests import factories
from tests.helpers import token_client
from tests.reports import pdftext

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organizer):
    project = factories.make_project(actor=organizer, title_fr="Vélo-quartier", title_en="Bikes")
    services.milestone_create(
        actor=organizer,
        project=project,
        title="Atelier de lancement",
        title_en="Kick-off workshop",
        due_on=date(2030, 1, 1),
    )
    services.project_post_update(
        actor=organizer, project=project, text="Le pilote commence.", text_en="The pilot starts."
    )
    indicator = services.indicator_create(
        actor=organizer, project=project, name="Vélos garés", name_en="Bikes parked", target=100
    )
    services.indicator_record_value(actor=organizer, indicator=indicator, value=10)
    # A child written in French only stays French on English pages (the fallback).
    services.milestone_create(
        actor=organizer, project=project, title="Bilan", due_on=date(2030, 6, 1)
    )
    return project


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [
        ("fr", ["Atelier de lancement", "Le pilote commence.", "Vélos garés"], ["Kick-off"]),
        (
            "en",
            ["Kick-off workshop", "The pilot starts.", "Bikes parked", "Bilan"],
            ["Vélos garés"],
        ),
    ],
)
def test_pages_and_pdfs_show_the_readers_language(project, organizer, lang, shown, hidden):
    html = Client().get(f"/projects/{project.pk}/?lang={lang}").content.decode()
    text = pdftext.text(reports.project_report(project, lang=lang, reader=organizer))
    for expected in shown:
        assert expected in html, expected
        assert expected in text.replace("\n", " "), expected
    for unexpected in hidden:
        assert unexpected not in html and unexpected not in text


def test_the_api_reads_and_writes_both_languages(project, organizer):
    api = token_client(organizer)
    milestones = api.get(f"/api/projects/{project.pk}/milestones/").json()["results"]
    assert {(m["title"], m["title_en"]) for m in milestones} == {
        ("Atelier de lancement", "Kick-off workshop"),
        ("Bilan", ""),
    }
    bilan = next(m for m in milestones if m["title"] == "Bilan")
    response = api.patch(
        f"/api/projects/{project.pk}/milestones/{bilan['id']}/",
        {"title_en": "Review"},
        format="json",
    )
    assert response.json()["title_en"] == "Review"
    update = api.get(f"/api/projects/{project.pk}/updates/").json()["results"][0]
    assert update["text_en"] == "The pilot starts."
    indicator = api.get(f"/api/projects/{project.pk}/indicators/").json()["results"][0]
    assert indicator["name_en"] == "Bikes parked"


def test_labels_that_stayed_english_are_translated(project, organizer):
    client = Client()
    client.force_login(organizer)
    html = client.get(f"/projects/{project.pk}/edit/?lang=fr").content.decode()
    # The "mark done" form's fields had no label: Django showed "Milestone" and "Done".
    labels = [label.strip() for label in re.findall(r"<label[^>]*>([^<]*)", html)]
    assert "Jalon" in labels and "Fait" in labels
    assert "Milestone" not in labels and "Done" not in labels
    me = client.get("/me/?lang=fr").content.decode()
    assert "Organisateur" in me or "Organisatrice" in me
    assert ">organizer<" not in me and "organizer," not in me
