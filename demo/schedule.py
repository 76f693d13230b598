"""Demo data: the demo event's consultation rounds (the programme's consultation slots)
are built from the organisations' help requests and published."""

from __future__ import annotations

from ateliers.choices import RegistrationRole, SlotKind
from ateliers.models import Schedule
from ateliers.services.schedule import schedule_generate, schedule_publish


def seed_schedule(*, event, organizer, **_kwargs) -> None:
    if Schedule.objects.filter(event=event).exists():
        return
    slots = event.slots.filter(kind=SlotKind.CONSULTATION).order_by("starts_at")
    rounds = [
        {"starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat()} for s in slots
    ]
    if not rounds:
        return
    tables = max(1, event.registrations.filter(role=RegistrationRole.EXPERT).count())
    schedule = schedule_generate(actor=organizer, event=event, rounds=rounds, tables=tables)
    schedule_publish(actor=organizer, schedule=schedule, notify=False)
