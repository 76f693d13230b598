"""The Tech Works demo: a realistic bilingual event for `make run` and for the tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .choices import EventStatus, MembershipRole, RegistrationRole, SlotKind
from .models import (
    Event,
    ExpertProfile,
    Membership,
    Organization,
    Registration,
    Skill,
    Theme,
    TimeSlot,
    User,
)

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


def _user(username: str, display_name: str, **flags) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, **flags}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed_demo() -> Event:
    """Create (or complete) the demo; return the Tech Works event."""
    organizer, created = User.objects.get_or_create(
        username=DEMO_ORGANIZER[0],
        defaults={
            "display_name": "Organisatrice Tech Works",
            "is_organizer": True,
            "email": "organisatrice@example.org",
            "is_staff": True,
        },
    )
    if created:
        organizer.set_password(DEMO_ORGANIZER[1])
        organizer.save()
    from .admin_access import grant_organizer_admin

    grant_organizer_admin(organizer)  # the admin is usable by the demo organizer
    skills = {}
    for slug, fr, en in SKILLS:
        skills[slug], _ = Skill.objects.get_or_create(
            slug=slug, defaults={"name_fr": fr, "name_en": en}
        )
    orgs = {}
    for index, (name, description, languages, region) in enumerate(ORGANIZATIONS):
        org, _ = Organization.objects.get_or_create(
            name=name,
            defaults={"description": description, "languages": languages, "region": region},
        )
        orgs[name] = org
        member = _user(f"membre{index + 1}", f"Membre — {name}"[:80])
        Membership.objects.get_or_create(
            user=member, organization=org, defaults={"role": MembershipRole.ADMIN}
        )
    experts = []
    for username, display_name, languages, skill_slugs, bio in EXPERTS:
        user = _user(username, display_name, is_expert=True)
        profile, _ = ExpertProfile.objects.get_or_create(
            user=user, defaults={"languages": languages, "bio": bio}
        )
        profile.skills.set([skills[s] for s in skill_slugs])
        experts.append(user)
    _user("partenaire", "Fondation partenaire", is_partner=True)

    event = Event.objects.filter(join_code=DEMO_JOIN_CODE).first()
    if event is None:
        start = datetime(2026, 12, 7, 9, 0, tzinfo=MONTREAL)
        event = Event.objects.create(
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
            join_code=DEMO_JOIN_CODE,
            created_by=organizer,
        )
        for position, (fr, en) in enumerate(THEMES):
            Theme.objects.create(event=event, name_fr=fr, name_en=en, position=position)
        programme = [
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
        for offset, minutes, fr, en, kind, room in programme:
            TimeSlot.objects.create(
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
                Registration.objects.create(
                    event=event,
                    role=RegistrationRole.ORGANIZATION,
                    organization=org,
                    user=org.memberships.first().user,
                )
        for user in experts:
            Registration.objects.create(event=event, role=RegistrationRole.EXPERT, user=user)
    from . import demo_hooks

    for hook in demo_hooks.HOOKS:
        hook(event=event, organizer=organizer, orgs=orgs, skills=skills, experts=experts)
    return event
