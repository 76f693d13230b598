"""Profiles kept once and reused: organisations and members, experts, preferences."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ateliers.models import ExpertProfile, Membership, Organization, Registration
from tests import factories

pytestmark = pytest.mark.django_db


def test_organization_create_makes_the_creator_admin(client):
    user = factories.make_user("creator")
    client.force_login(user)
    response = client.post(
        reverse("frontend:organization-create"),
        {"name": "Cuisine collective", "languages": ["fr"], "website": "", "region": "Laval"},
    )
    org = Organization.objects.get(name="Cuisine collective")
    assert response["Location"] == reverse("frontend:organization-detail", args=[org.pk])
    assert Membership.objects.get(organization=org).user == user


def test_organization_create_refuses_a_missing_name(client):
    client.force_login(factories.make_user())
    response = client.post(reverse("frontend:organization-create"), {"name": ""})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Organization.objects.exists()


def test_organization_edit_by_members_and_organizers_only(client, org, member, expert, organizer):
    url = reverse("frontend:organization-edit", args=[org.pk])
    client.force_login(expert)
    assert client.get(url).status_code == 403
    client.force_login(member)
    data = {"name": org.name, "languages": ["fr", "en"], "region": "Longueuil"}
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.region == "Longueuil"
    client.force_login(organizer)
    assert client.get(url).status_code == 200


def test_add_and_remove_a_member_by_username(client, org, member):
    newcomer = factories.make_user("nouvelle")
    client.force_login(member)
    add = reverse("frontend:organization-member-add", args=[org.pk])
    assert client.post(add, {"username": "NOUVELLE"}).status_code == 302
    assert org.memberships.filter(user=newcomer).exists()
    again = client.post(add, {"username": "nouvelle"})
    assert again.status_code == 400
    assert "Cette personne est déjà membre" in again.content.decode()
    unknown = client.post(add, {"username": "personne"})
    assert unknown.status_code == 400
    remove = reverse("frontend:organization-member-remove", args=[org.pk, newcomer.pk])
    assert client.post(remove).status_code == 302
    assert not org.memberships.filter(user=newcomer).exists()


def test_outsiders_cannot_add_members(client, org):
    client.force_login(factories.make_user("outsider"))
    add = reverse("frontend:organization-member-add", args=[org.pk])
    assert client.post(add, {"username": "outsider"}).status_code == 403
    detail = client.get(reverse("frontend:organization-detail", args=[org.pk]))
    assert detail.status_code == 200
    assert detail.context["members"] == []


def test_organization_list_filters(client):
    factories.make_org("Alpha", languages=("fr",))
    factories.make_org("Beta", languages=("en",))
    page = client.get(reverse("frontend:organization-list"), {"language": "en"})
    assert [o.name for o in page.context["page"].object_list] == ["Beta"]


def test_expert_profile_create_then_edit(client):
    user = factories.make_user("futurexpert")
    factories.make_skill("wordpress")
    factories.make_skill("crm")
    client.force_login(user)
    url = reverse("frontend:expert-profile")
    assert client.get(url).status_code == 200
    data = {
        "skills": ["wordpress", "crm"],
        "languages": ["fr"],
        "bio": "Développeuse",
        "availability": "Les soirs",
    }
    assert client.post(url, data).status_code == 302
    profile = ExpertProfile.objects.get(user=user)
    assert {s.slug for s in profile.skills.all()} == {"wordpress", "crm"}
    user.refresh_from_db()
    assert user.is_expert
    data["skills"] = ["crm"]
    data["bio"] = "Autre"
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert [s.slug for s in profile.skills.all()] == ["crm"]
    assert ExpertProfile.objects.count() == 1


def test_expert_profile_needs_a_language(client):
    client.force_login(factories.make_user())
    response = client.post(reverse("frontend:expert-profile"), {"bio": "x", "languages": []})
    assert "languages" in response.context["form"].errors


def test_preferences_change_language_and_notifications(client):
    user = factories.make_user("pref")
    client.force_login(user)
    response = client.post(
        reverse("frontend:account-preferences"),
        {"display_name": "Pré", "email": "pre@example.org", "language": "en"},
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert (user.display_name, user.language, user.email_notifications) == ("Pré", "en", False)
    bad = client.post(reverse("frontend:account-preferences"), {"language": "xx", "email": "no"})
    assert {"language", "email"} <= set(bad.context["form"].errors)


def test_register_in_one_click_reuses_the_profile(client, event, expert, org, member):
    client.force_login(expert)
    url = reverse("frontend:event-register", args=[event.pk])
    assert client.post(url, {"role": "expert"}).status_code == 302
    assert Registration.objects.filter(event=event, user=expert, role="expert").exists()
    # A second click says so instead of failing.
    response = client.post(url, {"role": "expert"}, follow=True)
    assert Registration.objects.filter(event=event, user=expert).count() == 1
    assert response.status_code == 200
    client.force_login(member)
    client.post(url, {"role": "organization", "organization": org.pk})
    assert Registration.objects.filter(event=event, organization=org).exists()


def test_profile_pages_need_login(client, org):
    for name in ["expert-profile", "account-preferences", "organization-create"]:
        assert client.get(reverse(f"frontend:{name}")).status_code == 302
    assert client.get(reverse("frontend:organization-list")).status_code == 200


def test_event_page_points_to_the_missing_profile(client, event, org, member):
    newcomer = factories.make_user("nouveau")
    client.force_login(newcomer)
    page = client.get(reverse("frontend:event-detail", args=[event.pk])).content.decode()
    assert reverse("frontend:expert-profile") in page
    assert reverse("frontend:organization-create") in page
    client.force_login(member)
    page = client.get(reverse("frontend:event-detail", args=[event.pk])).content.decode()
    assert f'name="organization" value="{org.pk}"' in page
    assert reverse("frontend:organization-create") not in page.split('id="register-title"')[1]
    Registration.objects.create(event=event, role="organization", organization=org, user=member)
    page = client.get(reverse("frontend:event-detail", args=[event.pk])).content.decode()
    assert f'name="organization" value="{org.pk}"' not in page
