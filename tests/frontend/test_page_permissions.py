"""Who may open and post each page (a matrix, as for the API), and bad form input → no 5xx."""

from __future__ import annotations

import pytest

from ateliers.models import Registration, User
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "expert", "member", "partner", "organizer"]
LOGIN = 302  # anonymous visitors are sent to the login page
ORGANIZER_ONLY = {"anonymous": LOGIN, "expert": 403, "member": 403, "partner": 403}
ACCOUNTS = {"anonymous": LOGIN, "expert": 200, "member": 200, "partner": 200, "organizer": 200}
EVERYONE = dict.fromkeys(ROLES, 200)
ORG_MANAGERS = {"anonymous": LOGIN, "expert": 403, "member": 200, "partner": 403, "organizer": 200}

GET = [
    ("/organize/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/new/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{draft}/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/edit/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/themes/new/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/themes/{theme}/edit/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/slots/new/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/slots/{slot}/edit/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/registrations/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/themes/{theme}/delete/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/{event}/slots/{slot}/delete/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/999999/", {**ORGANIZER_ONLY, "organizer": 404}),
    ("/organize/events/{event}/analytics/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/organize/events/999999/analytics/", {**ORGANIZER_ONLY, "organizer": 404}),
    ("/organizations/", EVERYONE),
    ("/organizations/{org}/", EVERYONE),
    ("/organizations/999999/", dict.fromkeys(ROLES, 404)),
    ("/organizations/new/", ACCOUNTS),
    ("/organizations/{org}/edit/", ORG_MANAGERS),
    ("/me/", ACCOUNTS),
    ("/me/expert/", ACCOUNTS),
    ("/me/preferences/", ACCOUNTS),
    # The room (issue 18): organizers appoint; the event's moderators moderate.
    ("/organize/events/{event}/moderators/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/events/{event}/moderate/", {**ORGANIZER_ONLY, "organizer": 200}),
    ("/events/{event}/polls/", {**ORGANIZER_ONLY, "organizer": 200}),
    (
        "/events/{event}/moderate/duplicates/",
        {**ORGANIZER_ONLY, "anonymous": 403, "organizer": 200},
    ),
]

# path, valid body, expected status (302 = done and redirected)
POST = [
    (
        "/organize/events/new/",
        {
            "title_fr": "Nouvel atelier",
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T12:00",
            "languages": ["fr"],
            "status": "draft",
        },
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organize/events/{event}/status/",
        {"status": "closed"},
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organize/events/{event}/themes/new/",
        {"name_fr": "T"},
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organize/events/{event}/themes/{theme}/edit/",
        {"name_en": "Theme"},
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organize/events/{event}/themes/{theme}/move/",
        {"direction": "down"},
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organize/events/{event}/themes/{theme}/delete/",
        {},
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organize/events/{event}/slots/new/",
        {
            "title_fr": "Ronde",
            "kind": "consultation",
            "starts_at": "2030-01-01T10:00",
            "ends_at": "2030-01-01T10:30",
        },
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organize/events/{event}/slots/{slot}/delete/",
        {},
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organize/events/{event}/registrations/{reg}/check-in/",
        {},
        {**ORGANIZER_ONLY, "organizer": 302},
    ),
    (
        "/organizations/new/",
        {"name": "Nouvel organisme", "languages": ["fr"]},
        {"anonymous": LOGIN, "expert": 302, "member": 302, "partner": 302, "organizer": 302},
    ),
    (
        "/organizations/{org}/edit/",
        {"name": "Centre", "languages": ["fr"], "region": "Laval"},
        {**ORG_MANAGERS, "member": 302, "organizer": 302},
    ),
    (
        "/organizations/{org}/members/",
        {"username": "newcomer"},
        {**ORG_MANAGERS, "member": 302, "organizer": 302},
    ),
    (
        "/me/preferences/",
        {"display_name": "Moi", "language": "en"},
        dict(ACCOUNTS, expert=302, member=302, partner=302, organizer=302),
    ),
]


@pytest.fixture
def world():
    users = {
        "expert": factories.make_expert("expert1"),
        "organizer": factories.make_organizer("orga"),
        "partner": factories.make_partner(factories.make_org("Fondation"), "partner1"),
    }
    org = factories.make_org("Centre")
    users["member"] = factories.make_member(org, "member1")
    factories.make_user("newcomer")
    event = factories.make_event()
    ids = {
        "event": event.pk,
        "draft": factories.make_event(status="draft").pk,
        "org": org.pk,
        "theme": event.themes.create(name_fr="A").pk,
        "slot": event.slots.create(
            title_fr="S", starts_at=event.starts_at, ends_at=event.ends_at
        ).pk,
        "reg": Registration.objects.create(
            event=event, role="organization", organization=org, user=users["member"]
        ).pk,
    }
    event.themes.create(name_fr="B")
    return users, ids


def _client(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "expected"), GET, ids=[p for p, _ in GET])
def test_get_matrix(client, world, role, path, expected):
    users, ids = world
    response = _client(client, users, role).get(path.format(**ids))
    assert response.status_code == expected[role]
    if response.status_code == LOGIN:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "body", "expected"), POST, ids=[p for p, _, _ in POST])
def test_post_matrix(client, world, role, path, body, expected):
    users, ids = world
    response = _client(client, users, role).post(path.format(**ids), body)
    assert response.status_code == expected[role], getattr(
        response.context, "get", lambda *_: None
    )("form")
    if response.status_code == LOGIN and role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


BAD = [
    "x" * 100_000,
    "-1",
    "99999999999999999999999",
    "9999-99-99T99:99",
    "2030-02-30T10:00",
    "null",
    "\x00",
    "<script>alert(1)</script>",
    ["a", "b", "c"],
    "",
]

FORM_FIELDS = {
    "/organize/events/new/": [
        "title_fr",
        "starts_at",
        "ends_at",
        "online_url",
        "languages",
        "capacity",
        "status",
    ],
    "/organize/events/{event}/edit/": ["title_en", "starts_at", "capacity", "status"],
    "/organize/events/{event}/status/": ["status"],
    "/organize/events/{event}/themes/new/": ["name_fr", "name_en", "description_fr"],
    "/organize/events/{event}/themes/{theme}/move/": ["direction"],
    "/organize/events/{event}/slots/new/": ["title_fr", "kind", "starts_at", "ends_at", "theme"],
    "/organize/events/{event}/slots/{slot}/edit/": ["starts_at", "theme"],
    "/organize/events/{event}/registrations/{reg}/check-in/": ["undo", "next"],
    "/organizations/new/": ["name", "languages", "website"],
    "/organizations/{org}/edit/": ["name", "languages", "website"],
    "/organizations/{org}/members/": ["username"],
    "/me/expert/": ["skills", "languages", "bio", "availability"],
    "/me/preferences/": ["display_name", "email", "language", "email_notifications"],
    "/events/{event}/register/": ["role", "organization"],
}


@pytest.mark.parametrize("path", list(FORM_FIELDS))
def test_bad_form_input_never_gives_a_5xx(client, world, path):
    _users, ids = world
    admin = User.objects.create_superuser("root", "root@example.org", "x-long-pass-phrase")
    client.force_login(admin)
    url = path.format(**ids)
    for field in FORM_FIELDS[path]:
        for value in BAD:
            response = client.post(url, {field: value})
            assert response.status_code < 500, (url, field, str(value)[:40])
    response = client.post(url, dict.fromkeys(FORM_FIELDS[path], BAD[0]))
    assert response.status_code < 500
    # GET the list with nonsense filters, too.
    for query in ["?role=nope&checked_in=maybe&organization=abc", "?page=-3", "?language=xx"]:
        assert (
            client.get(f"/organize/events/{ids['event']}/registrations/{query}").status_code == 200
        )
        assert client.get(f"/organizations/{query}").status_code == 200
