"""Organisations (with members), experts and skills through the API."""

from __future__ import annotations

import pytest

from ateliers.models import Membership
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


def test_create_organisation_makes_the_creator_a_member(expert):
    client = token_client(expert)
    response = client.post(
        "/api/organizations/",
        {"name": "Cuisine collective", "description": "Repas", "languages": ["fr", "en"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["languages"] == ["fr", "en"]
    assert body["member_count"] == 1
    assert Membership.objects.filter(organization_id=body["id"], user=expert).exists()
    assert client.get("/api/me/").json()["roles"] == ["expert", "member"]


def test_members_add_list_and_duplicate(org, member, organizer):
    newcomer = factories.make_user("arrivee")
    client = token_client(member)
    added = client.post(f"/api/organizations/{org.pk}/members/", {"user": newcomer.pk})
    assert added.status_code == 201
    assert added.json()["user"]["name"] == "Arrivee"
    again = client.post(f"/api/organizations/{org.pk}/members/", {"user": newcomer.pk})
    assert again.status_code == 409
    unknown = client.post(f"/api/organizations/{org.pk}/members/", {"user": 999999})
    assert unknown.status_code == 404
    listing = token_client(organizer).get(f"/api/organizations/{org.pk}/members/").json()
    assert [m["user"]["name"] for m in listing] == ["Arrivee", "Membre"]


def test_organisation_filters_and_ordering(api):
    factories.make_org("Beta", languages=("en",))
    factories.make_org("Alpha", languages=("fr", "en"))
    factories.make_org("Gamma", languages=("fr",))
    names = [o["name"] for o in api.get("/api/organizations/?language=en").json()["results"]]
    assert names == ["Alpha", "Beta"]
    desc = api.get("/api/organizations/?ordering=-name").json()["results"]
    assert [o["name"] for o in desc] == ["Gamma", "Beta", "Alpha"]
    assert api.get("/api/organizations/?language=xx").status_code == 400


def test_expert_profile_once_per_user():
    user = factories.make_user("futur")
    factories.make_skill("wordpress")
    client = token_client(user)
    body = {"skills": ["wordpress"], "languages": ["fr"], "bio": "WordPress depuis 2010"}
    first = client.post("/api/experts/", body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["skills"] == ["wordpress"]
    second = client.post("/api/experts/", body, format="json")
    assert second.status_code == 409
    assert second.json()["detail"]


def test_expert_unknown_skill_is_400():
    client = token_client(factories.make_user())
    response = client.post(
        "/api/experts/", {"skills": ["nope"], "languages": ["fr"]}, format="json"
    )
    assert response.status_code == 400
    assert "skills" in response.json()


def test_experts_filter_by_skill(expert, organizer):
    factories.make_expert("autre", skills=["crm"])
    client = token_client(organizer)
    names = [e["user"]["name"] for e in client.get("/api/experts/?skill=crm").json()["results"]]
    assert names == ["Autre"]
    names = [
        e["user"]["name"] for e in client.get("/api/experts/?skill=accessibility").json()["results"]
    ]
    assert names == ["Expertise"]
    assert client.get("/api/experts/?skill=unknown").json()["count"] == 0


def test_expert_edits_own_profile_only(expert):
    other = factories.make_expert("other")
    client = token_client(expert)
    mine = client.patch(
        f"/api/experts/{expert.expert_profile.pk}/", {"skills": ["wordpress"]}, format="json"
    )
    assert mine.status_code == 200
    assert mine.json()["skills"] == ["wordpress"]
    theirs = client.patch(f"/api/experts/{other.expert_profile.pk}/", {"bio": "x"}, format="json")
    assert theirs.status_code == 403


def test_skills_bilingual_and_organizer_only(organizer, expert, api):
    client = token_client(organizer)
    created = client.post(
        "/api/skills/", {"slug": "grant-writing", "name_fr": "Demandes de subvention"}
    )
    assert created.status_code == 201
    assert created.json()["name"] == "Demandes de subvention"
    en = api.get("/api/skills/?slug=grant-writing", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["results"][0]["name"] == "Demandes de subvention"  # falls back to French
    duplicate = client.post("/api/skills/", {"slug": "grant-writing", "name_en": "Grants"})
    assert duplicate.status_code == 400
    none = client.post("/api/skills/", {"slug": "nothing"})
    assert none.status_code == 400
    assert (
        token_client(expert).post("/api/skills/", {"slug": "x", "name_fr": "X"}).status_code == 403
    )
