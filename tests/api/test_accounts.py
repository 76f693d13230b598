"""Accounts: sign-up, tokens, roles, and organizer-made accounts."""

from __future__ import annotations

import pytest

from ateliers.models import User
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


def test_register_then_token_then_me(api):
    response = api.post(
        "/api/auth/register/",
        {
            "username": "nouvelle",
            "password": "a-long-pass-phrase-9",
            "email": "n@example.org",
            "display_name": "Nouvelle",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["token"]
    assert body["user"]["roles"] == []
    token = api.post(
        "/api/auth/token/", {"username": "nouvelle", "password": "a-long-pass-phrase-9"}
    )
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    me = api.get("/api/me/").json()
    assert (me["username"], me["display_name"], me["roles"]) == ("nouvelle", "Nouvelle", [])


def test_register_refuses_a_taken_username_and_weak_password(api):
    factories.make_user("prise")
    taken = api.post(
        "/api/auth/register/", {"username": "PRISE", "password": "a-long-pass-phrase-9"}
    )
    assert taken.status_code == 409
    assert taken.json()["detail"]
    weak = api.post("/api/auth/register/", {"username": "autre", "password": "123"})
    assert weak.status_code == 400
    assert "password" in weak.json()


def test_wrong_password_is_a_clear_400(api):
    factories.make_user("someone")
    response = api.post("/api/auth/token/?lang=en", {"username": "someone", "password": "nope"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Wrong username or password."
    french = api.post("/api/auth/token/?lang=fr", {"username": "someone", "password": "nope"})
    assert french.json()["detail"] == "Nom d'utilisateur ou mot de passe incorrect."


@pytest.mark.parametrize(
    ("fixture", "roles"),
    [
        ("organizer", ["organizer"]),
        ("expert", ["expert"]),
        ("member", ["member"]),
        ("partner", ["member", "partner"]),
    ],
)
def test_me_lists_roles(request, fixture, roles):
    user = request.getfixturevalue(fixture)
    assert token_client(user).get("/api/me/").json()["roles"] == roles


def test_superuser_has_every_role(db):
    admin = User.objects.create_superuser("root", "root@example.org", "x-long-pass-phrase")
    assert token_client(admin).get("/api/me/").json()["roles"] == [
        "organizer",
        "expert",
        "member",
        "partner",
    ]


def test_me_patch_changes_preferences(expert):
    client = token_client(expert)
    response = client.patch(
        "/api/me/", {"display_name": "Experte", "language": "en"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["language"] == "en"
    assert client.patch("/api/me/", {"language": "xx"}, format="json").status_code == 400


def test_organizers_list_and_create_accounts(organizer, expert):
    client = token_client(organizer)
    listing = client.get("/api/users/").json()
    assert {u["username"] for u in listing["results"]} >= {"orga", "expertise"}
    created = client.post(
        "/api/users/",
        {
            "username": "collegue",
            "password": "a-long-pass-phrase-9",
            "roles": ["organizer", "partner"],
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["roles"] == ["organizer", "partner"]
    bad_role = client.post(
        "/api/users/",
        {"username": "x2", "password": "a-long-pass-phrase-9", "roles": ["superuser"]},
        format="json",
    )
    assert bad_role.status_code == 400
    assert token_client(expert).get("/api/users/").status_code == 403
