"""The Tech Works demo: a realistic bilingual event for `make run` and for the tests.

Everything a user could do is done here through the same services the pages and the API
call (Zulip's ``zilencer`` seeds its development data the same way), so the demo never
holds a row the product could not have made. Idempotent: run it twice, get one event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ateliers.admin_access import grant_organizer_admin
from ateliers.choices import EventStatus, RegistrationRole, Role, SlotKind
from ateliers.models import Event, ExpertProfile, Organization, Skill, User
from ateliers.services import accounts, events, people

DEMO_JOIN_CODE = "TECHWK"
DEMO_ORGANIZER = ("organisatrice", "techworks-2026")
DEMO_PASSWORD = "techworks-2026"
MONTREAL = ZoneInfo("America/Toronto")

SKILLS = [
    ("accessibility", "Accessibilité web", "Web accessibility"),
    ("wordpress", "WordPress", "WordPress"),
    ("crm", "Gestion des relations (CRM)", "CRM"),
    ("databases", "Bases de données", "Databases"),
    ("security", "Sécurité informatique", "IT security"),
    ("privacy", "Protection des renseignements personnels", "Privacy"),
    ("cloud", "Infonuagique et sauvegardes", "Cloud and backups"),
    ("free-software", "Logiciels libres", "Free software"),
    ("data-analysis", "Analyse de données", "Data analysis"),
    ("ux-design", "Design d'expérience", "UX design"),
    ("networking", "Réseaux et Wi-Fi", "Networks and Wi-Fi"),
    ("training", "Formation numérique", "Digital skills training"),
]

ORGANIZATIONS = [
    (
        "Communautique",
        "Organisme montréalais qui soutient la participation citoyenne et "
        "l'appropriation des technologies.",
        ["fr", "en"],
        "Montréal",
    ),
    (
        "Centre des femmes de Verdun",
        "Notre site web n'est pas accessible aux lectrices d'écran.",
        ["fr"],
        "Montréal",
    ),
    (
        "Banque alimentaire Rosemont",
        "Nous perdons les données de nos bénévoles dans des tableurs.",
        ["fr"],
        "Montréal",
    ),
    (
        "Coopérative d'habitation Le Rucher",
        "Quel CRM libre pour suivre nos membres ?",
        ["fr"],
        "Montréal",
    ),
    (
        "Maison des jeunes de Saint-Michel",
        "Wi-Fi instable et ordinateurs vieillissants.",
        ["fr", "en"],
        "Montréal",
    ),
    (
        "NDG Food Depot",
        "We need a simple volunteer schedule and a privacy policy.",
        ["en"],
        "Montréal",
    ),
    (
        "Literacy Quebec Network",
        "Our e-learning platform fails accessibility audits.",
        ["en", "fr"],
        "Québec",
    ),
    (
        "Accueil aux immigrants de l'Est",
        "Formations numériques pour nouveaux arrivants.",
        ["fr", "es"],
        "Montréal",
    ),
    (
        "Ressourcerie de Lachine",
        "Inventaire et ventes en ligne, données à analyser.",
        ["fr"],
        "Montréal",
    ),
    (
        "Collectif Vélo Solidaire",
        "Sauvegardes et sécurité de nos comptes partagés.",
        ["fr"],
        "Laval",
    ),
    (
        "Pilote numérique (coop)",
        "Coopérative de solidarité en services numériques.",
        ["fr", "en"],
        "Montréal",
    ),
    (
        "COCo — Commun-IT",
        "Centre for Community Organizations: tech support for groups.",
        ["en", "fr"],
        "Montréal",
    ),
]
ORG_NEEDS = {
    "Centre des femmes de Verdun": ["accessibility", "wordpress"],
    "Banque alimentaire Rosemont": ["databases", "crm", "privacy"],
    "Coopérative d'habitation Le Rucher": ["crm", "free-software"],
    "Maison des jeunes de Saint-Michel": ["networking", "security"],
    "NDG Food Depot": ["privacy", "databases"],
    "Literacy Quebec Network": ["accessibility", "ux-design"],
    "Accueil aux immigrants de l'Est": ["training"],
    "Ressourcerie de Lachine": ["data-analysis", "databases"],
    "Collectif Vélo Solidaire": ["cloud", "security"],
}

EXPERTS = [
    (
        "amelie",
        "Amélie Tremblay",
        ["fr", "en"],
        ["accessibility", "ux-design", "wordpress"],
        "Conseillère en accessibilité, WCAG et lecteurs d'écran.",
    ),
    (
        "karim",
        "Karim Benali",
        ["fr"],
        ["databases", "crm", "data-analysis"],
        "Développeur de bases de données pour OBNL.",
    ),
    (
        "sophie",
        "Sophie Lavoie",
        ["fr", "en"],
        ["security", "privacy", "cloud"],
        "Sécurité et loi 25 pour les petits organismes.",
    ),
    (
        "david",
        "David Chen",
        ["en"],
        ["free-software", "crm", "databases"],
        "CiviCRM and free-software integrator.",
    ),
    (
        "marie",
        "Marie-Ève Gagnon",
        ["fr"],
        ["training", "accessibility"],
        "Formatrice en littératie numérique.",
    ),
    (
        "luis",
        "Luis Ramírez",
        ["es", "fr", "en"],
        ["networking", "security", "training"],
        "Réseaux communautaires et Wi-Fi.",
    ),
    (
        "priya",
        "Priya Nair",
        ["en"],
        ["ux-design", "data-analysis"],
        "UX research with community groups.",
    ),
    (
        "jean",
        "Jean-François Roy",
        ["fr"],
        ["wordpress", "cloud"],
        "Hébergement et sites WordPress.",
    ),
    (
        "nadia",
        "Nadia Haddad",
        ["fr", "en", "ar"],
        ["privacy", "databases"],
        "Gouvernance des données et protection de la vie privée.",
    ),
    (
        "tom",
        "Tom O'Brien",
        ["en"],
        ["networking", "cloud", "free-software"],
        "Sysadmin for co-ops.",
    ),
]

THEMES = [
    ("Accessibilité et inclusion", "Accessibility and inclusion"),
    ("Données et vie privée", "Data and privacy"),
    ("Outils libres pour les OBNL", "Free tools for non-profits"),
    ("Compétences numériques", "Digital skills"),
]


# (minutes after the start, length, French, English, kind, room)
PROGRAMME = [
    (0, 45, "Conférence d'ouverture", "Opening talk", SlotKind.TALK, "Grande salle"),
    (60, 90, "Ateliers thématiques", "Thematic workshops", SlotKind.WORKSHOP, "Salles A–D"),
    (180, 60, "Dîner et mur d'idées", "Lunch and ideas wall", SlotKind.BREAK, "Atrium"),
    (
        240,
        30,
        "Consultations — ronde 1",
        "Consultations — round 1",
        SlotKind.CONSULTATION,
        "Atrium",
    ),
    (
        275,
        30,
        "Consultations — ronde 2",
        "Consultations — round 2",
        SlotKind.CONSULTATION,
        "Atrium",
    ),
    (
        310,
        30,
        "Consultations — ronde 3",
        "Consultations — round 3",
        SlotKind.CONSULTATION,
        "Atrium",
    ),
    (
        420,
        60,
        "Plénière et suites",
        "Plenary and next steps",
        SlotKind.TALK,
        "Grande salle",
    ),
]


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
    from .board import seed_board
    from .help import seed_help_requests
    from .projects import seed_projects
    from .schedule import seed_schedule

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
