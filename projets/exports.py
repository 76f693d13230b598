"""Open-data exports of projects (CSV and JSON), from a queryset already scoped."""

from __future__ import annotations

import io
import json

from django.core.serializers.json import DjangoJSONEncoder

from ateliers.spreadsheet import csv_writer

from .models import Project

COLUMNS = [
    "id",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "phase",
    "visibility",
    "region",
    "event",
    "partners",
    "organizations",
    "created_at",
    "updated_at",
]


def project_rows(projects) -> list[dict]:
    """One flat dict per project; expects partners and organizations prefetched."""
    return [
        {
            "id": p.pk,
            "title_fr": p.title_fr,
            "title_en": p.title_en,
            "summary_fr": p.summary_fr,
            "summary_en": p.summary_en,
            "phase": p.phase,
            "visibility": p.visibility,
            "region": p.region,
            "event": p.event_id,
            "partners": [o.name for o in p.partners.all()],
            "organizations": [o.name for o in p.organizations.all()],
            "created_at": p.created_at,
            "updated_at": p.updated_at,
        }
        for p in projects
    ]


def projects_csv(projects: list[Project]) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)  # text cells neutralised (CSV injection)
    writer.writerow(COLUMNS)
    for row in project_rows(projects):
        writer.writerow([row[c] for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def projects_json(projects: list[Project]) -> bytes:
    return json.dumps(
        {"count": len(projects), "results": project_rows(projects)},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    ).encode("utf-8")
