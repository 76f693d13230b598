"""Issue 20: ``GET /api/events/{id}/datapackage.zip`` is a valid Frictionless Data Package
of the event's public data, and ``manage.py import_event`` loads it into a fresh database
with the same public content."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ateliers.models import Event, Organization
from ateliers.services.board import idea_moderate, vote_set
from projets import services
from projets.models import Project
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(organizer, org, expert):
    event = factories.make_event(
        created_by=organizer,
        title_fr="Forum « Quartier vert »",
        title_en="Green district forum",
        starts_at=timezone.now() - timedelta(days=3),
        region="Québec",
    )
    event.partners.add(factories.make_org("Ville de Québec"))
    event.sponsors.add(factories.make_org("Caisse populaire"))
    mobility = event.themes.create(name_fr="Mobilité", name_en="Mobility", position=0)
    event.themes.create(name_fr="Culture", position=1)
    event.slots.create(
        title_fr="Plénière",
        kind="plenary",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=1),
        theme=mobility,
    )
    guest = factories.make_participant(event, "Marie Tremblay")
    other = factories.make_participant(event, "Jean Roy")
    bikes = factories.post_idea(guest, "Des supports à vélos, partout", theme=mobility)
    factories.post_idea(other, 'Un marché de nuit; avec "musique"\net lanternes')
    hidden = factories.post_idea(other, "Idée retirée par la modération")
    idea_moderate(actor=organizer, idea=hidden, action="hide")
    vote_set(participant=other, idea=bikes, value=1)
    project = factories.make_project(
        actor=organizer,
        title_fr="Vélo-quartier",
        title_en="Bike district",
        source_ideas=[bikes],
        partners=[factories.make_org("Fondation verte")],
        organizations=[org],
    )
    services.milestone_create(
        actor=organizer, project=project, title="Pilote", due_on=date(2027, 1, 15), weight=3
    )
    indicator = services.indicator_create(
        actor=organizer, project=project, name="Vélos garés", unit="vélos", target=200
    )
    services.indicator_record_value(
        actor=organizer, indicator=indicator, value=40, measured_on=timezone.localdate()
    )
    factories.make_project(
        actor=organizer, title_fr="Projet confidentiel", event=event, visibility="private"
    )
    return event


def _download(event, user=None) -> bytes:
    response = token_client(user).get(f"/api/events/{event.pk}/datapackage.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def _tables(data: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        meta = json.loads(archive.read("datapackage.json"))
        return {
            r["name"]: list(
                csv.DictReader(io.StringIO(archive.read(r["path"]).decode(), newline=""))
            )
            for r in meta["resources"]
        }


def _content(data: bytes) -> dict:
    """The package with ids replaced by positions: what must survive a move."""
    tables = _tables(data)
    index = {
        name: {row["id"]: str(n) for n, row in enumerate(rows)}
        for name, rows in tables.items()
        if rows and "id" in rows[0]
    }
    refs = {"theme": "themes", "project": "projects", "indicator": "indicators"}
    out = {}
    for name, rows in tables.items():
        clean = []
        for row in rows:
            row = dict(row)
            if name not in ("backers",):
                row.pop("id", None)
            else:
                row.pop("id")
            for col, target in refs.items():
                if row.get(col):
                    row[col] = index[target][row[col]]
            if row.get("source_ideas"):
                row["source_ideas"] = ";".join(
                    index["ideas"][i] for i in row["source_ideas"].split(";")
                )
            clean.append(row)
        out[name] = clean
    return out


def test_the_package_is_valid_frictionless_and_public_only(day, tmp_path):
    from frictionless import Package, validate

    data = _download(day)  # anonymous: public data
    path = tmp_path / "event.zip"
    path.write_bytes(data)
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    from projets.datapackage import RESOURCES

    assert len(report.tasks) == len(RESOURCES)  # every CSV was checked against its schema
    assert all(task.stats["rows"] is not None for task in report.tasks)
    # The schemas are live: an idea pointing to a theme that is not there is caught.
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "data/ideas.csv":
                lines = content.split(b"\r\n")
                first = lines[1].split(b",")
                lines[1] = b",".join([first[0], b"987654", *first[2:]])
                content = b"\r\n".join(lines)
            dst.writestr(item, content)
    (tmp_path / "tampered.zip").write_bytes(tampered.getvalue())
    assert not validate(str(tmp_path / "tampered.zip")).valid
    package = Package(str(path))
    assert {r.name for r in package.resources} >= {"event", "themes", "ideas", "projects"}
    tables = _tables(data)
    flat = json.dumps(tables, ensure_ascii=False)
    # No personal data, nothing hidden, nothing private.
    for secret in ("Marie Tremblay", "Jean Roy", "Idée retirée", "Projet confidentiel", "@"):
        assert secret not in flat, secret
    assert tables["ideas"][0]["text"] == "Des supports à vélos, partout"
    assert tables["projects"][0]["partners"] == "Fondation verte"
    assert {(b["name"], b["role"]) for b in tables["backers"]} == {
        ("Ville de Québec", "partner"),
        ("Caisse populaire", "sponsor"),
    }


def test_round_trip_into_a_fresh_database(day, tmp_path, organizer):
    exported = _download(day)
    path = tmp_path / "event.zip"
    path.write_bytes(exported)
    # A fresh database: nothing of the event, its projects or organisations is left.
    Project.objects.all().delete()
    Event.objects.all().delete()
    Organization.objects.all().delete()
    out = io.StringIO()
    call_command("import_event", str(path), stdout=out)
    assert "Imported event" in out.getvalue()
    imported = Event.objects.get()
    assert imported.join_code != day.join_code
    again = _download(imported)
    assert _content(again) == _content(exported)
    # The imported project is whole: progress, indicator's current value, provenance.
    project = Project.objects.get()
    assert project.event == imported and project.progress_percent == 0
    assert project.indicators.get().current == 40
    assert project.source_ideas.get().text == "Des supports à vélos, partout"


def test_a_broken_package_writes_nothing(day, tmp_path):
    data = _download(day)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "data/milestones.csv":
                content = content.replace(b"\r\n1,", b"\r\n1,999999,", 1) + b"9,424242,x,,,1\r\n"
            dst.writestr(item, content)
    path = tmp_path / "broken.zip"
    path.write_bytes(broken.getvalue())
    before = Event.objects.count()
    with pytest.raises(CommandError):
        call_command("import_event", str(path))
    assert Event.objects.count() == before
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(CommandError):
        call_command("import_event", str(tmp_path / "junk.zip"))


def test_drafts_have_no_package(organizer):
    draft = factories.make_event(created_by=organizer, status="draft")
    assert token_client(None).get(f"/api/events/{draft.pk}/datapackage.zip").status_code == 404
