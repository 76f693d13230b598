"""Against a real daphne: the report and an export stream (no sync-iterator buffering
warning), and the WebSocket event loop answers while a PDF renders."""

from __future__ import annotations

import csv
import io
import json
import shutil
import threading
import urllib.request

import pytest

from demo.seed import DEMO_ORGANIZER
from tests.live import DaphneServer

pytestmark = pytest.mark.slow


def fetch(server, path, token=None):
    request = urllib.request.Request(server.url + path)
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, response.headers, response.read()


SETUP = """
from tests import factories
orga = factories.make_organizer("organisatrice")
orga.set_password("techworks-2026"); orga.save()
event = factories.make_event(title_fr="Atelier réel")
guest = factories.make_participant(event, "Invitée")
for i in range(30):
    factories.post_idea(guest, f"Idée n° {i}")
"""


@pytest.fixture(scope="module")
def server():
    # Django logs (and drops, with DEBUG off) its warning when it has to buffer a sync
    # iterator under ASGI; make it an error so that buffering breaks the response.
    env = {"PYTHONWARNINGS": "error:StreamingHttpResponse must consume"}
    server = DaphneServer(env=env).migrate()
    server.manage("shell", "-c", SETUP)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.workdir, ignore_errors=True)


def token(server) -> str:
    username, password = DEMO_ORGANIZER
    request = urllib.request.Request(
        server.url + "/api/auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["token"]


def test_report_and_exports_stream_through_daphne(server):
    key = token(server)
    _status, _headers, raw = fetch(server, "/api/events/export.json")
    event_id = json.loads(raw)[0]["id"]
    results = {}

    def render():
        results["pdf"] = fetch(server, f"/api/events/{event_id}/report.pdf?lang=fr", key)

    worker = threading.Thread(target=render)
    worker.start()
    status, _headers, _body = fetch(server, "/healthz")  # the loop answers meanwhile
    assert status == 200
    worker.join(30)
    status, headers, body = results["pdf"]
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    status, headers, body = fetch(server, f"/api/events/{event_id}/ideas/export.csv")
    assert status == 200
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0][0] == "id"
    log = server.log.read_text()
    assert "must consume synchronous iterators" not in log, log[-2000:]
    assert "Traceback" not in log and "Exception inside application" not in log, log[-2000:]
