"""The privacy page (both languages, linked from every page) and the /me/ data buttons."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from ateliers.models import User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "title", "days"),
    [("fr", "Ce que livinglab conserve", "90 jours"), ("en", "what livinglab keeps", "90 days")],
)
def test_privacy_page_in_both_languages_linked_from_the_footer(client, lang, title, days):
    home = client.get(f"/?lang={lang}").content.decode()
    assert f'href="{reverse("frontend:privacy")}"' in home
    page = client.get(f"{reverse('frontend:privacy')}?lang={lang}").content.decode()
    assert title.lower() in page.lower()
    assert days in page
    assert "/api/me/export/" in page


def test_me_page_downloads_my_data_with_the_session(client):
    user = factories.make_user("sessionuser", display_name="Sessions")
    client.force_login(user)
    page = client.get(reverse("frontend:my-profile")).content.decode()
    assert 'href="/api/me/export/"' in page
    export = client.get("/api/me/export/", HTTP_ACCEPT="text/html,*/*")  # a browser's link
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/json")
    assert json.loads(export.content)["account"]["username"] == "sessionuser"


def test_delete_my_account_page(client):
    user = factories.make_user("leaving")
    client.force_login(user)
    url = reverse("frontend:account-delete")
    wrong = client.post(url, {"password": "nope"})
    assert wrong.status_code == 200
    assert "password" in wrong.context["form"].errors
    assert User.objects.filter(pk=user.pk).exists()
    done = client.post(url, {"password": factories.PASSWORD})
    assert done.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert client.get(reverse("frontend:my-profile")).status_code == 302  # logged out


def test_a_guest_removes_its_name_from_the_board_page(client):
    from ateliers.models import Participant

    event = factories.make_event()
    joined = client.post(
        reverse("frontend:join"), {"code": event.join_code, "display_name": "Invitée-Qx7"}
    )
    assert joined.status_code == 200 and b"data-board" in joined.content  # the board
    board = client.get(reverse("frontend:board", args=[event.pk])).content.decode()
    forget = reverse("frontend:board-forget-me", args=[event.pk])
    assert f'href="{forget}"' in board
    assert "Invitée-Qx7" in client.get(forget).content.decode()
    assert client.post(forget).status_code == 302
    assert not Participant.objects.filter(display_name="Invitée-Qx7").exists()
    assert Participant.objects.get(event=event).erased_at is not None
    page = client.get(reverse("frontend:board", args=[event.pk])).content.decode()
    assert "Invitée-Qx7" not in page and f'href="{forget}"' not in page  # forgotten here
