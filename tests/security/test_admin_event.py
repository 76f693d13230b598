"""Issue 16, item 12: adding a second event in /admin/ gave a 500 (the join code is made
only by the service, and the admin saved the model directly with an empty one)."""

from __future__ import annotations

import pytest
from django.test import Client

from ateliers.models import Event
from tests import factories

pytestmark = pytest.mark.django_db


def event_form(title: str) -> dict:
    return {
        "title_fr": title,
        "title_en": "",
        "description_fr": "",
        "description_en": "",
        "starts_at_0": "2031-05-01",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2031-05-01",
        "ends_at_1": "17:00:00",
        "venue": "Montréal",
        "online_url": "",
        "region": "",
        "languages": ["fr"],
        "capacity": "",
        "status": "draft",
        "moderation": "post",  # the select's preselected default, as a browser sends it
    }


@pytest.mark.parametrize("who", ["superuser", "organizer"])
def test_adding_two_events_in_the_admin_works(who):
    if who == "superuser":
        user = factories.make_user("root", is_superuser=True, is_staff=True)
    else:
        from ateliers.services.accounts import user_create

        user = user_create(
            actor=factories.make_user("boss", is_superuser=True),
            username="orga-admin",
            password=factories.PASSWORD,
            roles=["organizer"],
        )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    for title in ("Premier atelier", "Deuxième atelier"):
        response = client.post("/admin/ateliers/event/add/", event_form(title))
        assert response.status_code == 302, response.content[:2000]
    codes = list(Event.objects.values_list("join_code", flat=True))
    assert len(codes) == 2 and len(set(codes)) == 2 and all(len(c) == 6 for c in codes)
    assert set(Event.objects.values_list("created_by", flat=True)) == {user.pk}
