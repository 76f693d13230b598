"""``manage.py send_webhooks [--loop]``: send the webhook deliveries that are due.

Run it next to daphne (a systemd unit or a cron job; see docs/webhooks.md): requests only
write the outbox, this process does the network I/O, with retries and backoff.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from webhooks.services import send_due


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (once, or every few seconds with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between runs")

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            counts = send_due()
            if any(counts.values()):
                self.stdout.write(
                    f"delivered {counts['delivered']}, to retry {counts['retry']}, "
                    f"failed {counts['failed']}"
                )
            if not loop:
                return
            time.sleep(max(0.5, interval))
