"""Back up and restore the database: ``pg_dump``/``pg_restore`` on PostgreSQL, SQLite's
online backup API on SQLite (safe while the site runs: WAL readers are not blocked).

Used by ``manage.py backup`` and ``manage.py restore`` (docs/deployment.md, "Backups").
A backup is checked after it is written (``pg_restore --list``; ``PRAGMA
integrity_check``); any failure raises ``BackupError`` so the command exits non-zero and
the timer's failure alert fires.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from datetime import datetime
from pathlib import Path

from django.db import connections

PREFIX = "livinglab-"
SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(RuntimeError):
    pass


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict) -> subprocess.CompletedProcess:
    try:
        # Our own argument list (no shell): the binaries and the configured database.
        done = subprocess.run(  # noqa: S603
            cmd, env=env, capture_output=True, text=True, timeout=3600
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(f"{cmd[0]}: {exc}") from exc
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done


def _raw_sqlite(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.connection


def backup(directory: Path, *, alias: str = "default") -> Path:
    """Write one backup file into ``directory``; return its path."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"no backup method for {vendor}")
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
    target = directory / f"{PREFIX}{stamp}{SUFFIXES[vendor]}"
    partial = target.with_name(target.name + ".part")
    if vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        name = connection.settings_dict["NAME"]
        _run(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(partial), *args, name],
            env,
        )
        _run(["pg_restore", "--list", str(partial)], env)
    else:
        destination = sqlite3.connect(partial)
        try:
            _raw_sqlite(alias).backup(destination)
            result = destination.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            destination.close()
        if result != "ok":
            raise BackupError(f"the copy failed its integrity check: {result}")
    partial.chmod(0o600)
    partial.rename(target)
    return target


def rotate(directory: Path, *, keep_days: int, now: float | None = None) -> list[Path]:
    """Delete this tool's backups older than ``keep_days`` days (the newest always stays)."""
    now = now or time.time()
    files = sorted(
        (p for p in directory.glob(f"{PREFIX}*") if p.suffix in SUFFIXES.values()),
        key=lambda p: p.stat().st_mtime,
    )
    removed = []
    for path in files[:-1]:
        if now - path.stat().st_mtime > keep_days * 86400:
            path.unlink()
            removed.append(path)
    return removed


def restore(path: Path, *, alias: str = "default") -> None:
    """Replace the database's content with the backup's (in one transaction on
    PostgreSQL: a failed restore leaves the database as it was)."""
    if not path.is_file():
        raise BackupError(f"{path}: no such backup")
    connection = connections[alias]
    if connection.vendor == "postgresql":
        if path.suffix != ".dump":
            raise BackupError("a PostgreSQL restore takes a .dump made by manage.py backup")
        args, env = _pg_args(connection.settings_dict)
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                *args,
                "-d",
                connection.settings_dict["NAME"],
                str(path),
            ],
            env,
        )
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} failed its integrity check")
            source.backup(_raw_sqlite(alias))
        finally:
            source.close()
    else:
        raise BackupError(f"no restore method for {connection.vendor}")
