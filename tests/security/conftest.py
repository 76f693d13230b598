"""Shared fixtures for the attacks of issue 16, replayed."""

from __future__ import annotations

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.live import DaphneServer


@pytest.fixture
def rates(monkeypatch):
    """Throttle rates for this test (the classes read them once, at import)."""
    current = dict(SimpleRateThrottle.THROTTLE_RATES)
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", current)
    return current


@pytest.fixture(scope="session")
def production_daphne(tmp_path_factory):
    """DEBUG off, TLS redirect on, as `make run-prod` starts it (no --proxy-headers)."""
    server = DaphneServer(
        workdir=tmp_path_factory.mktemp("prod"),
        env={
            "SECURE_SSL_REDIRECT": "1",
            "THROTTLE_LOGIN": "5/min",
            "TRUSTED_PROXIES": "",
            "DATABASE_URL": "",  # its own SQLite file and in-process cache: counters
            "REDIS_URL": "",  # shared with no other test
        },
    )
    server.migrate().start()
    yield server
    server.stop()
