"""A real daphne, started as a subprocess on its own SQLite file (or DATABASE_URL).

For what the test client cannot show: real sockets, origin checks, reconnects, several
processes, ``kill -9``. ``DaphneServer`` migrates its database once, can be stopped,
killed and started again on the same data.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


class DaphneServer:
    def __init__(
        self, *, env: dict | None = None, workdir: Path | None = None, port: int | None = None
    ) -> None:
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="livinglab-daphne-"))
        self.port = port or free_port()
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "test-secret-key-for-live-daphne-only-0123456789abcdef",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LIVINGLAB_PLAIN_STATIC": "1",
            "SQLITE_PATH": str(self.workdir / "db.sqlite3"),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.proc: subprocess.Popen | None = None
        self.log = self.workdir / "daphne.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=300,
        )

    def migrate(self, *, seed: bool = False) -> DaphneServer:
        self.manage("migrate", "--noinput", "-v0")
        if seed:
            self.manage("seed_demo")
        return self

    def start(self, timeout: float = 90) -> DaphneServer:
        """Start daphne and wait for /healthz. The start-up (imports, the warm-up of the
        caches) takes 2-5 s on a quiet machine; the generous deadline is for a shared
        one. A server that does not answer is stopped, not left behind."""
        with open(self.log, "ab") as logfile:  # the child keeps its own copy of the fd
            self.proc = self._spawn(logfile)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc.wait()
                raise RuntimeError(f"daphne exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
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
