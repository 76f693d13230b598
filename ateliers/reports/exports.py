"""Open data: rows with documented, stable columns (docs/open-data.md), as CSV or JSON.

A dataset is a list of column names and a generator of row tuples read with
``.iterator()``; the writers turn it into text chunks so a large export streams with
bounded memory. CSV is UTF-8 without a BOM, comma-separated, ``\\r\\n`` line ends (RFC 4180);
JSON is an array of objects whose keys are the same columns, in the same order.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet

from ..choices import EventStatus, IdeaStatus
from ..models import Event, Idea
from ..spreadsheet import csv_writer

CHUNK_ROWS = 500


@dataclass
class Dataset:
    name: str
    columns: list[str]
    rows: Iterable[tuple]


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def csv_chunks(dataset: Dataset) -> Iterator[str]:
    """The CSV text in chunks of ``CHUNK_ROWS`` rows, the header first."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)  # text cells neutralised (CSV injection)
    writer.writerow(dataset.columns)
    for count, row in enumerate(dataset.rows, start=1):
        writer.writerow(row)
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(dataset: Dataset) -> Iterator[str]:
    """A JSON array of objects, one chunk per ``CHUNK_ROWS`` rows."""
    parts = ["["]
    first = True
    for row in dataset.rows:
        record = {c: _value(v) for c, v in zip(dataset.columns, row, strict=True)}
        parts.append(("" if first else ",") + "\n" + json.dumps(record, ensure_ascii=False))
        first = False
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts)
            parts = []
    parts.append("\n]\n")
    yield "".join(parts)


# --- datasets ---------------------------------------------------------------------------

EVENT_COLUMNS = [
    "id",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "starts_at",
    "ends_at",
    "venue",
    "region",
    "online_url",
    "languages",
    "status",
    "theme_count",
]


def published_events() -> QuerySet[Event]:
    """Events the public sees: published or closed, never drafts."""
    return Event.objects.exclude(status=EventStatus.DRAFT).order_by("starts_at", "id")


def events_dataset(events: QuerySet[Event] | None = None) -> Dataset:
    from django.db.models import Count

    qs = (events if events is not None else published_events()).annotate(
        theme_count=Count("themes")
    )

    def rows():
        for e in qs.iterator(chunk_size=CHUNK_ROWS):
            yield (
                e.pk,
                e.title_fr,
                e.title_en,
                e.description_fr,
                e.description_en,
                e.starts_at,
                e.ends_at,
                e.venue,
                e.region,
                e.online_url,
                list(e.languages or []),
                e.status,
                e.theme_count,
            )

    return Dataset("events", EVENT_COLUMNS, rows())


IDEA_COLUMNS = [
    "id",
    "event",
    "theme",
    "theme_name_fr",
    "theme_name_en",
    "text",
    "votes",
    "comment_count",
    "pinned",
    "created_at",
]


def ideas_dataset(event: Event) -> Dataset:
    """The event's public ideas (visible: not hidden, not merged away), most voted first.

    No author names: guests chose a display name for the room, not for publication.
    """
    qs = (
        Idea.objects.filter(event=event, status=IdeaStatus.VISIBLE)
        .order_by("-votes", "id")
        .values_list(
            "id",
            "event_id",
            "theme_id",
            "theme__name_fr",
            "theme__name_en",
            "text",
            "votes",
            "comment_count",
            "pinned",
            "created_at",
        )
    )
    return Dataset(f"event-{event.pk}-ideas", IDEA_COLUMNS, qs.iterator(chunk_size=CHUNK_ROWS))
