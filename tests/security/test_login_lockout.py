"""Items 2, 6 and 11: the logins share one set of counters, per address and per
(username, address); none can lock a named user out, and the admin is no way around them."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = factories.PASSWORD


def _api_login(client, username, password, address):
    body = {"username": username, "password": password}
    return client.post("/api/auth/token/", body, REMOTE_ADDR=address).status_code


def test_failures_for_a_username_from_elsewhere_never_refuse_the_right_password():
    """Item 6 as reported: 10 wrong passwords a minute for a username, from anywhere."""
    factories.make_user("alice", password=PASSWORD)
    client = APIClient()
    wrong = [_api_login(client, "alice", "wrong", f"10.0.{i // 250}.{i % 250}") for i in range(40)]
    assert wrong == [400] * 40
    assert _api_login(client, "alice", PASSWORD, "192.0.2.10") == 200
    # ...nor on the HTML form
    page = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
        secure=True,
    )
    assert page.status_code == 302


def test_the_pair_username_address_is_slowed():
    factories.make_user("alice", password=PASSWORD)
    client = APIClient()
    wrong = [_api_login(client, "alice", "wrong", "10.0.0.1") for _ in range(11)]
    assert wrong == [400] * 10 + [429]
    # the same address may still try another name (up to its own limit)
    assert _api_login(client, "bob", "wrong", "10.0.0.1") == 400


def test_the_address_is_slowed_whatever_the_usernames():
    client = APIClient()
    statuses = [_api_login(client, f"user{i}", "x", "10.0.0.2") for i in range(31)]
    assert statuses == [400] * 30 + [429]


def _admin_login(client, password, address="10.3.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "staff", "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        secure=True,
    )


def test_admin_login_is_throttled_like_the_other_logins():
    """Item 2 as reported: 60 wrong passwords for a staff account were all 200, then the
    right one logged in while the API login of that user was locked."""
    factories.make_user("staff", password=PASSWORD, is_staff=True, is_superuser=True)
    client = Client()
    statuses = [_admin_login(client, "wrong").status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
    refused = _admin_login(client, PASSWORD)
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # the same counters: the API login of that pair is spent too
    assert _api_login(APIClient(), "staff", PASSWORD, "10.3.0.1") == 429
    # and the API's attempts count on the admin's form
    factories.make_user("other", password=PASSWORD)
    api = APIClient()
    assert [_api_login(api, "other", "x", "10.3.0.2") for _ in range(10)] == [400] * 10
    other = Client().post(
        "/admin/login/", {"username": "other", "password": PASSWORD}, REMOTE_ADDR="10.3.0.2"
    )
    assert other.status_code == 429


def test_admin_login_still_logs_in():
    factories.make_user("staff", password=PASSWORD, is_staff=True, is_superuser=True)
    response = _admin_login(Client(), PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_html_signup_is_limited_like_the_api_signup():
    """Item 11: sign-up answers username_taken, so it is limited like login, on every door."""
    factories.make_user("taken", password=PASSWORD)
    client = Client()
    body = {"username": "taken", "password": "another-password-456"}
    statuses = [client.post("/accounts/signup/", body, secure=True).status_code for _ in range(10)]
    assert statuses == [200] * 10  # the form again: that name is taken
    refused = client.post("/accounts/signup/", body, secure=True)
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()
    # the same counter as the API's sign-up
    api = APIClient().post("/api/auth/register/", {"username": "new"}, format="json")
    assert api.status_code == 429
