"""Exactly one of many concurrent claims wins: real threads, real daphne, real databases."""

from __future__ import annotations

import json

import pytest

from tests.live import DaphneServer
from tests.live_claims import final_state, race, seed
from tests.pg import postgres_database, postgres_server  # noqa: F401 - fixtures

CLAIMANTS = 30


def _check(server) -> None:
    request_id, tokens = seed(server, experts=CLAIMANTS)
    result = race(server.url, request_id, tokens)
    assert result.statuses == {200: 1, 409: CLAIMANTS - 1}, result.statuses
    assert result.locked == 0
    conflicts = [json.loads(b) for b in result.bodies if "already claimed" in b]
    assert len(conflicts) == CLAIMANTS - 1
    assert {c["code"] for c in conflicts} == {"already_claimed"}
    state = final_state(server.url, request_id, tokens[0])
    assert state["status"] == "claimed"
    assert state["claims"] == 1  # one history row: the losers wrote nothing


@pytest.mark.slow
def test_concurrent_claims_on_sqlite(tmp_path):
    server = DaphneServer(workdir=tmp_path).migrate()
    server.start()
    try:
        _check(server)
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_claims_on_postgresql(tmp_path, postgres_database):  # noqa: F811
    server = DaphneServer(workdir=tmp_path, env={"DATABASE_URL": postgres_database}).migrate()
    server.start()
    try:
        _check(server)
    finally:
        server.stop()
