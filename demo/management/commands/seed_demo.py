"""Load the Tech Works demo event (idempotent: run it twice, get one event)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.seed import DEMO_JOIN_CODE, DEMO_ORGANIZER, seed_demo


class Command(BaseCommand):
    help = "Load the bilingual Tech Works demo event (safe to run more than once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds an event.",
        )

    def handle(self, *args, **options):
        from ateliers.models import Event

        if options["if_empty"] and Event.objects.exists():
            self.stdout.write("Database already has events; demo not loaded.")
            return
        with transaction.atomic():
            event = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo event #{event.pk} ready. Join code: {DEMO_JOIN_CODE}. "
                f"Organizer: {DEMO_ORGANIZER[0]} / {DEMO_ORGANIZER[1]}"
            )
        )
