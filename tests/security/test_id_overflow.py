"""Item 5: ``1e999`` in an id field gave a 500 (``OverflowError``): ``theme`` on ideas,
``event`` and ``source_ideas`` on projects, ``organization`` on help requests,
registrations and experts, ``theme`` on slots. Every id field answers 400; a float is
not truncated into some other record's id either."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from rest_framework import relations, serializers
from rest_framework.test import APIClient

import api.serializers
from api.fields import IdField
from ateliers.models import User
from ateliers.services.board import participant_token
from projets.models import Project
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

# Raw JSON: ``json.dumps`` cannot even write these.
VALUES = ["1e999", "-1e999", "1e308", "1.5", "2.0", str(10**30), "-3", "true", '"7e3"']


@pytest.fixture
def world(event):
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-pass-phrase-9")
    org = factories.make_org(members=[admin])
    guest = factories.make_participant(event, "Invitée")
    guest_client = APIClient()
    guest_client.credentials(HTTP_AUTHORIZATION=f"Bearer {participant_token(guest)}")
    factories.make_expert("expertise")
    return {"admin": token_client(admin), "guest": guest_client, "event": event, "org": org}


def _cases(world):
    event, org = world["event"], world["org"]
    e, o = event.pk, org.pk
    admin, guest = world["admin"], world["guest"]
    return [
        (guest, "post", f"/api/events/{e}/ideas/", '{"text": "Une idée", "theme": %s}'),
        (admin, "post", "/api/projects/", '{"title_fr": "P", "event": %s}'),
        (admin, "post", "/api/projects/", '{"title_fr": "P", "source_ideas": [%s]}'),
        (admin, "post", "/api/projects/", '{"title_fr": "P", "partners": [%s]}'),
        (admin, "post", "/api/help-requests/", '{"title": "Aide", "organization": %s}'),
        (
            admin,
            "post",
            f"/api/events/{e}/registrations/",
            '{"role": "organization", "organization": %s}',
        ),
        (admin, "post", "/api/experts/", '{"languages": ["fr"], "organization": %s}'),
        (
            admin,
            "post",
            f"/api/events/{e}/slots/",
            f'{{"title_fr": "S", "starts_at": "{event.starts_at.isoformat()}", '
            f'"ends_at": "{event.ends_at.isoformat()}", "theme": %s}}',
        ),
        (admin, "post", f"/api/organizations/{o}/members/", '{"user": %s}'),
    ]


@pytest.mark.parametrize("value", VALUES)
def test_huge_and_float_ids_are_a_400(world, value):
    projects = Project.objects.count()
    for client, method, path, template in _cases(world):
        body = template % value
        response = getattr(client, method)(path, body, content_type="application/json")
        assert response.status_code == 400, (path, body, response.status_code)
        assert response["Content-Type"].startswith("application/json")
    assert Project.objects.count() == projects  # nothing half-written


def test_a_float_event_id_is_not_truncated_into_another_event(world):
    """``{"event": 1.5}`` was accepted as event 1."""
    response = world["admin"].post(
        "/api/projects/",
        f'{{"title_fr": "P", "event": {world["event"].pk}.5}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Project.objects.filter(event=world["event"]).exists()


def test_a_form_posts_ids_as_digit_strings_and_they_still_work(world):
    response = world["admin"].post(
        "/api/projects/", {"title_fr": "P", "event": str(world["event"].pk)}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["event"] == world["event"].pk


def _writable_serializers():
    for module_info in pkgutil.iter_modules(api.serializers.__path__):
        module = importlib.import_module(f"api.serializers.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.Serializer) and cls.__module__ == module.__name__:
                yield cls


def test_every_writable_id_field_of_every_serializer_is_an_id_field():
    """The sweep: a new serializer with a plain PrimaryKeyRelatedField fails here."""
    plain = []
    for cls in _writable_serializers():
        for name, field in cls().fields.items():
            inner = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
            if field.read_only or not isinstance(inner, relations.PrimaryKeyRelatedField):
                continue
            if not isinstance(inner, IdField):
                plain.append(f"{cls.__name__}.{name}")
    assert plain == []
