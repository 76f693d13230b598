"""manage.py backup: one checked backup of the database, then rotation."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from livinglab import backups


class Command(BaseCommand):
    help = (
        "Back up the database into --dir (pg_dump -Fc on PostgreSQL, the online backup "
        "API on SQLite), check the copy, then delete backups older than --keep-days. "
        "Exits non-zero on any failure (the systemd timer's alert)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=os.environ.get("BACKUP_DIR", "/var/backups/livinglab"),
            help="where backups go (BACKUP_DIR; default /var/backups/livinglab)",
        )
        parser.add_argument(
            "--keep-days", type=int, default=30, help="delete older backups (default 30)"
        )

    def handle(self, *args, dir: str, keep_days: int, **options):
        directory = Path(dir)
        try:
            path = backups.backup(directory)
            removed = backups.rotate(directory, keep_days=keep_days)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        if options["verbosity"]:
            size = path.stat().st_size
            self.stdout.write(f"{path} ({size} bytes); {len(removed)} old backup(s) removed")
