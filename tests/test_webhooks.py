"""Issue 20: webhooks against a real HTTP receiver on 127.0.0.1 — signature, retry after a
500 with backoff, the delivery log, the outbox (a request never waits for a receiver),
the SSRF policy."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from projets import services as project_services
from tests import factories
from tests.helpers import token_client
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db
SECRET = "a-long-shared-secret-42"


class Receiver:
    """A real HTTP server: records each POST; answers the queued status codes (then 200)."""

    def __init__(self, codes=()):
        self.codes = list(codes)
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def allow_loopback(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True


def _subscribe(organizer, url, events, **extra):
    response = token_client(organizer).post(
        "/api/webhooks/", {"url": url, "events": events, "secret": SECRET, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    assert "secret" not in response.json()
    return response.json()["id"]


def test_signed_delivery_of_a_board_event(allow_loopback, organizer, event):
    with Receiver() as receiver:
        hook = _subscribe(organizer, receiver.url, ["board.idea.created"])
        factories.post_idea(factories.make_participant(event), "Un jardin sur le toit")
        # The outbox: nothing was sent by the request itself.
        assert receiver.received == []
        call_command("send_webhooks")
    assert len(receiver.received) == 1
    got = receiver.received[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), got["body"], hashlib.sha256).hexdigest()
    assert got["headers"]["X-Livinglab-Signature"] == expected
    body = json.loads(got["body"])
    assert body["event"] == "board.idea.created"
    assert body["data"]["event"] == event.pk
    assert "Un jardin sur le toit" in got["body"].decode()
    log = token_client(organizer).get(f"/api/webhooks/{hook}/deliveries/").json()["results"]
    assert [(d["name"], d["status"], d["attempt_count"]) for d in log] == [
        ("board.idea.created", "delivered", 1)
    ]
    assert log[0]["last_status_code"] == 200


def test_a_500_is_retried_with_backoff_and_logged(allow_loopback, organizer, org):
    with Receiver(codes=[500]) as receiver:
        hook = _subscribe(organizer, receiver.url, ["project.*"])
        project = factories.make_project(actor=organizer, title_fr="Vélo-quartier")
        call_command("send_webhooks")
        delivery = Delivery.objects.get()
        assert delivery.status == "pending" and len(delivery.attempts) == 1
        assert delivery.attempts[0]["status_code"] == 500
        # Backoff: not due yet, so another run sends nothing.
        assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
        call_command("send_webhooks")
        assert len(receiver.received) == 1
        # Time passes; the retry is delivered with the same body and signature.
        Delivery.objects.update(next_attempt_at=timezone.now())
        call_command("send_webhooks")
    assert len(receiver.received) == 2
    assert receiver.received[0]["body"] == receiver.received[1]["body"]
    body = json.loads(receiver.received[1]["body"])
    assert body["event"] == "project.created" and body["data"]["project"] == project.pk
    log = token_client(organizer).get(f"/api/webhooks/{hook}/deliveries/").json()["results"]
    assert log[0]["status"] == "delivered"
    assert [a["status_code"] for a in log[0]["attempts"]] == [500, 200]


def test_help_desk_and_phase_events_and_filters(allow_loopback, organizer, org, expert, event):
    from ateliers.services.help import help_request_claim

    with Receiver() as receiver:
        _subscribe(organizer, receiver.url, ["help.claimed", "project.phase"], event=event.pk)
        request = factories.make_help_request(org, event=event)
        help_request_claim(actor=expert, help_request=request)
        other_event_project = factories.make_project(actor=organizer)
        project_services.project_advance_phase(
            actor=organizer, project=other_event_project, phase="co_creation"
        )
        mine = factories.make_project(actor=organizer, event=event)
        project_services.project_advance_phase(actor=organizer, project=mine, phase="co_creation")
        call_command("send_webhooks")
    names = [json.loads(r["body"])["event"] for r in receiver.received]
    assert sorted(names) == ["help.claimed", "project.phase"]


def test_a_rolled_back_change_sends_nothing(allow_loopback, organizer):
    from django.db import transaction

    with Receiver() as receiver:
        _subscribe(organizer, receiver.url, ["project.created"])
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.make_project(actor=organizer)
            raise RuntimeError
        call_command("send_webhooks")
    assert receiver.received == [] and not Delivery.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
        "ftp://example.org/hook",
        "http://user:pw@example.org/hook",
    ],
)
def test_private_and_odd_addresses_are_refused(organizer, url):
    response = token_client(organizer).post(
        "/api/webhooks/", {"url": url, "events": ["board.*"], "secret": SECRET}, format="json"
    )
    assert response.status_code == 400, url
    assert "url" in response.json()


def test_webhooks_are_for_organizers_and_names_are_checked(allow_loopback, organizer, expert):
    body = {"url": "http://127.0.0.1:9/x", "events": ["board.*"], "secret": SECRET}
    assert token_client(expert).post("/api/webhooks/", body, format="json").status_code == 403
    assert token_client(None).post("/api/webhooks/", body, format="json").status_code == 401
    bad = token_client(organizer).post(
        "/api/webhooks/", {**body, "events": ["mail.sent"]}, format="json"
    )
    assert bad.status_code == 400 and "events" in bad.json()
    short = token_client(organizer).post("/api/webhooks/", {**body, "secret": "x"}, format="json")
    assert short.status_code == 400


def test_a_receiver_that_became_private_is_not_called(organizer, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        _subscribe(organizer, receiver.url, ["project.created"])
        factories.make_project(actor=organizer)
        settings.WEBHOOKS_ALLOW_PRIVATE = False  # checked again before each delivery
        call_command("send_webhooks")
    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.attempts[0]["status_code"] is None and delivery.attempts[0]["error"]
