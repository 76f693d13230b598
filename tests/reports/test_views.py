"""The report and export endpoints: content types, names, languages, streaming."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ateliers.reports.exports import EVENT_COLUMNS
from tests import factories
from tests.helpers import token_client
from tests.reports import pdftext


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("lang", "title", "label"),
    [("fr", "Atelier d'essai", "Atelier d'essai"), ("en", "Test workshop", "Event report")],
)
def test_event_report_in_the_readers_language(event, organizer, lang, title, label):
    response = token_client(organizer).get(f"/api/events/{event.pk}/report.pdf?lang={lang}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="event-{event.pk}-report.pdf"'
    data = body(response)
    text = pdftext.text(data)
    assert title in text and label in text
    assert pdftext.catalog_lang(data) == lang


def test_report_of_a_missing_event_is_a_json_404(organizer):
    response = token_client(organizer).get("/api/events/999999/report.pdf")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_badges_name_everyone_registered_with_the_qr_code(event, organizer):
    org = factories.make_org("Coopérative Élan")
    member = factories.make_member(org, "zoé")
    member.display_name = "Zoé Lévesque"
    member.save()
    event.registrations.create(role="organization", organization=org, user=member)
    expert = factories.make_expert("franck")
    event.registrations.create(role="expert", user=expert)
    response = token_client(organizer).get(f"/api/events/{event.pk}/badges.pdf?lang=fr")
    assert response.status_code == 200
    data = body(response)
    text = pdftext.text(data)
    assert "Zoé Lévesque" in text
    assert "Coopérative Élan" in text
    assert "Franck" in text
    assert event.join_code in text
    assert len(pdftext.read(data).pages) == 1  # 2 people and 6 blanks fill one A4 sheet


def test_badges_fill_several_sheets(event, organizer):
    for i in range(9):
        event.registrations.create(role="participant", user=factories.make_user(f"p{i}"))
    data = body(token_client(organizer).get(f"/api/events/{event.pk}/badges.pdf?lang=en"))
    text = pdftext.text(data)
    assert len(pdftext.read(data).pages) == 2
    assert all(f"P{i}" in text for i in range(9))


def test_poster_shows_the_join_code_and_url(event, organizer):
    response = token_client(organizer).get(f"/api/events/{event.pk}/poster.pdf?lang=en")
    data = body(response)
    text = pdftext.text(data)
    assert "Join the ideas board" in text
    assert event.join_code in text
    assert "http://testserver/join/" in text
    reader = pdftext.read(data)
    assert len(reader.pages) == 1
    assert "Test workshop" in reader.metadata.title


def test_qr_code_encodes_the_join_url():
    from ateliers.reports.pdf import qr_drawing

    drawing = qr_drawing("http://testserver/join/?code=ABCDEF", 100)
    assert len(drawing.contents) > 20  # the white square and the dark runs


def test_events_export_csv_round_trips(db, event):
    factories.make_event(status="draft", title_fr="Brouillon secret")
    response = token_client(None).get("/api/events/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="events.csv"'
    raw = body(response)
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == EVENT_COLUMNS
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["id"] == str(event.pk)
    assert record["title_fr"] == "Atelier d'essai"
    assert record["languages"] == "fr;en"
    assert b"Brouillon secret" not in raw


def test_events_export_json(db, event):
    response = token_client(None).get("/api/events/export.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body(response))
    assert [list(row) for row in data] == [EVENT_COLUMNS]
    assert data[0]["title_en"] == "Test workshop"
    assert data[0]["languages"] == ["fr", "en"]


@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_pdf_streams_from_an_async_iterator(settings, monkeypatch):
    """Through Django's ASGI handler (as under daphne) the body comes in several chunks."""
    from api.views import reports

    monkeypatch.setattr(reports, "CHUNK", 4096)
    from asgiref.sync import sync_to_async
    from django.test import AsyncClient

    @sync_to_async
    def setup():
        organizer = factories.make_organizer("asgi-orga")
        event = factories.make_event()
        for i in range(10):
            event.registrations.create(role="participant", user=factories.make_user(f"a{i}"))
        from rest_framework.authtoken.models import Token

        return event, Token.objects.create(user=organizer).key

    event, key = await setup()
    response = await AsyncClient().get(
        f"/api/events/{event.pk}/badges.pdf", headers={"authorization": f"Token {key}"}
    )
    assert response.status_code == 200
    assert response.is_async
    chunks = [chunk async for chunk in response.streaming_content]
    assert len(chunks) > 1
    assert b"".join(chunks).startswith(b"%PDF-")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", ["report", "badges", "poster", "project"])
def test_every_pdf_embeds_its_font_and_says_its_title_and_language(event, organizer, kind, lang):
    event.title_fr = "Journée « Été numérique » à Trois-Rivières"
    event.save()
    org = factories.make_org("Société d'entraide Œcuménique")
    event.registrations.create(role="organization", organization=org, user=organizer)
    if kind == "project":
        project = factories.make_project(actor=organizer, title_fr=event.title_fr, event=event)
        url = f"/api/projects/{project.pk}/report.pdf?lang={lang}"
    else:
        url = f"/api/events/{event.pk}/{kind}.pdf?lang={lang}"
    data = body(token_client(organizer).get(url))
    reader = pdftext.read(data)
    expected = event.title_fr if lang == "fr" else "Test workshop"
    if kind == "project":
        expected = event.title_fr  # the project has a French title only: the fallback
    assert expected in reader.metadata.title
    assert reader.metadata.author == "livinglab"
    assert reader.metadata.subject
    assert pdftext.catalog_lang(data) == lang
    fonts = pdftext.fonts(data)
    assert fonts and pdftext.embedded_fonts(data) == fonts
    text = pdftext.text(data)
    flat = " ".join(text.split())
    assert (expected[:24] if kind == "badges" else expected) in flat  # badges clip with …
    assert "\x00" not in text and "\ufffd" not in text
    if kind == "badges":
        assert "Société d'entraide Œcuménique" in text
