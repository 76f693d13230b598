"""No one reads another person's e-mail address through the API.

The demo world (every user given a unique address) is crawled through every list endpoint
of the router (and the event/project/help children) as a board guest, a partner and an
expert: the only address allowed in any response is the caller's own.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ateliers.models import Event, HelpRequest, Idea, User
from demo.seed import DEMO_JOIN_CODE, seed_demo
from projets.models import Project
from tests.helpers import api_routes, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    seed_demo()
    for user in User.objects.all():
        user.email = f"{user.username}.private@example.net"
        user.save(update_fields=["email"])
    return {
        "event_pk": Event.objects.get(join_code=DEMO_JOIN_CODE).pk,
        "project_pk": Project.objects.order_by("pk").first().pk,
        "idea_pk": Idea.objects.order_by("pk").first().pk,
        "pk": HelpRequest.objects.order_by("pk").first().pk,
    }


def urls(ids):
    found = []
    for name, method in sorted(api_routes()):
        if method != "GET" or name in ("docs", "schema") or "pdf" in name:
            continue
        try:
            found.append(reverse(f"api:{name}"))
            continue
        except Exception:
            pass
        for kwargs in (
            {"event_pk": ids["event_pk"]},
            {"project_pk": ids["project_pk"]},
            {"idea_pk": ids["idea_pk"]},
            {"pk": ids["event_pk"]},
            {"pk": ids["pk"]},
            {"pk": ids["project_pk"]},
        ):
            try:
                found.append(reverse(f"api:{name}", kwargs=kwargs))
                break
            except Exception:
                continue
    return sorted(set(found))


def client_for(role):
    if role == "guest":
        client = token_client(None)
        token = client.post(
            "/api/join/", {"code": DEMO_JOIN_CODE, "display_name": "Invitée"}, format="json"
        ).json()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['token']}")
        return client, None
    user = User.objects.filter(**{f"is_{role}": True}).order_by("pk").first()
    return token_client(user), user


@pytest.mark.parametrize("role", ["guest", "partner", "expert"])
def test_no_other_users_email_in_any_response(world, role):
    client, me = client_for(role)
    crawled = 0
    for url in urls(world):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        own = f"{me.username}.private@example.net" if me else None
        leaked = {w for w in text.replace('"', " ").split() if "private@example.net" in w}
        leaked = {w for w in leaked if own is None or own not in w}
        assert not leaked, (url, sorted(leaked)[:3])
        crawled += response.status_code == 200
    assert crawled >= 15  # the crawl really read data


def test_the_crawl_would_see_an_address(world):
    """The check can fail: organizers do read addresses (``/api/users/``)."""
    client, _ = client_for("organizer")
    assert "private@example.net" in client.get("/api/users/").content.decode()


def _public_pages(ids) -> list[str]:
    from django.urls import reverse as r

    from projets.models import Story

    pages = [
        r("frontend:home"),
        r("frontend:event-list"),
        r("frontend:event-detail", args=[ids["event_pk"]]),
        r("frontend:organization-list"),
        r("frontend:project-list"),
        r("frontend:privacy"),
    ]
    from ateliers.models import Organization

    pages += [r("frontend:organization-detail", args=[o.pk]) for o in Organization.objects.all()]
    pages += [r("frontend:project-detail", args=[p.pk]) for p in Project.objects.all()]
    pages += [f"/projects/{s.project_id}/story/" for s in Story.objects.all()]
    return pages


@pytest.mark.parametrize("role", ["anonymous", "guest"])
def test_no_login_username_reaches_the_public(world, role, client):
    """Display names only: no account's login name in any API answer or public page."""
    for user in User.objects.all():
        user.username = f"login{user.pk}zq"
        user.save(update_fields=["username"])
    User.objects.filter(pk=User.objects.order_by("pk").first().pk).update(display_name="")
    api = token_client(None) if role == "anonymous" else client_for("guest")[0]
    crawled = 0
    for url in urls(world) + _public_pages(world):
        response = (client if url in _public_pages(world) else api).get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        leaked = {w for w in text.replace('"', " ").replace("<", " ").split() if "zq" in w}
        leaked = {w for w in leaked if "login" in w}
        assert not leaked, (url, sorted(leaked)[:3])
        crawled += response.status_code == 200
    assert crawled >= 25
