"""Project pages rendered by the server: content, visibility, forms, query counts."""

from __future__ import annotations

import pytest
from django.test import Client

from ateliers.demo import DEMO_ORGANIZER, seed_demo
from projets.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return seed_demo()


def client_for(username=None, password=None):
    client = Client()
    if username:
        assert client.login(username=username, password=password)
    return client


def test_demo_pages_render(demo):
    organizer = client_for(*DEMO_ORGANIZER)
    anon = client_for()
    projects = list(Project.objects.order_by("id"))
    assert len(projects) == 3
    for client in (organizer, anon):
        for lang in ("fr", "en"):
            assert client.get(f"/projects/?lang={lang}").status_code == 200
            assert client.get(f"/stories/?lang={lang}").status_code == 200
    for project in projects:
        r = organizer.get(f"/projects/{project.pk}/")
        assert r.status_code == 200
        assert organizer.get(f"/projects/{project.pk}/edit/").status_code == 200
    assert organizer.get("/partners/").status_code == 200
    r = client_for("partenaire", DEMO_ORGANIZER[1]).get("/partners/?lang=en")
    assert r.status_code == 200
    print(r.content.decode()[-4000:])
