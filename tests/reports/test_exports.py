"""Open-data exports: documented header, stable order, public content only, round-trips."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from ateliers.reports.exports import IDEA_COLUMNS
from ateliers.services.board import idea_moderate, vote_set
from projets import services
from projets.exports import INDICATOR_COLUMNS
from tests import factories
from tests.helpers import assert_queries, token_client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def read_csv(response) -> list[dict]:
    raw = body(response)
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    return rows


@pytest.fixture
def board(event, organizer):
    theme = event.themes.create(name_fr="Mobilité", name_en="Mobility")
    guest = factories.make_participant(event, "Camille Secret")
    top = factories.post_idea(guest, 'Vélos partagés, "gratuits"\net accessibles', theme=theme)
    factories.post_idea(guest, "Une idée sans thème")
    hidden = factories.post_idea(guest, "Idée masquée")
    idea_moderate(actor=organizer, idea=hidden, action="hide")
    vote_set(participant=guest, idea=top, value=1)
    return event


def test_ideas_csv_round_trips_with_the_documented_header(board):
    response = token_client(None).get(f"/api/events/{board.pk}/ideas/export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (f'attachment; filename="event-{board.pk}-ideas.csv"')
    rows = read_csv(response)
    assert rows[0] == IDEA_COLUMNS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["text"] for r in records] == [
        'Vélos partagés, "gratuits"\net accessibles',
        "Une idée sans thème",
    ]
    assert records[0]["theme_name_fr"] == "Mobilité"
    assert records[0]["votes"] == "1"
    assert records[0]["pinned"] == "false"
    assert records[1]["theme"] == ""
    raw = b"\n".join(",".join(r).encode() for r in rows)
    assert b"Camille" not in raw and "masquée".encode() not in raw


def test_ideas_json(board):
    data = json.loads(body(token_client(None).get(f"/api/events/{board.pk}/ideas/export.json")))
    assert [list(row) for row in data] == [IDEA_COLUMNS] * 2
    assert data[0]["votes"] == 1 and data[0]["pinned"] is False
    assert data[1]["theme"] is None


def test_ideas_of_a_draft_event_are_not_exported(db):
    draft = factories.make_event(status="draft")
    response = token_client(None).get(f"/api/events/{draft.pk}/ideas/export.csv")
    assert response.status_code == 404


@pytest.fixture
def measured(db, organizer, partner):
    public = factories.make_project(actor=organizer, title_fr="Jardins partagés")
    private = factories.make_project(
        actor=organizer,
        title_fr="Projet réservé",
        visibility="partners",
        partners=[partner.organizations.get()],
    )
    start = date.today() - timedelta(days=90)
    for project in (public, private):
        indicator = services.indicator_create(
            actor=organizer,
            project=project,
            name="Bacs installés",
            unit="bacs",
            target=Decimal("12.5"),
            baseline=Decimal(0),
        )
        for month in range(3):
            services.indicator_record_value(
                actor=organizer,
                indicator=indicator,
                value=Decimal(month * 2),
                measured_on=start + timedelta(days=30 * month),
            )
    return public, private


def test_indicators_csv_shows_public_projects_to_everyone(measured):
    public, _private = measured
    rows = read_csv(token_client(None).get("/api/projects/indicators/export.csv"))
    assert rows[0] == INDICATOR_COLUMNS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {r["project"] for r in records} == {str(public.pk)}
    assert [r["value"] for r in records] == ["0", "2", "4"]
    assert records[0]["target"] == "12.5"
    date.fromisoformat(records[0]["measured_on"])


def test_indicators_json_follows_what_the_partner_may_see(measured, partner):
    public, private = measured
    data = json.loads(body(token_client(partner).get("/api/projects/indicators/export.json")))
    assert {row["project"] for row in data} == {public.pk, private.pk}
    assert data[0]["target"] == 12.5 and data[0]["value"] == 0


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_cost_a_constant_number_of_queries(board, fmt):
    """One query for the rows whatever their number (plus the event lookup)."""
    client = token_client(None)
    url = f"/api/events/{board.pk}/ideas/export.{fmt}"
    with assert_queries(f"export event ideas.{fmt}"):
        body(client.get(url))
    guest = factories.make_participant(board, "Autre")
    for i in range(30):
        factories.post_idea(guest, f"Encore une idée {i}")
    with assert_queries(f"export event ideas.{fmt}"):
        body(client.get(url))
    with assert_queries(f"export events.{fmt}"):
        body(client.get(f"/api/events/export.{fmt}"))
