"""PDF reports and open-data exports: thin views around ``ateliers.reports``.

All views here are sync: under ASGI (daphne) Django runs them in a worker thread, so a
long render never blocks the event loop that serves the WebSockets. Output is streamed
(``streamed()``): a PDF is rendered into a spooled temporary file (spilling to disk past
a few MB) and sent in chunks; CSV/JSON rows are read with ``.iterator()`` and sent as they
are written.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from ateliers.i18n import current_language
from ateliers.models import Event
from ateliers.reports import badges, event, exports
from ateliers.selectors import events as event_selectors

from ..permissions import IsOrganizer

CHUNK = 64 * 1024
SPOOL = 4 * 1024 * 1024


class FileChunks:
    """Iterate a file in chunks; ``close()`` (called by Django when the response ends,
    even unread) closes the file."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        chunk = self.handle.read(CHUNK)
        if not chunk:
            self.close()
            raise StopIteration
        return chunk

    def close(self) -> None:
        self.handle.close()


class AsyncChunks:
    """Pull a sync iterator from a worker thread, so daphne streams it chunk by chunk
    instead of buffering it all (what Django does with a sync iterator under ASGI)."""

    def __init__(self, chunks: Iterator) -> None:
        self.chunks = chunks
        self._pull = sync_to_async(lambda: next(chunks, None))

    def __aiter__(self):
        return self

    async def __anext__(self):
        chunk = await self._pull()
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    def close(self) -> None:
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()


def streamed(
    request, chunks: Iterator, *, content_type: str, filename: str, attachment: bool
) -> StreamingHttpResponse:
    django_request = getattr(request, "_request", request)
    is_asgi = isinstance(django_request, ASGIRequest)
    response = StreamingHttpResponse(
        AsyncChunks(chunks) if is_asgi else chunks, content_type=content_type
    )
    if is_asgi:  # Django registers close() for sync iterators only
        response._resource_closers.append(getattr(chunks, "close", lambda: None))
    kind = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{kind}; filename="{filename}"'
    return response


def file_response(
    request,
    write: Callable[[IO[bytes]], None],
    filename: str,
    *,
    content_type: str = "application/pdf",
    attachment: bool = False,
):
    """Write a file into a spooled temporary file (memory up to SPOOL, then disk) and
    stream it in chunks."""
    handle = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 (closed by the stream)
    try:
        write(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return streamed(
        request,
        FileChunks(handle),
        content_type=content_type,
        filename=filename,
        attachment=attachment,
    )


def pdf_response(request, write: Callable[[IO[bytes]], None], filename: str):
    return file_response(request, write, filename)


def export_response(request, dataset: exports.Dataset, fmt: str):
    if fmt == "csv":
        chunks = exports.csv_chunks(dataset)
        content_type = "text/csv; charset=utf-8"
    else:
        chunks = exports.json_chunks(dataset)
        content_type = "application/json; charset=utf-8"
    return streamed(
        request,
        (c.encode("utf-8") for c in chunks),
        content_type=content_type,
        filename=f"{dataset.name}.{fmt}",
        attachment=True,
    )


def join_url(request, event_obj: Event) -> str:
    return request.build_absolute_uri(reverse("frontend:join")) + f"?code={event_obj.join_code}"


def pdf_schema(operation_id: str):
    return extend_schema(
        operation_id=operation_id, responses={(200, "application/pdf"): OpenApiTypes.BINARY}
    )


class EventPdfView(APIView):
    """Base: an event the caller may see, and organizers only (reports name people)."""

    permission_classes = [IsOrganizer]

    def get_event(self, pk: int) -> Event:
        return get_object_or_404(event_selectors.events_visible_to(self.request.user), pk=pk)


class EventReportView(EventPdfView):
    @pdf_schema("events_report_pdf")
    def get(self, request, pk: int):
        """The event report (PDF) in the reader's language."""
        obj = self.get_event(pk)
        lang = current_language()
        return pdf_response(
            request,
            lambda out: event.write_event_report(obj, out, lang=lang),
            f"event-{obj.pk}-report.pdf",
        )


class EventBadgesView(EventPdfView):
    @pdf_schema("events_badges_pdf")
    def get(self, request, pk: int):
        """Name badges on A4 sheets, each with the board's join QR code."""
        obj = self.get_event(pk)
        lang, url = current_language(), join_url(request, obj)
        return pdf_response(
            request,
            lambda out: badges.write_badges(obj, out, lang=lang, join_url=url),
            f"event-{obj.pk}-badges.pdf",
        )


class EventPosterView(EventPdfView):
    @pdf_schema("events_poster_pdf")
    def get(self, request, pk: int):
        """A poster for the venue: the QR code and the join code."""
        obj = self.get_event(pk)
        lang, url = current_language(), join_url(request, obj)
        return pdf_response(
            request,
            lambda out: badges.write_poster(obj, out, lang=lang, join_url=url),
            f"event-{obj.pk}-poster.pdf",
        )


class EventsExportView(APIView):
    """Published (and closed) events as open data."""

    permission_classes = [AllowAny]
    fmt = "csv"

    def get(self, request):
        return export_response(request, exports.events_dataset(), self.fmt)


class ProjectReportView(APIView):
    """A project's status report: anyone who may see the project, with only what they see."""

    permission_classes = [AllowAny]

    @pdf_schema("projects_report_pdf")
    def get(self, request, pk: int):
        from projets import reports as project_reports
        from projets.selectors import projects_visible_to

        project = get_object_or_404(projects_visible_to(request.user), pk=pk)
        lang, reader = current_language(), request.user
        return pdf_response(
            request,
            lambda out: project_reports.write_project_report(
                project, out, lang=lang, reader=reader
            ),
            f"project-{project.pk}-report.pdf",
        )


class IdeasExportView(APIView):
    """An event's public ideas as open data (the event must be visible to the caller)."""

    permission_classes = [AllowAny]
    fmt = "csv"

    def get(self, request, pk: int):
        obj = get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)
        return export_response(request, exports.ideas_dataset(obj), self.fmt)


class IndicatorsExportView(APIView):
    """Indicator measurements of the projects the caller may see (public ones for all)."""

    permission_classes = [AllowAny]
    fmt = "csv"

    def get(self, request):
        from projets.exports import indicators_dataset
        from projets.selectors import projects_visible_to

        dataset = indicators_dataset(projects_visible_to(request.user))
        return export_response(request, dataset, self.fmt)


CONTENT_TYPES = {"csv": "text/csv", "json": "application/json"}
# A JSON export is an array of flat objects (the same columns as the CSV).
JSON_ROWS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}


def export_view(base: type[APIView], fmt: str, operation_id: str):
    """A per-format subclass, so the schema names each file and its media type."""

    class View(base):
        @extend_schema(
            operation_id=f"{operation_id}_{fmt}",
            responses={
                (200, CONTENT_TYPES[fmt]): JSON_ROWS if fmt == "json" else OpenApiTypes.BINARY
            },
        )
        def get(self, request, *args, **kwargs):
            return super().get(request, *args, **kwargs)

    View.fmt = fmt
    View.__name__ = View.__qualname__ = f"{base.__name__}{fmt.upper()}"
    View.__doc__ = base.__doc__
    return View


EventsExportCsv = export_view(EventsExportView, "csv", "events_export")
EventsExportJson = export_view(EventsExportView, "json", "events_export")
IdeasExportCsv = export_view(IdeasExportView, "csv", "events_ideas_export")
IdeasExportJson = export_view(IdeasExportView, "json", "events_ideas_export")
IndicatorsExportCsv = export_view(IndicatorsExportView, "csv", "projects_indicators_export")
IndicatorsExportJson = export_view(IndicatorsExportView, "json", "projects_indicators_export")


_COUNT = {"type": "integer"}
STATS_SCHEMA = {
    "type": "object",
    "properties": {
        "event": _COUNT,
        "generated_at": {"type": "string", "format": "date-time"},
        "granularity": {"type": "string", "enum": ["hour", "day"]},
        "registrations": {"type": "object", "additionalProperties": _COUNT},
        "board": {"type": "object", "additionalProperties": _COUNT},
        "participation": {
            "type": "array",
            "description": "Per hour (events of up to two days) or per day.",
            "items": {
                "type": "object",
                "properties": {
                    "at": {"type": "string", "format": "date-time"},
                    "joined": _COUNT,
                    "ideas": _COUNT,
                    "votes": _COUNT,
                },
            },
        },
        "themes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "nullable": True},
                    "name_fr": {"type": "string"},
                    "name_en": {"type": "string"},
                    "ideas": _COUNT,
                    "votes": _COUNT,
                },
            },
        },
        "help_desk": {
            "type": "object",
            "properties": {
                "requests": _COUNT,
                "open": _COUNT,
                "claimed": _COUNT,
                "resolved": _COUNT,
                "experts": _COUNT,
                "median_wait_seconds": {"type": "integer", "nullable": True},
            },
        },
        "consultations": {
            "type": "object",
            "properties": {
                "planned": _COUNT,
                "held": _COUNT,
                "organizations": _COUNT,
                "experts": _COUNT,
                "by_round": {"type": "array", "items": {"type": "object"}},
            },
        },
        "projects": _COUNT,
    },
}


class EventStatsView(EventPdfView):
    """Participation and engagement figures of an event (organizers): registrations, the
    board over time, ideas and votes per theme, the help desk, the consultations held
    (rounds already started) and the projects born there."""

    @extend_schema(
        operation_id="events_stats",
        responses={200: STATS_SCHEMA, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk: int):
        from rest_framework.response import Response

        from ateliers.reports.stats import event_stats

        return Response(event_stats(self.get_event(pk)))


class EventDataPackageView(APIView):
    """The event's public data as a Frictionless Data Package (ZIP: ``datapackage.json``
    and one CSV per resource); no personal data. ``manage.py import_event FILE`` loads it
    into another instance. 404 for an event the caller may not see (drafts)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="events_datapackage_zip",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk: int):
        from projets.datapackage import write_event_package

        obj = get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)
        return file_response(
            request,
            lambda out: write_event_package(obj, out),
            f"event-{obj.pk}-datapackage.zip",
            content_type="application/zip",
            attachment=True,
        )
