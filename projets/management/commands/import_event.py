"""``manage.py import_event FILE``: load an event's Data Package (``GET
/api/events/{id}/datapackage.zip`` of another instance) as a new event here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from projets.datapackage import PackageError, import_event_package


class Command(BaseCommand):
    help = "Load an event's Data Package (datapackage.zip) as a new event (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the datapackage.zip exported by livinglab")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, "rb") as handle:
                event = import_event_package(handle)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        except (PackageError, KeyError, ValueError, ValidationError, DatabaseError) as exc:
            raise CommandError(f"Not imported (nothing was written): {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported event {event.pk} “{event.title}” "
                f"(join code {event.join_code}, {event.ideas.count()} ideas, "
                f"{event.projects.count()} projects)."
            )
        )
