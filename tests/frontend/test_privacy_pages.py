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
