"""Request and response examples shown in the OpenAPI schema and the interactive docs."""

from drf_spectacular.utils import OpenApiExample

TOKEN = [
    OpenApiExample(
        "Organizer logs in",
        value={"username": "organisatrice", "password": "techworks-2026"},
        request_only=True,
    ),
]

JOIN = [
    OpenApiExample(
        "Join the demo board",
        value={"code": "TECHWK", "display_name": "Zoé"},
        request_only=True,
    ),
    OpenApiExample(
        "Guest token",
        value={
            "token": "eyJwIjoxMiwiZSI6MX0:1uZ…",
            "participant": {"id": 12, "display_name": "Zoé"},
            "event": {
                "id": 1,
                "title": "Tech Works 2026",
                "join_code": "TECHWK",
                "board_locked": False,
                "status": "published",
            },
        },
        response_only=True,
        status_codes=["201"],
    ),
]

IDEA_CREATE = [
    OpenApiExample(
        "Post an idea (retry-safe)",
        value={
            "text": "Un atelier de réparation d'ordinateurs chaque mois",
            "theme": 2,
            "client_id": "6f1c1d1e-8a4b-4c1f-9a0e-2f3b4c5d6e7f",
        },
        request_only=True,
    ),
]

MODERATE = [
    OpenApiExample("Hide an idea", value={"action": "hide"}, request_only=True),
    OpenApiExample("Merge a duplicate", value={"action": "merge", "into": 41}, request_only=True),
]

HELP_REQUEST_CREATE = [
    OpenApiExample(
        "Our website is not accessible",
        value={
            "organization": 3,
            "title": "Notre site web n'est pas accessible",
            "description": "Les lectrices d'écran ne peuvent pas lire nos formulaires.",
            "skills": ["accessibility", "wordpress"],
            "language": "fr",
            "urgency": "high",
            "format": "either",
            "event": 1,
        },
        request_only=True,
    ),
]

SCHEDULE = [
    OpenApiExample(
        "Three rounds, twelve tables",
        value={
            "rounds": [
                {"starts_at": "2026-12-07T13:00:00-05:00", "ends_at": "2026-12-07T13:30:00-05:00"},
                {"starts_at": "2026-12-07T13:35:00-05:00", "ends_at": "2026-12-07T14:05:00-05:00"},
                {"starts_at": "2026-12-07T14:10:00-05:00", "ends_at": "2026-12-07T14:40:00-05:00"},
            ],
            "tables": 12,
            "max_meetings_per_organization": 2,
        },
        request_only=True,
    ),
]

TRANSITION = [
    OpenApiExample(
        "Into co-creation",
        value={"phase": "co_creation", "note": "Trois organismes et deux expertes s'engagent."},
        request_only=True,
    ),
]
