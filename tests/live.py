"""A real daphne, started as a subprocess on its own SQLite file (or DATABASE_URL).

For what the test client cannot show: real sockets, origin checks, reconnects, several
processes, ``kill -9``. ``DaphneServer`` migrates its database once, can be stopped,
killed and started again on the same data.

A fresh database is not migrated (and seeded) server by server: the first server of the
process migrates a template (a SQLite file, or a PostgreSQL database on the server of its
``DATABASE_URL``), seeds a second one from it if asked, and every later server starts from
a copy (a file copy; ``CREATE DATABASE … TEMPLATE …``). Migrating took 7 s of CPU and
seeding the demo 12 s (the demo's password hashes) per server; a copy takes milliseconds.
The data is the same as a migration run on the spot would write: the migrations and
``seed_demo`` read no setting a test server changes (throttles, DEBUG, origins).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (database key, seeded) -> the template: a SQLite file path, or a PostgreSQL database URL.
# Built once per process, on first use; removed at exit.
_templates: dict[tuple[str, bool], str] = {}
_template_dir: Path | None = None


def run(coro):
    """Run a client scenario on a loop of its own, closed at the end.

    Not ``asyncio.run``: it also resets the thread's current loop, which orphans the loop
    pytest-asyncio keeps for the async tests of the session (an "unclosed event loop"
    ResourceWarning at the end of the run, an error under ``filterwarnings = error``)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**overrides: str) -> dict:
    """The environment of a test server: this process's, production-like settings."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test-secret-key-for-live-daphne-only-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LIVINGLAB_PLAIN_STATIC": "1",
        "PYTHONUNBUFFERED": "1",
        **overrides,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


class PortTaken(RuntimeError):
    """daphne could not listen: another process had taken the port."""


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``manage.py`` in a subprocess with the given environment."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


class DaphneServer:
    def __init__(
        self, *, env: dict | None = None, workdir: Path | None = None, port: int | None = None
    ) -> None:
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="livinglab-daphne-"))
        self.fixed_port = port is not None
        self.port = port or free_port()
        self.env = server_env(SQLITE_PATH=str(self.workdir / "db.sqlite3"), **(env or {}))
        self.proc: subprocess.Popen | None = None
        self.started = False
        self.log = self.workdir / "daphne.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return manage(self.env, *args, check=check)

    def migrate(self, *, seed: bool = False) -> DaphneServer:
        """Migrate (and seed) this server's database: a copy of the process's template
        when the database is new, ``migrate`` (a no-op) and ``seed_demo`` (idempotent) on
        data a server already wrote."""
        if _copy_template(self.env, seed=seed):
            return self
        self.manage("migrate", "--noinput", "-v0")
        if seed:
            self.manage("seed_demo")
        return self

    def start(self, timeout: float = 90) -> DaphneServer:
        """Start daphne and wait for /healthz. The start-up (imports, the warm-up of the
        caches) takes 2-5 s on a quiet machine; the generous deadline is for a shared
        one. A server that does not answer is stopped, not left behind.

        The port was free when picked, not reserved: another process (a test server of the
        other pytest-xdist worker, a browser's outgoing connection) may take it before
        daphne binds it. A first start that meets a taken port picks another one; a
        restart, or a port given by the caller, stays (its clients connect to it)."""
        for _attempt in range(3):
            try:
                return self._start(timeout)
            except PortTaken:
                if self.started or self.fixed_port:
                    raise
                self.port = free_port()
        return self._start(timeout)

    def _start(self, timeout: float) -> DaphneServer:
        with open(self.log, "ab") as logfile:  # the child keeps its own copy of the fd
            logged = logfile.tell()
            self.proc = self._spawn(logfile)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc.wait()
                log = self.log.read_bytes()[logged:].decode(errors="replace")[-2000:]
                if "Address already in use" in log:
                    raise PortTaken(log)
                raise RuntimeError(f"daphne exited: {log}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        self.started = True
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"daphne did not answer in {timeout}s: {self.log.read_text()[-2000:]}")

    def _spawn(self, logfile) -> subprocess.Popen:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "livinglab.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill9(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None


def _template_env(**database) -> dict:
    """The environment the templates are built in: a plain test server's, on the given
    database, with the in-process channel layer (seeding broadcasts to nobody)."""
    return server_env(**{"DATABASE_URL": "", "REDIS_URL": "", **database})


def _template_root() -> Path:
    global _template_dir
    if _template_dir is None:
        _template_dir = Path(tempfile.mkdtemp(prefix="livinglab-templates-"))
        atexit.register(shutil.rmtree, _template_dir, True)
    return _template_dir


def _copy_template(env: dict, *, seed: bool) -> bool:
    """Put a copy of the template in place of a new database; False (nothing done) when
    the database already holds tables, or is neither SQLite nor PostgreSQL."""
    url = env.get("DATABASE_URL", "")
    if not url:
        target = Path(env["SQLITE_PATH"])
        if target.exists() and target.stat().st_size:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_sqlite_template(seed), target)
        return True
    if url.startswith(("postgres://", "postgresql://")) and _pg_is_empty(url):
        _pg_copy(_pg_template(url, seed), url)
        return True
    return False


def _sqlite_template(seed: bool) -> str:
    key = ("sqlite", seed)
    if key not in _templates:
        path = _template_root() / f"{'seeded' if seed else 'migrated'}.sqlite3"
        env = _template_env(SQLITE_PATH=str(path))
        if seed:
            shutil.copyfile(_sqlite_template(False), path)
            manage(env, "seed_demo")
        else:
            manage(env, "migrate", "--noinput", "-v0")
        _checkpoint(path)
        _templates[key] = str(path)
    return _templates[key]


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so that the file alone is the database."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def _pg_is_empty(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT to_regclass('public.django_migrations')").fetchone()
    return row[0] is None


def _pg_copy(template: str, url: str) -> None:
    """Replace the (empty) database of ``url`` by a copy of ``template``."""
    name = url.rsplit("/", 1)[1]
    with _pg_admin(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[1]}"')


def _pg_template(url: str, seed: bool) -> str:
    """A template database on the server of ``url``, dropped when the process ends."""
    server = url.rsplit("/", 1)[0]
    key = (server, seed)
    if key not in _templates:
        name = f"livinglab_template_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with _pg_admin(url) as connection:
            if seed:
                source = _pg_template(url, False).rsplit("/", 1)[1]
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
            else:
                connection.execute(f'CREATE DATABASE "{name}"')
        template = f"{server}/{name}"
        env = _template_env(DATABASE_URL=template)
        if seed:
            manage(env, "seed_demo")
        else:
            manage(env, "migrate", "--noinput", "-v0")
        atexit.register(_pg_drop, template)
        _templates[key] = template
    return _templates[key]


def _pg_drop(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with contextlib.suppress(Exception), _pg_admin(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
