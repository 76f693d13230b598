"""The Tech Works demo's people, organisations and programme (``demo/seed.py`` makes them)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ateliers.choices import SlotKind

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
