"""Send the queued e-mails (ateliers/services/outbox.py): once, or as a worker with --loop."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ateliers.services import outbox


class Command(BaseCommand):
    help = (
        "Send the e-mails that are due, retrying failures with a growing delay. Without "
        "--loop it drains once (cron, a systemd timer); with --loop it is the worker "
        "(deploy/livinglab-mail.service). Exits 1 when a message was given up on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running (a service)")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="seconds between passes with --loop"
        )
        parser.add_argument(
            "--retry-failed", action="store_true", help="give failed messages new attempts"
        )

    def handle(self, *args, loop: bool, interval: float, retry_failed: bool, **options):
        if retry_failed:
            self.stdout.write(f"{outbox.retry_failed()} failed message(s) queued again.")
        stop = []
        if loop:
            signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        while True:
            if loop:  # a long-lived worker: drop connections the database closed
                close_old_connections()
            counts = outbox.drain()
            purged = outbox.purge_sent()
            if options["verbosity"] > 1 or (not loop and options["verbosity"]):
                self.stdout.write(
                    f"sent {counts['sent']}, failed {counts['failed']}, purged {purged}"
                )
            if not loop:
                given_up = outbox.OutgoingEmail.objects.filter(
                    status=outbox.OutgoingEmail.FAILED
                ).exists()
                if given_up:
                    self.stderr.write("Some e-mails were given up on: see the admin's outbox.")
                    raise SystemExit(1)
                return
            if stop:
                return
            time.sleep(interval)
            if stop:
                return
