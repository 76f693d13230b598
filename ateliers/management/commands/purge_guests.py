"""Anonymise board guests' names once the retention period is over (docs/privacy.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ateliers.services.privacy import GUEST_RETENTION_DAYS, guests_purge


class Command(BaseCommand):
    help = (
        "Give a neutral name to board guests (no account) of events that ended more than "
        f"--older-than days ago (default {GUEST_RETENTION_DAYS}). Ideas, comments and votes "
        "stay. Run it daily from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=GUEST_RETENTION_DAYS,
            metavar="DAYS",
            help=f"retention period in days after the event's end (default {GUEST_RETENTION_DAYS})",
        )

    def handle(self, *args, older_than: int, **options):
        count = guests_purge(older_than_days=older_than)
        if options["verbosity"]:
            self.stdout.write(f"{count} guest name(s) anonymised.")
