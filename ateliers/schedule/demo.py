"""Demo data: the demo event's organisations ask for help, and its consultation rounds
(the programme's consultation slots) are built and published."""

from __future__ import annotations

from ..choices import RegistrationRole, SlotKind, Urgency


def seed_schedule(*, event, organizer, orgs, skills, experts, **_kwargs) -> None:
    from ..demo import ORG_NEEDS
    from ..models import HelpRequest, Schedule
    from ..services.schedule import schedule_generate, schedule_publish

    if Schedule.objects.filter(event=event).exists():
        return
    if not HelpRequest.objects.filter(event=event).exists():
        urgencies = [Urgency.HIGH, Urgency.NORMAL, Urgency.LOW]
        for i, (name, slugs) in enumerate(sorted(ORG_NEEDS.items())):
            org = orgs.get(name)
            if org is None:
                continue
            request = HelpRequest.objects.create(
                organization=org,
                event=event,
                title=f"Consultation — {name}",
                description="",
                language=(org.languages or ["fr"])[0],
                urgency=urgencies[i % 3],
            )
            request.skills.set([skills[s] for s in slugs if s in skills])
    slots = event.slots.filter(kind=SlotKind.CONSULTATION).order_by("starts_at")
    rounds = [
        {"starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat()} for s in slots
    ]
    if not rounds:
        return
    tables = max(1, event.registrations.filter(role=RegistrationRole.EXPERT).count())
    schedule = schedule_generate(actor=organizer, event=event, rounds=rounds, tables=tables)
    schedule_publish(actor=organizer, schedule=schedule, notify=False)
