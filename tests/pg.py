"""A throw-away PostgreSQL server for tests that need the real thing (reusable fixture).

``postgres_server`` (session scope) runs ``initdb`` + ``pg_ctl`` from the local PostgreSQL
binaries in a temp dir on a free loopback port (as the ``postgres`` user when the tests
run as root), and stops it at the end. ``postgres_database`` gives each test a fresh
database and its ``DATABASE_URL``, ready for ``DaphneServer(env={"DATABASE_URL": url})``.

Missing binaries skip the test locally but FAIL in CI (``CI=true``): CI must prove the
PostgreSQL path. ``TEST_POSTGRES_URL`` (``postgres://user@host:port``) reuses a server
that is already running instead of starting one.

Use it from a test module with ``from tests.pg import postgres_database, postgres_server``
(``# noqa: F401``: pytest finds fixtures by name).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live import free_port

_names = itertools.count(1)


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str = "postgres"

    @property
    def admin_url(self) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/postgres"

    def url(self, dbname: str) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/{dbname}"

    def create_database(self, prefix: str = "livinglab_test") -> str:
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(_names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _missing(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(reason)


def _bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return [shutil.which("runuser") or "runuser", "-u", "postgres", "--", *cmd]
    return cmd


class PostgresUnavailable(RuntimeError):
    pass


@contextlib.contextmanager
def running_postgres():
    """Start a throw-away PostgreSQL server; yields a ``PostgresServer``; stops it after.

    Raises ``PostgresUnavailable`` when the binaries or psycopg are missing.
    """
    try:
        import psycopg
    except ImportError as exc:
        raise PostgresUnavailable("psycopg is not installed") from exc
    bindir = _bin_dir()
    if bindir is None:
        raise PostgresUnavailable("PostgreSQL binaries (initdb, pg_ctl) not found")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        raise PostgresUnavailable("running as root without runuser to become postgres")
    workdir = Path(tempfile.mkdtemp(prefix="livinglab-pg-"))
    datadir = workdir / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(datadir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} "
            f"-c unix_socket_directories={workdir} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(datadir),
                    "-o",
                    options,
                    "-l",
                    str(workdir / "postgres.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=90,
        )
        server = PostgresServer(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(server.admin_url, connect_timeout=2).close()
                break
            except psycopg.Error:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield server
    finally:
        if datadir.exists():
            subprocess.run(
                _as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "stop"]),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    existing = os.environ.get("TEST_POSTGRES_URL")
    if existing:
        from urllib.parse import urlparse

        parsed = urlparse(existing)
        yield PostgresServer(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
        )
        return
    try:
        manager = running_postgres()
        server = manager.__enter__()
    except PostgresUnavailable as exc:
        _missing(str(exc))
    try:
        yield server
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture
def postgres_database(postgres_server):
    """A fresh, empty database on the session's server: yields its ``DATABASE_URL``."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)
