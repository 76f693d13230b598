"""Issue 20: the funder's portfolio (filtered dashboard, CSV and PDF with the same
filters, a table that scrolls inside itself), partners and sponsors on events, and the
project export in the documented format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from projets import services
from tests import factories
from tests.helpers import finish, token_client
from tests.reports import pdftext

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(organizer, partner, org):
    fund = partner.organizations.get()
    spring = factories.make_event(created_by=organizer, title_fr="Printemps")
    autumn = factories.make_event(created_by=organizer, title_fr="Automne")
    garden = factories.make_project(
        actor=organizer,
        title_fr="Jardin partagé",
        event=spring,
        region="Québec",
        visibility="partners",
        partners=[fund],
    )
    bikes = factories.make_project(
        actor=organizer,
        title_fr="Vélos solidaires",
        event=autumn,
        region="Lévis",
        visibility="partners",
        partners=[fund],
    )
    services.project_advance_phase(actor=organizer, project=bikes, phase="co_creation")
    hidden = factories.make_project(
        actor=organizer, title_fr="Projet interne", event=spring, visibility="private"
    )
    return {"spring": spring, "autumn": autumn, "garden": garden, "bikes": bikes, "hidden": hidden}


def test_the_dashboard_filters_by_event_phase_and_region(partner, world):
    client = logged_in(partner)
    everything = client.get("/partners/").content.decode()
    assert "Jardin partagé" in everything and "Vélos solidaires" in everything
    assert "Projet interne" not in everything
    by_event = client.get(f"/partners/?event={world['spring'].pk}").content.decode()
    assert "Jardin partagé" in by_event and "Vélos solidaires" not in by_event
    # The export buttons carry the page's filters.
    assert f"/api/projects/portfolio.csv?event={world['spring'].pk}" in by_event
    assert f"/api/projects/portfolio.pdf?event={world['spring'].pk}" in by_event
    by_phase = client.get("/partners/?phase=co_creation").content.decode()
    assert "Vélos solidaires" in by_phase and "Jardin partagé" not in by_phase
    by_region = client.get("/partners/?region=Lévis").content.decode()
    assert "Vélos solidaires" in by_region and "Jardin partagé" not in by_region
    # The wide table scrolls inside its own region, not the whole page.
    assert '<div class="table-scroll" role="region" tabindex="0"' in everything


def test_the_portfolio_csv_honours_the_filters(partner, world):
    api = token_client(partner)
    response = api.get(f"/api/projects/portfolio.csv?event={world['autumn'].pk}")
    assert response.status_code == 200
    raw = body(response)
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert [r["title_fr"] for r in rows] == ["Vélos solidaires"]
    assert rows[0]["phase"] == "co_creation" and rows[0]["partners"] == "Fondation"
    assert rows[0]["progress"] == "" and rows[0]["late_milestones"] == "0"
    everything = list(
        csv.DictReader(io.StringIO(body(api.get("/api/projects/portfolio.csv")).decode()))
    )
    assert sorted(r["title_fr"] for r in everything) == ["Jardin partagé", "Vélos solidaires"]
    assert api.get("/api/projects/portfolio.csv?phase=nope").status_code == 400
    assert token_client(None).get("/api/projects/portfolio.csv").status_code == 401


def test_the_portfolio_pdf_is_one_file_with_every_filtered_project(partner, world):
    api = token_client(partner)
    response = api.get("/api/projects/portfolio.pdf?lang=fr")
    assert response.status_code == 200
    text = pdftext.text(body(response))
    assert "Jardin partagé" in text and "Vélos solidaires" in text
    assert "Projet interne" not in text
    filtered = api.get(f"/api/projects/portfolio.pdf?event={world['spring'].pk}")
    text = pdftext.text(body(filtered))
    assert "Jardin partagé" in text and "Vélos solidaires" not in text
    assert "Printemps" in text  # the filter is named on the cover


def test_events_show_their_partners_and_sponsors(organizer, world):
    event = world["spring"]
    event.partners.add(factories.make_org("Ville de Québec"))
    event.sponsors.add(factories.make_org("Caisse populaire"))
    page = Client().get(f"/events/{event.pk}/").content.decode()
    assert "Ville de Québec" in page and "Caisse populaire" in page


def test_the_project_export_matches_the_open_data_doc(organizer, world):
    api = token_client(organizer)
    raw = body(api.get("/api/projects/export.csv"))
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    assert raw.split(b"\r\n")[0] == (
        b"id,title_fr,title_en,summary_fr,summary_en,phase,visibility,region,event,"
        b"partners,organizations,created_at,updated_at"
    )
    data = json.loads(body(api.get("/api/projects/export.json")))
    assert isinstance(data, list) and len(data) == 3  # an array of objects
    assert data[0]["partners"] in (["Fondation"], [])
    filtered = json.loads(body(api.get(f"/api/projects/export.json?event={world['autumn'].pk}")))
    assert [p["title_fr"] for p in filtered] == ["Vélos solidaires"]
    finish(api.get("/api/projects/export.csv"))
