"""Escalate help requests nobody claims (issue 19); run every minute by a timer."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from ateliers.services.help import help_requests_escalate


class Command(BaseCommand):
    help = (
        "Tell more people about open requests nobody claims: the suggested experts when an "
        "offer ends, every matching expert after HELP_ESCALATION_MINUTES[0], the organizers "
        "after [1]. Safe to run often and from several timers at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO 8601 moment to act as (tests, catch-up)")

    def handle(self, *args, now=None, **options):
        moment = None
        if now:
            moment = parse_datetime(now)
            if moment is None:
                raise CommandError("--now takes an ISO 8601 date and time.")
        steps = help_requests_escalate(now=moment)
        self.stdout.write(f"{steps} escalation step(s).")
