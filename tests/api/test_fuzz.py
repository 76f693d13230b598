"""Schemathesis over every operation of the live schema, as an organizer and as a guest.

A real daphne (seeded demo, throttles off so 429s do not hide logic) answers; the run is
bounded in time. Any 5xx, any response that disagrees with the schema (body, status code
or content type) fails the test, with schemathesis' report in the assertion message.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.live import DaphneServer
from tests.pg import postgres_server  # noqa: F401 - fixture, used in the PostgreSQL pass

pytestmark = pytest.mark.fuzz

# Each pass of `make test` fuzzes its own backend: the SQLite pass a server on its own
# SQLite file, the PostgreSQL pass (LIVINGLAB_EXPECT_BACKEND=postgresql) a server on a
# fresh database of that PostgreSQL (tests/pg.py), where NUL bytes, integer overflow and
# transaction errors behave differently. The channel layer and cache stay in-process, so
# the fuzz server shares no Redis state with the rest of the session.
ON_POSTGRESQL = os.environ.get("LIVINGLAB_EXPECT_BACKEND") == "postgresql"

SCHEMATHESIS = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
MAX_TIME = int(os.environ.get("LIVINGLAB_FUZZ_SECONDS", "20"))  # per token
CHECKS = ",".join(
    [
        "not_a_server_error",
        "response_schema_conformance",
        "content_type_conformance",
        "status_code_conformance",
    ]
)


def post_json(url: str, body: dict, token: str | None = None) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def database_url(request):
    """ "" (the server's own SQLite file) or, in the PostgreSQL pass, a fresh database."""
    if not ON_POSTGRESQL:
        yield ""
        return
    postgres = request.getfixturevalue("postgres_server")
    url = postgres.create_database("livinglab_fuzz")
    yield url
    postgres.drop_database(url)


@pytest.fixture(scope="module")
def server(tmp_path_factory, database_url):
    """One seeded server; the guest runs first (the organizer's run deletes events)."""
    env = {"DATABASE_URL": database_url, "REDIS_URL": ""} | {
        f"THROTTLE_{scope}": "off" for scope in ("LOGIN", "LOGIN_PAIR", "JOIN")
    }
    env |= {"THROTTLE_SIGNUP": "off", "THROTTLE_WRITES": "off"}
    daphne = DaphneServer(workdir=tmp_path_factory.mktemp("fuzz"), env=env)
    daphne.migrate(seed=True).start()
    yield daphne
    daphne.stop()


def test_the_server_runs_on_the_backend_of_this_pass(server):
    with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as response:
        health = json.loads(response.read())
    assert health["database"] == ("postgresql" if ON_POSTGRESQL else "sqlite")


def run_schemathesis(server: DaphneServer, authorization: str, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    command = [
        SCHEMATHESIS,
        "run",
        f"{server.url}/api/schema/",
        "--url",
        f"{server.url}",
        "--checks",
        CHECKS,
        "--header",
        f"Authorization: {authorization}",
        "--max-time",
        str(MAX_TIME),
        "--max-examples",
        os.environ.get("LIVINGLAB_FUZZ_EXAMPLES", "8"),
        "--phases",
        "examples,fuzzing",
        "--seed",
        os.environ.get("LIVINGLAB_FUZZ_SEED", "20260101"),
        "--generation-deterministic",
        "--request-timeout",
        "20",
        "--workers",
        "1",
        "--suppress-health-check",
        "all",
        # We send our own Authorization; generated session cookies only reach daphne's
        # header parser (a bare 400 before Django), not the API.
        "--generation-with-security-parameters",
        "false",
        "--no-color",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=MAX_TIME * 4 + 120, cwd=tmp_path
    )
    output = result.stdout + result.stderr
    (tmp_path.parent / f"{tmp_path.name}.log").write_text(output)
    tail = output[-8000:]
    assert result.returncode == 0, f"schemathesis found failures:\n{tail}\n{report}"
    assert "operations" in output.lower() or "passed" in output.lower(), tail


def test_fuzz_as_guest(server, tmp_path):
    body = post_json(f"{server.url}/api/join/", {"code": "TECHWK", "display_name": "Fuzz"})
    run_schemathesis(server, f"Bearer {body['token']}", tmp_path)


def test_fuzz_as_organizer(server, tmp_path):
    body = post_json(
        f"{server.url}/api/auth/token/",
        {"username": "organisatrice", "password": "techworks-2026"},
    )
    run_schemathesis(server, f"Token {body['token']}", tmp_path)
