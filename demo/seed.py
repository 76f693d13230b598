"""The Tech Works demo: a realistic bilingual event for `make run` and for the tests.

Everything a user could do is done here through the same services the pages and the API
call (Zulip's ``zilencer`` seeds its development data the same way), so the demo never
holds a row the product could not have made. Idempotent: run it twice, get one event.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ateliers.admin_access import grant_organizer_admin
from ateliers.choices import EventStatus, RegistrationRole, Role
from ateliers.models import Event, ExpertProfile, Organization, Skill, User
from ateliers.services import accounts, events, people

from .board import seed_board
from .data import (
    DEMO_JOIN_CODE,
    DEMO_ORGANIZER,
    DEMO_PASSWORD,
    EXPERTS,
    MONTREAL,
    ORG_NEEDS,
    ORGANIZATIONS,
    PROGRAMME,
    SKILLS,
    THEMES,
)
from .help import seed_help_requests
from .projects import seed_projects
from .schedule import seed_schedule

__all__ = ["DEMO_JOIN_CODE", "DEMO_ORGANIZER", "DEMO_PASSWORD", "ORG_NEEDS", "seed_demo"]


def _account(username: str, display_name: str, *, organizer: User, roles=()) -> User:
    """The demo's accounts all share ``DEMO_PASSWORD``; an organizer makes those with a
    role, the organisations' members sign themselves up."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    if roles:
        return accounts.user_create(
            actor=organizer,
            username=username,
            password=DEMO_PASSWORD,
            display_name=display_name,
            roles=roles,
        )
    return accounts.user_register(
        username=username, password=DEMO_PASSWORD, display_name=display_name
    )


def _organizer() -> User:
    """The first organizer. No service makes one (``user_create`` needs an organizer as its
    actor: ``createsuperuser`` is how a real install starts), so it is written here."""
    organizer = User.objects.filter(username=DEMO_ORGANIZER[0]).first()
    if organizer is None:
        organizer = User(
            username=DEMO_ORGANIZER[0],
            display_name="Organisatrice Tech Works",
            is_organizer=True,
            email="organisatrice@example.org",
            is_staff=True,
        )
        organizer.set_password(DEMO_ORGANIZER[1])
        organizer.save()
    grant_organizer_admin(organizer)  # the admin is usable by the demo organizer
    return organizer


def _people(organizer: User) -> tuple[dict, dict, list]:
    """Skills by slug, organisations by name (each with its member), expert users."""
    existing = {s.slug: s for s in Skill.objects.filter(slug__in=[s[0] for s in SKILLS])}
    skills = {
        slug: existing.get(slug)
        or people.skill_create(actor=organizer, slug=slug, name_fr=fr, name_en=en)
        for slug, fr, en in SKILLS
    }
    orgs = {}
    for index, (name, description, languages, region) in enumerate(ORGANIZATIONS):
        member = _account(f"membre{index + 1}", f"Membre — {name}"[:80], organizer=organizer)
        orgs[name] = Organization.objects.filter(name=name).first() or (
            people.organization_create(
                creator=member,  # its first administrator
                name=name,
                description=description,
                languages=languages,
                region=region,
            )
        )
    experts = []
    for username, display_name, languages, skill_slugs, bio in EXPERTS:
        user = _account(username, display_name, organizer=organizer, roles=[Role.EXPERT])
        if not ExpertProfile.objects.filter(user=user).exists():
            people.expert_profile_create(
                user=user, skills=skill_slugs, languages=languages, bio=bio
            )
        experts.append(user)
    _account("partenaire", "Fondation partenaire", organizer=organizer, roles=[Role.PARTNER])
    return skills, orgs, experts


def _event(organizer: User, orgs: dict, experts: list) -> Event:
    start = datetime(2026, 12, 7, 9, 0, tzinfo=MONTREAL)
    event = events.event_create(
        actor=organizer,
        title_fr="Tech Works 2026 : le numérique au service du communautaire",
        title_en="Tech Works 2026: technology for community organisations",
        description_fr=(
            "Une journée où les organismes communautaires rencontrent des organisations "
            "du numérique : conférence d'ouverture, ateliers thématiques, consultations "
            "individuelles et un mur d'idées partagé."
        ),
        description_en=(
            "A day where community organisations meet IT organisations: an opening "
            "talk, thematic workshops, one-to-one consultations and a shared wall of "
            "ideas."
        ),
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        venue="Maison du développement durable, 50 rue Sainte-Catherine Ouest, Montréal",
        region="Montréal",
        languages=["fr", "en"],
        capacity=300,
        status=EventStatus.PUBLISHED,
    )
    # No service picks a join code (``event_create`` draws one at random); the demo's is
    # fixed so that the README, ``make run`` and the tests can name it.
    Event.objects.filter(pk=event.pk).update(join_code=DEMO_JOIN_CODE)
    event.join_code = DEMO_JOIN_CODE
    for position, (fr, en) in enumerate(THEMES):
        events.theme_create(actor=organizer, event=event, name_fr=fr, name_en=en, position=position)
    for offset, minutes, fr, en, kind, room in PROGRAMME:
        events.slot_create(
            actor=organizer,
            event=event,
            title_fr=fr,
            title_en=en,
            kind=kind,
            room=room,
            starts_at=start + timedelta(minutes=offset),
            ends_at=start + timedelta(minutes=offset + minutes),
        )
    for name, org in orgs.items():
        if name in ORG_NEEDS:
            events.registration_create(
                actor=org.memberships.first().user,
                event=event,
                role=RegistrationRole.ORGANIZATION,
                organization=org,
            )
    for user in experts:
        events.registration_create(actor=user, event=event, role=RegistrationRole.EXPERT)
    return event


def seed_demo() -> Event:
    """Create (or complete) the demo; return the Tech Works event."""
    organizer = _organizer()
    skills, orgs, experts = _people(organizer)
    event = Event.objects.filter(join_code=DEMO_JOIN_CODE).first()
    if event is None:
        event = _event(organizer, orgs, experts)
    # Help requests before projects (which may name them as sources) and before the
    # schedule (which reads their skills as the organisations' needs).
    for seed in (seed_board, seed_help_requests, seed_projects, seed_schedule):
        seed(event=event, organizer=organizer, orgs=orgs, skills=skills, experts=experts)
    return event
