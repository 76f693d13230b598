"""manage.py alert UNIT: e-mail the ADMINS that a job failed (systemd OnFailure=).

The body is read from standard input (deploy/livinglab-alert@.service pipes the unit's
last journal lines). Sent directly, not through the queue: the queue's database may be
what failed.
"""

from __future__ import annotations

import socket
import sys

from django.conf import settings
from django.core.mail import mail_admins
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "E-mail the ADMINS (environment) that UNIT failed; the body comes from stdin."

    def add_arguments(self, parser):
        parser.add_argument("unit")

    def handle(self, *args, unit: str, **options):
        if not settings.ADMINS:
            raise CommandError("ADMINS is empty: nobody to alert (set ADMINS=you@example.org)")
        body = "" if sys.stdin.isatty() else sys.stdin.read()[-20000:]
        mail_admins(f"{unit} failed on {socket.gethostname()}", body, fail_silently=False)
        if options["verbosity"]:
            self.stdout.write(f"alert sent to {len(settings.ADMINS)} admin(s)")
