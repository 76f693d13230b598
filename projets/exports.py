"""Open-data exports of projects and the funder's portfolio, from querysets already scoped.

Rows are ``ateliers.reports.exports.Dataset``s, so every CSV here is written by the one
CSV writer (``csv_chunks`` through ``ateliers.spreadsheet.csv_writer``: UTF-8 without BOM, RFC 4180,
text cells neutralised against CSV injection) and every JSON is an array of
objects (docs/open-data.md).
"""

from __future__ import annotations

from django.db.models import QuerySet

from ateliers.reports.exports import CHUNK_ROWS, Dataset

from .models import IndicatorValue

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

#: The portfolio adds what a funder reads (appended: the first columns stay the same).
PORTFOLIO_COLUMNS = [
    *COLUMNS,
    "theme",
    "progress",
    "late_milestones",
    "last_update_at",
    "indicators",
]


def _row(p) -> list:
    return [
        p.pk,
        p.title_fr,
        p.title_en,
        p.summary_fr,
        p.summary_en,
        p.phase,
        p.visibility,
        p.region,
        p.event_id,
        [o.name for o in p.partners.all()],
        [o.name for o in p.organizations.all()],
        p.created_at,
        p.updated_at,
    ]


def _portfolio_row(p) -> list:
    indicators = [
        f"{i.name_shown}: {i.progress_percent} %"
        if i.progress_percent is not None
        else i.name_shown
        for i in p.indicators.all()
    ]
    return [
        *_row(p),
        p.theme_id,
        p.progress_percent,
        getattr(p, "late_milestone_count", None) or 0,
        getattr(p, "last_update_at", None),
        indicators,
    ]


def projects_dataset(projects, *, fmt: str, name: str = "projects") -> Dataset:
    """The projects' documented columns; expects partners and organizations prefetched."""
    rows = (_row(p) for p in projects)
    return Dataset(name, COLUMNS, rows)


def portfolio_dataset(projects, *, fmt: str) -> Dataset:
    """The portfolio (``selectors.portfolio``): the project columns and the funder's ones."""
    rows = (_portfolio_row(p) for p in projects)
    return Dataset("portfolio", PORTFOLIO_COLUMNS, rows)


INDICATOR_COLUMNS = [
    "project",
    "project_title_fr",
    "project_title_en",
    "indicator",
    "name",
    "unit",
    "baseline",
    "target",
    "measured_on",
    "value",
]


def indicators_dataset(projects: QuerySet) -> Dataset:
    """Every measurement of the indicators of ``projects`` (a queryset already scoped)."""
    qs = (
        IndicatorValue.objects.filter(indicator__project__in=projects)
        .order_by("indicator__project_id", "indicator__position", "indicator_id", "measured_on")
        .values_list(
            "indicator__project_id",
            "indicator__project__title_fr",
            "indicator__project__title_en",
            "indicator_id",
            "indicator__name",
            "indicator__unit",
            "indicator__baseline",
            "indicator__target",
            "measured_on",
            "value",
        )
    )
    return Dataset("indicators", INDICATOR_COLUMNS, qs.iterator(chunk_size=CHUNK_ROWS))
