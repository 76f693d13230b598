"""manage.py restore FILE: put a backup made by manage.py backup back in place."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from livinglab import backups


class Command(BaseCommand):
    help = (
        "Replace the database's content with FILE (a .dump on PostgreSQL, a .sqlite3 on "
        "SQLite). Stop the livinglab services first; run migrate afterwards if the backup "
        "is older than the code."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, file: str, interactive: bool, **options):
        path = Path(file)
        if interactive:
            answer = input(f"Replace everything in the database with {path}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        try:
            backups.restore(path)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        if options["verbosity"]:
            self.stdout.write(f"restored {path}")
