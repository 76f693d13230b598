"""Small builders for the common cast. They write through the services where one exists."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from ateliers.choices import EventStatus, MembershipRole
from ateliers.models import Event, ExpertProfile, Membership, Organization, Skill, User
from ateliers.services.events import generate_join_code

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def make_user(username: str | None = None, **fields) -> User:
    username = username or f"user{next(_seq)}"
    user = User(
        username=username,
        display_name=fields.pop("display_name", username.title()),
        email=fields.pop("email", f"{username}@example.org"),
        **fields,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_organizer(username: str | None = None) -> User:
    return make_user(username or f"organizer{next(_seq)}", is_organizer=True)


def make_skill(slug: str, fr: str | None = None, en: str | None = None) -> Skill:
    skill, _ = Skill.objects.get_or_create(
        slug=slug, defaults={"name_fr": fr or slug.title(), "name_en": en or slug.title()}
    )
    return skill


def make_expert(
    username: str | None = None, *, skills=("accessibility",), languages=("fr", "en")
) -> User:
    user = make_user(username or f"expert{next(_seq)}", is_expert=True)
    profile = ExpertProfile.objects.create(user=user, languages=list(languages), bio="Bio")
    profile.skills.set([make_skill(s) for s in skills])
    return user


def make_org(name: str | None = None, *, members=(), languages=("fr",)) -> Organization:
    org = Organization.objects.create(
        name=name or f"Organisation {next(_seq)}", languages=list(languages), region="Montréal"
    )
    for user in members:
        Membership.objects.create(user=user, organization=org, role=MembershipRole.ADMIN)
    return org


def make_member(org: Organization | None = None, username: str | None = None) -> User:
    user = make_user(username or f"member{next(_seq)}")
    org = org or make_org()
    Membership.objects.create(user=user, organization=org, role=MembershipRole.MEMBER)
    return user


def make_partner(org: Organization | None = None, username: str | None = None) -> User:
    user = make_user(username or f"partner{next(_seq)}", is_partner=True)
    if org is not None:
        Membership.objects.create(user=user, organization=org)
    return user


def make_event(**fields) -> Event:
    start = fields.pop("starts_at", timezone.now() + timedelta(days=7))
    defaults = {
        "title_fr": "Atelier d'essai",
        "title_en": "Test workshop",
        "starts_at": start,
        "ends_at": start + timedelta(hours=6),
        "languages": ["fr", "en"],
        "status": EventStatus.PUBLISHED,
        "venue": "Montréal",
    }
    defaults.update(fields)
    defaults.setdefault("join_code", generate_join_code())
    return Event.objects.create(**defaults)


def make_schedule(event: Event, *rounds, tables: int = 1, status: str = "published", start=None):
    """The event's consultation schedule; each round is ``(from, to)``, two timedeltas from
    ``start`` (the event's start); one round of 20 minutes without any."""
    from ateliers.models import Schedule

    start = start or event.starts_at
    return Schedule.objects.create(
        event=event,
        tables=tables,
        status=status,
        rounds=[
            {"starts_at": (start + begin).isoformat(), "ends_at": (start + end).isoformat()}
            for begin, end in rounds or [(timedelta(0), timedelta(minutes=20))]
        ],
    )


def make_meeting(schedule, *, organization=None, expert=None, round=1, table=1, fit=1, **fields):
    """A consultation in the schedule (a new organisation and expert unless given)."""
    from ateliers.models import Meeting

    return Meeting.objects.create(
        schedule=schedule,
        organization=organization or make_org(),
        expert=expert or make_expert(),
        round=round,
        table=table,
        fit=fit,
        **fields,
    )


def make_help_request(org: Organization | None = None, *, skills=("accessibility",), **fields):
    """An open help request, written directly (the services are tested on their own)."""
    from ateliers.models import HelpRequest

    request = HelpRequest.objects.create(
        organization=org or make_org(),
        title=fields.pop("title", f"Besoin {next(_seq)}"),
        description=fields.pop("description", "Notre site ne fonctionne pas."),
        language=fields.pop("language", "fr"),
        urgency=fields.pop("urgency", "normal"),
        **fields,
    )
    request.skills.set([make_skill(s) for s in skills])
    return request


def make_registration(event: Event, *, user: User, role: str, organization=None, available=()):
    """A registration written directly (organisation, expert or participant)."""
    from ateliers.models import Registration

    return Registration.objects.create(
        event=event, user=user, role=role, organization=organization, available=list(available)
    )


def make_project(*, actor: User | None = None, **fields):
    """A project opened through the service (organizer ``actor`` made when not given)."""
    from projets.services import project_create

    actor = actor or make_organizer()
    fields.setdefault("title_fr", f"Projet {next(_seq)}")
    fields.setdefault("summary_fr", "Résumé")
    return project_create(actor=actor, **fields)


def make_participant(event: Event, display_name: str = "Invitée", user: User | None = None):
    """A board guest on ``event`` (through the join service, like a real guest)."""
    from ateliers.services.board import participant_join

    return participant_join(code=event.join_code, display_name=display_name, user=user)


def post_idea(participant, text: str = "Une idée", theme=None):
    import uuid

    from ateliers.services.board import idea_post

    idea, _created = idea_post(
        participant=participant, text=text, theme=theme, client_id=uuid.uuid4()
    )
    return idea
