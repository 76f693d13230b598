"""The permission matrix: every role × every endpoint of the foundation × method.

Each row is (role, method, path template, expected status). Paths use ``{event}``,
``{org}``, ``{theme}``, ``{expert}``, ``{skill}``, ``{reg}``, ``{help}`` (open), ``{held}``
(claimed by another expert) filled from fixtures; bodies
are valid so that a 201/200 proves the permission, and a 403/401 proves the refusal.
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.helpers import api_routes, finish, token_client

ROLES = ["anonymous", "participant", "expert", "member", "partner", "organizer"]

ORGANIZER_READ = {
    "anonymous": 401,
    "participant": 403,
    "expert": 403,
    "member": 403,
    "partner": 403,
    "organizer": 200,
}

READ = [
    ("GET", "/api/events/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{draft}/", {**dict.fromkeys(ROLES, 404), "organizer": 200}),
    ("GET", "/api/events/{event}/themes/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/slots/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/calendar.ics", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/calendar.ics", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/skills/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/organizations/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/organizations/{org}/", dict.fromkeys(ROLES, 200)),
    (
        "GET",
        "/api/organizations/{org}/members/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 200,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/experts/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/events/{event}/registrations/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/me/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/users/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 403,
            "partner": 403,
            "organizer": 200,
        },
    ),
    # Reports: organizers only (they name people and organisations); exports are public.
    ("GET", "/api/events/{event}/report.pdf", {**ORGANIZER_READ, "organizer": 200}),
    ("GET", "/api/events/{event}/badges.pdf", {**ORGANIZER_READ, "organizer": 200}),
    ("GET", "/api/events/{event}/poster.pdf", {**ORGANIZER_READ, "organizer": 200}),
    ("GET", "/api/events/{draft}/report.pdf", {**ORGANIZER_READ, "organizer": 200}),
    ("GET", "/api/events/export.csv", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/ideas/export.csv", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/ideas/export.json", dict.fromkeys(ROLES, 200)),
    (
        "GET",
        "/api/events/{draft}/ideas/export.csv",
        {**dict.fromkeys(ROLES, 404), "organizer": 200},
    ),
    ("GET", "/api/projects/indicators/export.csv", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/projects/indicators/export.json", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/projects/{public_project}/report.pdf", dict.fromkeys(ROLES, 200)),
    (
        "GET",
        "/api/projects/{shared_project}/report.pdf",
        {**dict.fromkeys(ROLES, 404), "partner": 200, "organizer": 200},
    ),
    ("GET", "/api/events/export.json", dict.fromkeys(ROLES, 200)),
    # help requests (issue 5): accounts read; threads only for the people involved
    (
        "GET",
        "/api/help-requests/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/help-requests/{help}/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/help-requests/{help}/suggestions/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/help-requests/{help}/history/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/help-requests/{help}/messages/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 200,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/help-requests/{held}/messages/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 200,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/experts/me/suggestions/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 403,
            "partner": 403,
            "organizer": 403,
        },
    ),
    (
        "GET",
        "/api/notifications/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    (
        "GET",
        "/api/notifications/unread-count/",
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
    ("GET", "/api/schema/", dict.fromkeys(ROLES, 200)),
    # the live board: readable by everyone who can see the event
    ("GET", "/api/events/{event}/ideas/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/ideas/?ordering=-votes&status=visible", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{draft}/ideas/", {**dict.fromkeys(ROLES, 404), "organizer": 200}),
    ("GET", "/api/ideas/{idea}/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/ideas/{hidden}/", {**dict.fromkeys(ROLES, 404), "organizer": 200}),
    ("GET", "/api/ideas/{idea}/comments/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/board/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/board/?since=0", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{draft}/board/", {**dict.fromkeys(ROLES, 404), "organizer": 200}),
    ("GET", "/healthz", dict.fromkeys(ROLES, 200)),
    # no schedule yet: accounts get 404, guests 403 (full matrix: tests/api/test_schedule_api.py)
    (
        "GET",
        "/api/events/{event}/schedule/",
        {**dict.fromkeys(ROLES, 404), "anonymous": 401, "participant": 403},
    ),
    (
        "GET",
        "/api/events/{event}/agenda/",
        {**dict.fromkeys(ROLES, 404), "anonymous": 401, "participant": 403},
    ),
]

# A board guest (role "participant", a Bearer token from /api/join/) is authenticated but
# is not an account: account-only endpoints answer it 403, like any other wrong role.
ORGANIZER_ONLY = {
    "anonymous": 401,
    "participant": 403,
    "expert": 403,
    "member": 403,
    "partner": 403,
    "organizer": None,
}

WRITE = [
    (
        "POST",
        "/api/events/",
        {
            "title_en": "New",
            "starts_at": "2030-01-01T10:00:00Z",
            "ends_at": "2030-01-01T12:00:00Z",
            "languages": ["fr"],
        },
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    ("PATCH", "/api/events/{event}/", {"venue": "Ailleurs"}, {**ORGANIZER_ONLY, "organizer": 200}),
    ("DELETE", "/api/events/{event}/", None, {**ORGANIZER_ONLY, "organizer": 204}),
    (
        "POST",
        "/api/events/{event}/themes/",
        {"name_fr": "Thème"},
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    (
        "PATCH",
        "/api/events/{event}/themes/{theme}/",
        {"name_en": "Theme"},
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
    (
        "POST",
        "/api/events/{event}/slots/",
        {
            "title_fr": "Ronde",
            "starts_at": "2030-01-01T10:00:00Z",
            "ends_at": "2030-01-01T10:30:00Z",
            "kind": "consultation",
        },
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    (
        "POST",
        "/api/skills/",
        {"slug": "new-skill", "name_fr": "Nouvelle"},
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    (
        "POST",
        "/api/users/",
        {"username": "newcolleague", "password": "a-long-pass-phrase-9", "roles": ["partner"]},
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    (
        "POST",
        "/api/organizations/",
        {"name": "Nouvel organisme", "languages": ["fr"]},
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 201,
            "member": 201,
            "partner": 201,
            "organizer": 201,
        },
    ),
    (
        "PATCH",
        "/api/organizations/{org}/",
        {"region": "Laval"},
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 200,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "DELETE",
        "/api/organizations/{org}/",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 403,
            "partner": 403,
            "organizer": 204,
        },
    ),
    (
        "POST",
        "/api/organizations/{org}/members/",
        {"user": "{newcomer}"},
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 201,
            "partner": 403,
            "organizer": 201,
        },
    ),
    (
        "PATCH",
        "/api/experts/{expert}/",
        {"bio": "Nouvelle bio"},
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 403,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "POST",
        "/api/events/{event}/registrations/",
        {"role": "participant"},
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 201,
            "member": 201,
            "partner": 201,
            "organizer": 201,
        },
    ),
    (
        "POST",
        "/api/events/{event}/registrations/{reg}/check-in/",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 403,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "POST",
        "/api/events/{event}/schedule/",
        {"rounds": [], "tables": 1},
        {**ORGANIZER_ONLY, "organizer": 400},
    ),
    ("POST", "/api/events/{event}/schedule/publish/", None, {**ORGANIZER_ONLY, "organizer": 404}),
    # help requests (issue 5)
    (
        "POST",
        "/api/help-requests/",
        {"organization": "{org}", "title": "Site web", "skills": ["accessibility"]},
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 201,
            "partner": 403,
            "organizer": 201,
        },
    ),
    (
        "PATCH",
        "/api/help-requests/{help}/",
        {"title": "Site web accessible"},
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 200,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "POST",
        "/api/help-requests/{help}/claim/",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 403,
            "partner": 403,
            "organizer": 403,
        },
    ),
    (
        "POST",
        "/api/help-requests/{held}/start/",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 403,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "POST",
        "/api/help-requests/{held}/resolve/",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 403,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "POST",
        "/api/help-requests/{held}/release/",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 403,
            "partner": 403,
            "organizer": 200,
        },
    ),
    (
        "POST",
        "/api/help-requests/{help}/messages/",
        {"text": "Bonjour"},
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 403,
            "member": 201,
            "partner": 403,
            "organizer": 201,
        },
    ),
    (
        "POST",
        "/api/notifications/read-all/",
        None,
        {
            "anonymous": 401,
            "participant": 403,
            "expert": 200,
            "member": 200,
            "partner": 200,
            "organizer": 200,
        },
    ),
]

BOARD_WRITER = {**dict.fromkeys(ROLES, 201), "anonymous": 401}

WRITE += [
    ("POST", "/api/join/", {"code": "{code}", "display_name": "Invité"}, dict.fromkeys(ROLES, 201)),
    ("POST", "/api/events/{event}/ideas/", {"text": "Une idée"}, BOARD_WRITER),
    (
        "POST",
        "/api/events/{event}/ideas/",
        {"text": "x", "theme": "{theme}"},
        BOARD_WRITER,
    ),
    (
        "PATCH",
        "/api/ideas/{idea}/",
        {"text": "Pas la mienne"},
        {**ORGANIZER_ONLY, "organizer": 403},
    ),
    ("POST", "/api/ideas/{idea}/vote/", None, {**dict.fromkeys(ROLES, 200), "anonymous": 401}),
    ("DELETE", "/api/ideas/{idea}/vote/", None, {**dict.fromkeys(ROLES, 200), "anonymous": 401}),
    ("POST", "/api/ideas/{idea}/comments/", {"text": "Oui !"}, BOARD_WRITER),
    (
        "POST",
        "/api/ideas/{idea}/moderate/",
        {"action": "pin"},
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
    (
        "POST",
        "/api/ideas/{idea}/moderate/",
        {"action": "merge", "into": "{other_idea}"},
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
]


# Projects (issue 6). {pub}, {prt}, {prv}: public, partners-only and private projects of
# the organisation "Centre" (member1's) with partner "Fondation" (partner1's).
SEES_ALL = dict.fromkeys(ROLES, 200)
SEES_PARTNERS = {**dict.fromkeys(ROLES, 404), "member": 200, "partner": 200, "organizer": 200}
SEES_PRIVATE = {**dict.fromkeys(ROLES, 404), "member": 200, "organizer": 200}
TEAM_WRITES = {
    "anonymous": 401,
    "participant": 403,
    "expert": 403,
    "member": 403,
    "partner": 403,
    "organizer": None,
}
READ += [
    ("GET", "/api/projects/", SEES_ALL),
    ("GET", "/api/projects/export.csv", SEES_ALL),
    ("GET", "/api/projects/export.json", SEES_ALL),
    ("GET", "/api/stories/", SEES_ALL),
    ("GET", "/api/projects/{pub}/", SEES_ALL),
    ("GET", "/api/projects/{prt}/", SEES_PARTNERS),
    ("GET", "/api/projects/{prv}/", SEES_PRIVATE),
]
for _child in ("updates", "indicators", "milestones"):
    READ += [
        ("GET", f"/api/projects/{{pub}}/{_child}/", SEES_ALL),
        ("GET", f"/api/projects/{{prt}}/{_child}/", SEES_PARTNERS),
        ("GET", f"/api/projects/{{prv}}/{_child}/", SEES_PRIVATE),
    ]
WRITE += [
    ("POST", "/api/projects/", {"title_fr": "Projet"}, {**ORGANIZER_ONLY, "organizer": 201}),
    ("PATCH", "/api/projects/{pub}/", {"summary_fr": "x"}, {**TEAM_WRITES, "organizer": 200}),
    ("DELETE", "/api/projects/{pub}/", None, {**ORGANIZER_ONLY, "organizer": 204}),
    (
        "POST",
        "/api/projects/{pub}/transition/",
        {"phase": "co_creation", "note": "Go"},
        {**TEAM_WRITES, "organizer": 200},
    ),
    (
        "POST",
        "/api/projects/{prv}/transition/",
        {"phase": "co_creation"},
        {**TEAM_WRITES, "expert": 404, "partner": 404, "organizer": 200},
    ),
    ("POST", "/api/projects/{pub}/updates/", {"text": "News"}, {**TEAM_WRITES, "organizer": 201}),
    (
        "POST",
        "/api/projects/{pub}/milestones/",
        {"title": "Pilote", "due_on": "2030-01-01"},
        {**TEAM_WRITES, "organizer": 201},
    ),
    (
        "POST",
        "/api/projects/{pub}/indicators/",
        {"name": "Personnes formées", "target": 50000},
        {**TEAM_WRITES, "organizer": 201},
    ),
    (
        "POST",
        "/api/projects/{pub}/follow/",
        None,
        {**dict.fromkeys(ROLES, 200), "anonymous": 401, "participant": 403},
    ),
    (
        "POST",
        "/api/projects/{prt}/follow/",
        None,
        {**SEES_PARTNERS, "anonymous": 401, "participant": 403},
    ),
]


# Rows added when the matrix became generated from the router (every route × method).
# PUT answers 400 to an organizer with a partial body: the permission passed (PATCH rows
# prove the write itself).
ACCOUNT = {**dict.fromkeys(ROLES, 200), "anonymous": 401, "participant": 403}
NOT_ACCOUNT = {"anonymous": 401, "participant": 403}
# No published schedule in this world: accounts get its 404, others are refused first.
NO_SCHEDULE = {**dict.fromkeys(ROLES, 404), "anonymous": 401, "participant": 403}
# A registration: its member and organizers; other accounts do not see it (404).
OWN_REG = {**ORGANIZER_ONLY, "expert": 404, "partner": 404}
READ += [
    ("GET", "/api/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/docs/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/agenda.ics", NO_SCHEDULE),
    ("GET", "/api/events/{event}/agenda.pdf", NO_SCHEDULE),
    (
        "GET",
        "/api/events/{event}/registrations/{reg}/",
        {**OWN_REG, "member": 200, "organizer": 200},
    ),
    ("GET", "/api/events/{event}/slots/{slot}/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{event}/themes/{theme}/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/experts/{expert}/", ACCOUNT),
    ("GET", "/api/help-requests/suggested/", {**ORGANIZER_READ, "expert": 200, "organizer": 403}),
    (
        "GET",
        "/api/notifications/{notification}/",
        {**ACCOUNT, "expert": 404, "partner": 404, "organizer": 404},
    ),
    ("GET", "/api/projects/{pub}/indicators/{indicator}/", SEES_ALL),
    ("GET", "/api/projects/{pub}/milestones/{milestone}/", SEES_ALL),
    ("GET", "/api/projects/{pub}/updates/{update}/", SEES_ALL),
    ("GET", "/api/projects/{pub}/story/", SEES_ALL),
    ("GET", "/api/projects/{pub}/team/", SEES_ALL),
    ("GET", "/api/skills/{skill}/", SEES_ALL),
    ("GET", "/api/stories/{story}/", SEES_ALL),
    ("GET", "/api/users/{user}/", ORGANIZER_READ),
    ("GET", "/api/me/export/", ACCOUNT),
    (
        "GET",
        "/api/participants/me/",
        {**dict.fromkeys(ROLES, 403), "anonymous": 401, "participant": 200},
    ),
    ("GET", "/api/me/agenda-feed/", ACCOUNT),
    ("GET", "/api/events/{event}/help-stats/", ORGANIZER_READ),
    # the secret address is the key: no session or token needed (issue 19)
    ("GET", "/api/agenda-feed/{feed}.ics", dict.fromkeys(ROLES, 200)),
]
WRITE += [
    (
        "POST",
        "/api/auth/token/",
        {"username": "orga", "password": "wrong"},
        dict.fromkeys(ROLES, 400),
    ),
    ("POST", "/api/auth/register/", {"username": "x"}, dict.fromkeys(ROLES, 400)),
    ("PATCH", "/api/me/", {"first_name": "Zoé"}, {**ACCOUNT}),
    ("DELETE", "/api/me/agenda-feed/", None, {**dict.fromkeys(ROLES, 204), **NOT_ACCOUNT}),
    # the organisation rates once resolved: its member gets 409 on this open request
    (
        "POST",
        "/api/help-requests/{help}/rating/",
        {"score": 5},
        {**dict.fromkeys(ROLES, 403), "anonymous": 401, "member": 409},
    ),
    (
        "DELETE",
        "/api/me/",
        {"password": "wrong"},
        {**dict.fromkeys(ROLES, 400), "anonymous": 401, "participant": 403},
    ),
    (
        "DELETE",
        "/api/participants/me/",
        None,
        {**dict.fromkeys(ROLES, 403), "anonymous": 401, "participant": 204},
    ),
    (
        "DELETE",
        "/api/events/{event}/registrations/{reg}/check-in/",
        None,
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
    (
        "PATCH",
        "/api/events/{event}/registrations/{reg}/",
        {"available": []},
        {**OWN_REG, "member": 200, "organizer": 200},
    ),
    (
        "DELETE",
        "/api/events/{event}/registrations/{reg}/",
        None,
        {**OWN_REG, "member": 204, "organizer": 204},
    ),
    ("POST", "/api/events/{event}/schedule/pin/", {}, {**ORGANIZER_ONLY, "organizer": 404}),
    ("POST", "/api/events/{event}/schedule/remove/", {}, {**ORGANIZER_ONLY, "organizer": 404}),
    ("POST", "/api/events/{event}/schedule/no-show/", {}, {**ORGANIZER_ONLY, "organizer": 404}),
    (
        "PATCH",
        "/api/events/{event}/slots/{slot}/",
        {"title_en": "Round 1"},
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
    ("DELETE", "/api/events/{event}/slots/{slot}/", None, {**ORGANIZER_ONLY, "organizer": 204}),
    ("DELETE", "/api/events/{event}/themes/{theme}/", None, {**ORGANIZER_ONLY, "organizer": 204}),
    (
        "POST",
        "/api/experts/",
        {"bio": "x"},
        {**dict.fromkeys(ROLES, 400), "anonymous": 401, "participant": 403},
    ),
    (
        "POST",
        "/api/notifications/{notification}/read/",
        None,
        {**ACCOUNT, "expert": 404, "partner": 404, "organizer": 404},
    ),
    ("PUT", "/api/projects/{pub}/", {"summary_fr": "x"}, {**TEAM_WRITES, "organizer": 200}),
    ("DELETE", "/api/projects/{pub}/follow/", None, ACCOUNT),
    (
        "PATCH",
        "/api/projects/{pub}/indicators/{indicator}/",
        {"unit": "pers."},
        {**TEAM_WRITES, "organizer": 200},
    ),
    (
        "DELETE",
        "/api/projects/{pub}/indicators/{indicator}/",
        None,
        {**TEAM_WRITES, "organizer": 204},
    ),
    (
        "POST",
        "/api/projects/{pub}/indicators/{indicator}/values/",
        {"value": 3, "measured_on": "2020-01-01"},
        {**TEAM_WRITES, "organizer": 201},
    ),
    (
        "PATCH",
        "/api/projects/{pub}/milestones/{milestone}/",
        {"title": "Pilote 2"},
        {**TEAM_WRITES, "organizer": 200},
    ),
    (
        "DELETE",
        "/api/projects/{pub}/milestones/{milestone}/",
        None,
        {**TEAM_WRITES, "organizer": 204},
    ),
    ("DELETE", "/api/projects/{pub}/updates/{update}/", None, {**TEAM_WRITES, "organizer": 204}),
    ("PATCH", "/api/projects/{pub}/story/", {"lessons_fr": "x"}, {**TEAM_WRITES, "organizer": 200}),
    (
        "PUT",
        "/api/projects/{pub}/story/",
        {"narrative_fr": "Récit"},
        {**TEAM_WRITES, "organizer": 200},
    ),
    (
        "POST",
        "/api/projects/{pub}/team/",
        {"user": "{user}", "role": "member"},
        {**TEAM_WRITES, "organizer": 201},
    ),
    (
        "PATCH",
        "/api/skills/{skill}/",
        {"name_en": "Facilitation"},
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
    ("DELETE", "/api/skills/{skill}/", None, {**ORGANIZER_ONLY, "organizer": 204}),
]
# The room (issue 18): organizers appoint co-moderators and facilitators per event.
WRITE += [
    # Bans: the event's moderators (here only organizers) stop a guest writing, or let it.
    (
        "POST",
        "/api/events/{event}/participants/{author}/ban/",
        {"hide_ideas": True},
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
    (
        "DELETE",
        "/api/events/{event}/participants/{author}/ban/",
        None,
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
    (
        "POST",
        "/api/events/{event}/moderators/",
        {"user": "{newcomer}"},
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    (
        "DELETE",
        "/api/events/{event}/moderators/{appointed}/",
        None,
        {**ORGANIZER_ONLY, "organizer": 204},
    ),
    # Live polls: moderators (and facilitators) run them, guests answer, everyone reads.
    (
        "POST",
        "/api/events/{event}/polls/",
        {"kind": "words", "question_fr": "Un mot ?"},
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    ("PATCH", "/api/polls/{poll}/", {"status": "closed"}, {**ORGANIZER_ONLY, "organizer": 200}),
    ("POST", "/api/polls/{poll}/answer/", {"text": "Accès"}, BOARD_WRITER),
]
READ += [
    ("GET", "/api/events/{event}/polls/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/polls/{poll}/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/polls/{poll}/results/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/polls/{draft_poll}/", {**dict.fromkeys(ROLES, 404), "organizer": 200}),
    ("GET", "/api/events/{event}/duplicates/", {**ORGANIZER_READ, "organizer": 200}),
]
# i20: entry criteria of the phases (organizers configure, everyone reads).
READ += [
    ("GET", "/api/phase-criteria/", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/phase-criteria/{criterion}/", dict.fromkeys(ROLES, 200)),
    # The funder's portfolio: any account, each gets its own projects.
    ("GET", "/api/projects/portfolio.csv", ACCOUNT),
    ("GET", "/api/projects/portfolio.pdf", ACCOUNT),
    ("GET", "/api/events/{event}/stats/", ORGANIZER_READ),
    ("GET", "/api/events/{event}/datapackage.zip", dict.fromkeys(ROLES, 200)),
    ("GET", "/api/events/{draft}/datapackage.zip", {**dict.fromkeys(ROLES, 404), "organizer": 200}),
    ("GET", "/api/webhooks/", ORGANIZER_READ),
    ("GET", "/api/webhooks/{webhook}/", ORGANIZER_READ),
    ("GET", "/api/webhooks/{webhook}/deliveries/", ORGANIZER_READ),
]
WRITE += [
    (
        "POST",
        "/api/phase-criteria/",
        {"phase": "evaluation", "text_fr": "Bilan écrit"},
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    (
        "PATCH",
        "/api/phase-criteria/{criterion}/",
        {"text_en": "Written report"},
        {**ORGANIZER_ONLY, "organizer": 200},
    ),
    ("DELETE", "/api/phase-criteria/{criterion}/", None, {**ORGANIZER_ONLY, "organizer": 204}),
    (
        "POST",
        "/api/webhooks/",
        # A public address given as an IP literal: no DNS needed, allowed by the SSRF policy.
        {"url": "http://93.184.216.34/hook", "events": ["board.*"], "secret": "x" * 20},
        {**ORGANIZER_ONLY, "organizer": 201},
    ),
    ("PATCH", "/api/webhooks/{webhook}/", {"active": False}, {**ORGANIZER_ONLY, "organizer": 200}),
    ("DELETE", "/api/webhooks/{webhook}/", None, {**ORGANIZER_ONLY, "organizer": 204}),
]
ROUTE_ONLY: list = []


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The world is built once for the module, inside a transaction that is rolled back
    at the end; each case runs in a savepoint inside it (pytest-django's ``db``), so
    whatever a case writes or deletes is undone before the next case, exactly as when the
    world was rebuilt for every case (1,100+ cases: the rebuild was most of the time)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db):
    return _module_world


def build_world():
    organizer = factories.make_organizer("orga")
    expert = factories.make_expert("expert1")
    org = factories.make_org("Centre")
    member = factories.make_member(org, "member1")
    partner = factories.make_partner(factories.make_org("Fondation"), "partner1")
    event = factories.make_event()
    draft = factories.make_event(status="draft")
    theme = event.themes.create(name_fr="Accessibilité")
    reg = event.registrations.create(role="organization", organization=org, user=member)
    newcomer = factories.make_user("newcomer")
    help_request = factories.make_help_request(org, skills=["accessibility"])
    held = factories.make_help_request(org, skills=["accessibility"])
    held.status, held.claimed_by = "claimed", factories.make_expert("claimer")
    held.save()
    projects = {
        key: factories.make_project(
            actor=organizer,
            visibility=visibility,
            organizations=[org],
            partners=[partner.organizations.get()],
        )
        for key, visibility in (("pub", "public"), ("prt", "partners"), ("prv", "private"))
    }
    public_project = factories.make_project(actor=organizer, visibility="public")
    shared_project = factories.make_project(
        actor=organizer, visibility="partners", partners=[partner.organizations.get()]
    )
    author = factories.make_participant(event, "Autrice")
    idea = factories.post_idea(author, "Des rampes d'accès")
    other_idea = factories.post_idea(author, "Rampes")
    hidden = factories.post_idea(author, "Cachée")
    from ateliers.services.board import idea_moderate

    idea_moderate(actor=organizer, idea=hidden, action="hide")
    from ateliers.services.moderators import moderator_appoint

    appointed = factories.make_user("appointed")
    moderator_appoint(actor=organizer, event=event, user=appointed)
    from ateliers.models import Poll

    poll = Poll.objects.create(event=event, kind="words", question_fr="Un mot ?", status="open")
    draft_poll = Poll.objects.create(event=event, kind="words", question_fr="Brouillon")
    pub = projects["pub"]
    from ateliers.models import AgendaFeed, Notification
    from projets.models import Indicator, Milestone, ProjectUpdate, Story

    slot = event.slots.create(
        title_fr="Ronde 1",
        starts_at=event.starts_at,
        ends_at=event.starts_at + (event.ends_at - event.starts_at) / 4,
        kind="consultation",
    )
    milestone = Milestone.objects.create(project=pub, title="Pilote", due_on="2030-01-01")
    update = ProjectUpdate.objects.create(project=pub, text="Nouvelles", author=organizer)
    indicator = Indicator.objects.create(project=pub, name="Personnes", target=10)
    Story.objects.create(project=pub, narrative_fr="Récit", published_at=event.starts_at)
    notification = Notification.objects.create(recipient=member, kind="claimed", title="Pris")
    skill = factories.make_skill("facilitation")
    from projets.models import PhaseCriterion

    # Inactive: it must not change what the transition rows expect.
    criterion = PhaseCriterion.objects.create(phase="deployment", text_fr="Budget", active=False)
    from webhooks.models import Webhook

    webhook = Webhook.objects.create(
        url="http://93.184.216.34/hook", events=["help.*"], secret="s" * 20, active=False
    )
    users = {"expert": expert, "member": member, "partner": partner, "organizer": organizer}
    ids = {
        "slot": slot.pk,
        "milestone": milestone.pk,
        "update": update.pk,
        "indicator": indicator.pk,
        "notification": notification.pk,
        "skill": skill.pk,
        "story": pub.story.pk,
        "criterion": criterion.pk,
        "webhook": webhook.pk,
        "user": newcomer.pk,
        **{key: project.pk for key, project in projects.items()},
        "event": event.pk,
        "draft": draft.pk,
        "org": org.pk,
        "theme": theme.pk,
        "expert": expert.expert_profile.pk,
        "reg": reg.pk,
        "newcomer": newcomer.pk,
        "help": help_request.pk,
        "held": held.pk,
        "public_project": public_project.pk,
        "shared_project": shared_project.pk,
        "code": event.join_code,
        "idea": idea.pk,
        "author": author.pk,
        "other_idea": other_idea.pk,
        "hidden": hidden.pk,
        "appointed": appointed.pk,
        "poll": poll.pk,
        "draft_poll": draft_poll.pk,
        "feed": AgendaFeed.objects.create(user=member).token,
    }
    return users, ids, event


def client_for(role, users, event):
    if role == "anonymous":
        return token_client(None)
    if role == "participant":
        from rest_framework.test import APIClient

        client = APIClient()
        join = client.post(
            "/api/join/", {"code": event.join_code, "display_name": "Guest"}, format="json"
        )
        if join.status_code == 201:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {join.json()['token']}")
        return client
    return token_client(users[role])


def fill(template, ids):
    return template.format(**ids)


def fill_value(value: str):
    return int(value) if value.isdigit() else value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "expected"), READ, ids=[f"{m} {p}" for m, p, _ in READ])
def test_read_matrix(world, role, method, path, expected):
    users, ids, event = world
    response = client_for(role, users, event).generic(method, fill(path, ids))
    finish(response)  # streamed files (PDFs, exports) are read to their end and closed
    assert response.status_code == expected[role], (
        b"" if response.streaming else response.content[:300]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), WRITE, ids=[f"{m} {p}" for m, p, _, _ in WRITE]
)
def test_write_matrix(world, role, method, path, body, expected):
    users, ids, event = world
    client = client_for(role, users, event)
    if body is not None:
        body = {
            k: (fill_value(fill(v, ids)) if isinstance(v, str) and v.startswith("{") else v)
            for k, v in body.items()
        }
    response = getattr(client, method.lower())(fill(path, ids), body, format="json")
    assert response.status_code == expected[role], response.content[:300]
    assert response.status_code < 500


# --- Generated from the router: every route × method must have at least one row -------
def matrix_routes():
    from django.urls import resolve

    covered = set()

    class Dummy(dict):
        def __missing__(self, key):
            return "ABCDEF" if key == "code" else "1"

    for method, path, *_ in READ + WRITE + ROUTE_ONLY:
        match = resolve(path.format_map(Dummy()).split("?")[0])
        covered.add((match.url_name, method))
    return covered


def test_every_api_route_has_a_matrix_row():
    missing = sorted(api_routes() - matrix_routes(), key=str)
    assert not missing, (
        "endpoints without a row in the permission matrix (add one to READ/WRITE):\n"
        + "\n".join(f"{method} {name}" for name, method in missing)
    )
