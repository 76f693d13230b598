"""Several daphne processes on one PostgreSQL database and one Redis (tests and bench).

``Cluster`` makes a fresh database on the PostgreSQL server named by ``DATABASE_URL``,
starts its own ``redis-server`` on a free loopback port (so a test may stop and restart
it without touching the session's Redis), migrates and seeds once, and runs N
``DaphneServer``s on that data. ``BoardClient`` is a real ``websockets`` board client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.helpers import live_json as http
from tests.live import DaphneServer, free_port
from tests.pg import PostgresServer

DEMO_CODE = "TECHWK"


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class RedisServer:
    """A throw-away ``redis-server`` (no persistence) that can be stopped and restarted."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        with open(self.workdir / "redis.log", "ab") as log:
            self.proc = subprocess.Popen(
                [
                    *(binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                    *("--appendonly", "no", "--dir", str(self.workdir)),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


class Cluster:
    def __init__(self, processes: int = 2, *, env: dict | None = None) -> None:
        base = postgres_url()
        if base is None:
            raise RuntimeError("DATABASE_URL does not name a PostgreSQL server")
        parsed = urlparse(base)
        self.pg = PostgresServer(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
        )
        self.pg_admin = base
        self.workdir = Path(tempfile.mkdtemp(prefix="livinglab-cluster-"))
        self.redis = RedisServer(self.workdir)
        self.processes = processes
        self.extra_env = env or {}
        self.database_url: str | None = None
        self.servers: list[DaphneServer] = []

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            conn.execute(sql)

    def start(self) -> Cluster:
        name = f"livinglab_cluster_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.database_url = self.pg.url(name)
        self.redis.start()
        env = {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis.url,
            "THROTTLE_JOIN": "100000/min",
            **self.extra_env,
        }
        for index in range(self.processes):
            workdir = self.workdir / f"daphne{index}"
            workdir.mkdir()
            self.servers.append(DaphneServer(env=env, workdir=workdir))
        self.servers[0].migrate(seed=True)
        for server in self.servers:
            server.start()
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        self.redis.stop()
        if self.database_url:
            name = self.database_url.rsplit("/", 1)[1]
            with contextlib.suppress(Exception):
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(self.workdir, ignore_errors=True)


def join(server, name="Invitée", code=DEMO_CODE):
    status, body = http(server, "POST", "/api/join/", {"code": code, "display_name": name})
    assert status == 201, (status, body)
    return body["token"], body["event"]["id"]


def board_log(server, event_id: int, since: int = 0) -> list[dict]:
    status, body = http(server, "GET", f"/api/events/{event_id}/board/?since={since}")
    assert status == 200, (status, body)
    assert body["snapshot"] is None, "the log is longer than the replay limit"
    return body["events"]


class BoardClient:
    """A board client on one server: keeps every logged event it was sent, in order."""

    def __init__(self, server, event_id: int, token: str | None = None) -> None:
        self.server = server
        self.event_id = event_id
        self.token = token
        self.ws = None
        self.events: list[dict] = []  # logged events (with a seq), as received
        self.errors: list[dict] = []
        self.acks: dict[str, dict] = {}
        self.welcome: dict | None = None

    @property
    def seqs(self) -> list[int]:
        return [e["seq"] for e in self.events]

    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else self.welcome["seq"]

    async def open(self, server=None, since: int | None = None) -> dict:
        self.server = server or self.server
        self.ws = await connect(
            f"{self.server.ws_url}/ws/events/{self.event_id}/board/",
            origin=self.server.url,
            max_size=2**22,
        )
        hello = {"type": "hello", "token": self.token}
        if since is not None:
            hello["since"] = since
        await self.ws.send(json.dumps(hello))
        while True:
            message = await self._recv(10)
            if message["type"] == "welcome":
                self.welcome = message
                return message
            self._keep(message)

    def _keep(self, message: dict) -> None:
        if message["type"] == "ack":
            self.acks[message.get("client_id") or f"ack{len(self.acks)}"] = message
        elif message["type"] == "error":
            self.errors.append(message)
        elif "seq" in message and message["type"] != "pong":
            self.events.append(message)

    async def _recv(self, timeout: float) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def pump(self, until, timeout: float = 15) -> None:
        """Keep what arrives until ``until(self)`` holds."""
        deadline = time.monotonic() + timeout
        while not until(self):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"still waiting; seqs so far {self.seqs[-5:]}")
            self._keep(await self._recv(left))

    async def read_until_closed(self, timeout: float = 15) -> None:
        """Keep what the server sent before its socket died."""
        with contextlib.suppress(ConnectionClosed):
            await self.pump(lambda _: False, timeout)

    async def post(self, text: str, client_id: str | None = None) -> dict:
        client_id = client_id or str(uuid.uuid4())
        message = {"type": "idea.create", "client_id": client_id, "text": text}
        await self.ws.send(json.dumps(message))

        def answered(me):
            return client_id in me.acks or any(e.get("client_id") == client_id for e in me.errors)

        await self.pump(answered)
        if client_id in self.acks:
            return self.acks[client_id]
        return next(e for e in self.errors if e.get("client_id") == client_id)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
