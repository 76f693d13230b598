"""An event's public data as a Frictionless Data Package, and loading one into an instance
(in ``projets``: the package holds the event's projects, and ``ateliers`` never imports
``projets``).

``write_event_package(event, out)`` writes a ZIP: ``datapackage.json`` (the descriptor,
with a Table Schema per resource, primary and foreign keys) and one CSV per resource under
``data/``, written by the one CSV writer of the open-data exports (``exports.csv_chunks``).
Only public content: the event, its themes, time slots, partners and sponsors, its visible
ideas (no author, no comment), its *public* projects with their milestones, indicators and
measurements. No personal data: no names of people, no e-mail, no account.

``import_event_package(file)`` loads such a ZIP into this instance as a new event (new
ids, a new join code) in one transaction — an event run on a laptop at the venue moves to
the co-op's server afterwards (``manage.py import_event FILE``).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ateliers.choices import EventStatus, IdeaStatus
from ateliers.models import Event, Idea, Organization, Participant, Theme, TimeSlot
from ateliers.reports.exports import Dataset, csv_chunks
from ateliers.services.events import generate_join_code

from .choices import Visibility
from .models import Indicator, IndicatorValue, Milestone, PhaseTransition, Project

PROFILE = "tabular-data-package"
IMPORT_NAME = "Import"  # the board identity imported ideas are posted under (no person)

# name → [(column, Table Schema type, description)]; the first column is the primary key.
RESOURCES: dict[str, list[tuple[str, str, str]]] = {
    "event": [
        ("id", "integer", "event id in the exporting instance"),
        ("title_fr", "string", ""),
        ("title_en", "string", ""),
        ("description_fr", "string", ""),
        ("description_en", "string", ""),
        ("starts_at", "datetime", "ISO 8601"),
        ("ends_at", "datetime", "ISO 8601"),
        ("venue", "string", ""),
        ("region", "string", ""),
        ("online_url", "string", ""),
        ("languages", "string", "languages spoken, ;-separated"),
        ("status", "string", "published or closed"),
    ],
    "themes": [
        ("id", "integer", ""),
        ("name_fr", "string", ""),
        ("name_en", "string", ""),
        ("description_fr", "string", ""),
        ("description_en", "string", ""),
        ("position", "integer", ""),
    ],
    "slots": [
        ("id", "integer", ""),
        ("title_fr", "string", ""),
        ("title_en", "string", ""),
        ("kind", "string", ""),
        ("starts_at", "datetime", ""),
        ("ends_at", "datetime", ""),
        ("room", "string", ""),
        ("theme", "integer", "themes.id"),
    ],
    "backers": [
        ("id", "integer", "organisation id in the exporting instance"),
        ("name", "string", ""),
        ("website", "string", ""),
        ("region", "string", ""),
        ("role", "string", "partner or sponsor"),
    ],
    "ideas": [
        ("id", "integer", ""),
        ("theme", "integer", "themes.id"),
        ("text", "string", ""),
        ("votes", "integer", "the tally (individual votes are not published)"),
        ("comment_count", "integer", ""),
        ("pinned", "boolean", ""),
        ("created_at", "datetime", ""),
    ],
    "projects": [
        ("id", "integer", ""),
        ("title_fr", "string", ""),
        ("title_en", "string", ""),
        ("summary_fr", "string", ""),
        ("summary_en", "string", ""),
        ("phase", "string", ""),
        ("phase_changed_at", "datetime", ""),
        ("region", "string", ""),
        ("theme", "integer", "themes.id"),
        ("partners", "string", "organisation names, ;-separated"),
        ("organizations", "string", "organisation names, ;-separated"),
        ("source_ideas", "string", "ideas.id, ;-separated"),
        ("created_at", "datetime", ""),
    ],
    "milestones": [
        ("id", "integer", ""),
        ("project", "integer", "projects.id"),
        ("title", "string", ""),
        ("due_on", "date", ""),
        ("done_on", "date", ""),
        ("weight", "integer", ""),
        ("title_en", "string", "the title in English (may be empty)"),
    ],
    "indicators": [
        ("id", "integer", ""),
        ("project", "integer", "projects.id"),
        ("name", "string", ""),
        ("unit", "string", ""),
        ("baseline", "number", ""),
        ("target", "number", ""),
        ("position", "integer", ""),
        ("name_en", "string", "the name in English (may be empty)"),
    ],
    "indicator_values": [
        ("indicator", "integer", "indicators.id"),
        ("measured_on", "date", ""),
        ("value", "number", ""),
    ],
}
FOREIGN_KEYS = {
    "slots": [("theme", "themes")],
    "ideas": [("theme", "themes")],
    "projects": [("theme", "themes")],
    "milestones": [("project", "projects")],
    "indicators": [("project", "projects")],
    "indicator_values": [("indicator", "indicators")],
}


def descriptor(event: Event) -> dict:
    resources = []
    for name, columns in RESOURCES.items():
        schema: dict = {
            "fields": [
                {"name": col, "type": kind, **({"description": desc} if desc else {})}
                for col, kind, desc in columns
            ],
            "missingValues": [""],
        }
        if name == "indicator_values":
            schema["primaryKey"] = ["indicator", "measured_on"]
        elif name == "backers":
            schema["primaryKey"] = ["id", "role"]
        else:
            schema["primaryKey"] = ["id"]
        keys = FOREIGN_KEYS.get(name)
        if keys:
            schema["foreignKeys"] = [
                {"fields": col, "reference": {"resource": target, "fields": "id"}}
                for col, target in keys
            ]
        resources.append(
            {
                "name": name,
                "path": f"data/{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "profile": PROFILE,
        "name": f"livinglab-event-{event.pk}",
        "title": event.title_fr or event.title_en,
        "description": "Public data of a livinglab event: no personal data.",
        "created": timezone.now().isoformat(),
        "licenses": [{"name": "ODC-BY-1.0", "path": "https://opendatacommons.org/licenses/by/"}],
        "resources": resources,
    }


def _public_projects(event: Event):
    return (
        Project.objects.filter(event=event, visibility=Visibility.PUBLIC)
        .prefetch_related("partners", "organizations", "source_ideas")
        .order_by("id")
    )


def _rows(event: Event) -> dict[str, list[list]]:
    visible_ideas = Idea.objects.filter(event=event, status=IdeaStatus.VISIBLE).order_by("id")
    idea_ids = set(visible_ideas.values_list("id", flat=True))
    projects = list(_public_projects(event))
    project_ids = [p.pk for p in projects]
    backers = [
        [o.pk, o.name, o.website, o.region, "partner"] for o in event.partners.order_by("name")
    ] + [[o.pk, o.name, o.website, o.region, "sponsor"] for o in event.sponsors.order_by("name")]
    return {
        "event": [
            [
                event.pk,
                event.title_fr,
                event.title_en,
                event.description_fr,
                event.description_en,
                event.starts_at,
                event.ends_at,
                event.venue,
                event.region,
                event.online_url,
                list(event.languages or []),
                event.status,
            ]
        ],
        "themes": [
            [t.pk, t.name_fr, t.name_en, t.description_fr, t.description_en, t.position]
            for t in event.themes.order_by("position", "id")
        ],
        "slots": [
            [s.pk, s.title_fr, s.title_en, s.kind, s.starts_at, s.ends_at, s.room, s.theme_id]
            for s in event.slots.order_by("starts_at", "id")
        ],
        "backers": backers,
        "ideas": [
            [i.pk, i.theme_id, i.text, i.votes, i.comment_count, i.pinned, i.created_at]
            for i in visible_ideas
        ],
        "projects": [
            [
                p.pk,
                p.title_fr,
                p.title_en,
                p.summary_fr,
                p.summary_en,
                p.phase,
                p.phase_changed_at,
                p.region,
                p.theme_id,
                [o.name for o in p.partners.all()],
                [o.name for o in p.organizations.all()],
                [i.pk for i in p.source_ideas.all() if i.pk in idea_ids],
                p.created_at,
            ]
            for p in projects
        ],
        "milestones": [
            [m.pk, m.project_id, m.title, m.due_on, m.done_on, m.weight, m.title_en]
            for m in Milestone.objects.filter(project__in=project_ids).order_by("id")
        ],
        "indicators": [
            [i.pk, i.project_id, i.name, i.unit, i.baseline, i.target, i.position, i.name_en]
            for i in Indicator.objects.filter(project__in=project_ids).order_by("id")
        ],
        "indicator_values": [
            [v.indicator_id, v.measured_on, v.value]
            for v in IndicatorValue.objects.filter(indicator__project__in=project_ids).order_by(
                "indicator_id", "measured_on"
            )
        ],
    }


def write_event_package(event: Event, out: IO[bytes]) -> None:
    """The ZIP of ``event``'s public data (the caller checked the event is visible)."""
    rows = _rows(event)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json", json.dumps(descriptor(event), ensure_ascii=False, indent=2)
        )
        for name, columns in RESOURCES.items():
            dataset = Dataset(name, [c for c, _t, _d in columns], rows[name])
            archive.writestr(f"data/{name}.csv", "".join(csv_chunks(dataset)))


# --- import ------------------------------------------------------------------------------


class PackageError(ValueError):
    """The file is not a livinglab event package (or a broken one)."""


def _read(archive: zipfile.ZipFile) -> tuple[dict, dict[str, list[dict]]]:
    try:
        meta = json.loads(archive.read("datapackage.json"))
    except (KeyError, ValueError) as exc:
        raise PackageError("datapackage.json is missing or not JSON.") from exc
    paths = {r.get("name"): r.get("path") for r in meta.get("resources", [])}
    missing = set(RESOURCES) - set(paths)
    if missing:
        raise PackageError(f"Resources missing: {', '.join(sorted(missing))}.")
    tables = {}
    for name in RESOURCES:
        try:
            text = archive.read(paths[name]).decode("utf-8")
        except (KeyError, UnicodeDecodeError) as exc:
            raise PackageError(f"{paths[name]} is missing or not UTF-8.") from exc
        tables[name] = list(csv.DictReader(io.StringIO(text, newline="")))
    if len(tables["event"]) != 1:
        raise PackageError("The event resource must have exactly one row.")
    return meta, tables


def _dt(value: str) -> datetime | None:
    return parse_datetime(value) if value else None


def _d(value: str) -> date | None:
    return parse_date(value) if value else None


def _int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def _num(value: str) -> Decimal | None:
    return Decimal(value) if value not in ("", None) else None


def _list(value: str) -> list[str]:
    return [v for v in (value or "").split(";") if v]


def _org(name: str, cache: dict, **fields) -> Organization:
    """Organisations are matched by name (the instance may already know them)."""
    if name not in cache:
        org = Organization.objects.filter(name=name).order_by("id").first()
        cache[name] = org or Organization.objects.create(name=name, **fields)
    return cache[name]


@transaction.atomic
def import_event_package(file: IO[bytes]) -> Event:
    """Load a package made by ``write_event_package`` as a new event; all or nothing."""
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as exc:
        raise PackageError("Not a ZIP file.") from exc
    with archive:
        _meta, t = _read(archive)
    row = t["event"][0]
    status = (
        row["status"]
        if row["status"] in (EventStatus.PUBLISHED, EventStatus.CLOSED)
        else (EventStatus.CLOSED)
    )
    event = Event(
        title_fr=row["title_fr"],
        title_en=row["title_en"],
        description_fr=row["description_fr"],
        description_en=row["description_en"],
        starts_at=_dt(row["starts_at"]),
        ends_at=_dt(row["ends_at"]),
        venue=row["venue"],
        region=row["region"],
        online_url=row["online_url"],
        languages=_list(row["languages"]),
        status=status,
        join_code=generate_join_code(),
    )
    try:
        event.full_clean()
    except ValidationError as exc:
        raise PackageError(f"Invalid event: {exc.messages}") from exc
    event.save()
    orgs: dict[str, Organization] = {}
    for b in t["backers"]:
        org = _org(b["name"], orgs, website=b["website"], region=b["region"])
        (event.partners if b["role"] == "partner" else event.sponsors).add(org)
    themes = {}
    for r in t["themes"]:
        themes[r["id"]] = Theme.objects.create(
            event=event,
            name_fr=r["name_fr"],
            name_en=r["name_en"],
            description_fr=r["description_fr"],
            description_en=r["description_en"],
            position=_int(r["position"]) or 0,
        )
    for r in t["slots"]:
        TimeSlot.objects.create(
            event=event,
            title_fr=r["title_fr"],
            title_en=r["title_en"],
            kind=r["kind"],
            starts_at=_dt(r["starts_at"]),
            ends_at=_dt(r["ends_at"]),
            room=r["room"],
            theme=themes.get(r["theme"]),
        )
    author = Participant.objects.create(event=event, display_name=IMPORT_NAME)
    ideas = {}
    for r in t["ideas"]:
        idea = Idea.objects.create(
            event=event,
            theme=themes.get(r["theme"]),
            author=author,
            text=r["text"],
            votes=_int(r["votes"]) or 0,
            votes_logged=_int(r["votes"]) or 0,
            comment_count=_int(r["comment_count"]) or 0,
            pinned=r["pinned"] == "true",
        )
        Idea.objects.filter(pk=idea.pk).update(created_at=_dt(r["created_at"]))
        ideas[r["id"]] = idea
    projects = {}
    for r in t["projects"]:
        project = Project.objects.create(
            event=event,
            theme=themes.get(r["theme"]),
            title_fr=r["title_fr"],
            title_en=r["title_en"],
            summary_fr=r["summary_fr"],
            summary_en=r["summary_en"],
            phase=r["phase"],
            phase_changed_at=_dt(r["phase_changed_at"]) or timezone.now(),
            region=r["region"],
            visibility="public",
        )
        project.full_clean()
        Project.objects.filter(pk=project.pk).update(created_at=_dt(r["created_at"]))
        project.partners.set([_org(n, orgs) for n in _list(r["partners"])])
        project.organizations.set([_org(n, orgs) for n in _list(r["organizations"])])
        project.source_ideas.set([ideas[i] for i in _list(r["source_ideas"]) if i in ideas])
        PhaseTransition.objects.create(
            project=project, from_phase="", to_phase=project.phase, note=IMPORT_NAME
        )
        projects[r["id"]] = project
    for r in t["milestones"]:
        Milestone.objects.create(
            project=projects[r["project"]],
            title=r["title"],
            title_en=r.get("title_en", ""),
            due_on=_d(r["due_on"]),
            done_on=_d(r["done_on"]),
            weight=_int(r["weight"]) or 1,
        )
    indicators = {}
    for r in t["indicators"]:
        indicators[r["id"]] = Indicator.objects.create(
            project=projects[r["project"]],
            name=r["name"],
            name_en=r.get("name_en", ""),
            unit=r["unit"],
            baseline=_num(r["baseline"]),
            target=_num(r["target"]),
            position=_int(r["position"]) or 0,
        )
    for r in t["indicator_values"]:
        IndicatorValue.objects.create(
            indicator=indicators[r["indicator"]],
            measured_on=_d(r["measured_on"]),
            value=_num(r["value"]),
        )
    for indicator in indicators.values():
        latest = indicator.values.order_by("-measured_on", "-id").first()
        if latest:
            Indicator.objects.filter(pk=indicator.pk).update(current=latest.value)
    return event
