"""Backup → wipe → restore finds everything, on the database the suite runs on.

The SQLite pass runs the SQLite test; the PostgreSQL pass of ``make test`` (DATABASE_URL
set) runs the one marked ``postgres`` (pg_dump / pg_restore).
"""

from __future__ import annotations

import os
import time
import uuid

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ateliers.models import Idea, Participant
from demo.seed import DEMO_ORGANIZER, seed_demo
from livinglab import backups


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.app_label != "contenttypes"
    }


def _round_trip(tmp_path):
    seed_demo()
    before = _counts()
    assert before["ateliers.Idea"] > 0 and before["projets.Project"] > 0
    texts = sorted(Idea.objects.values_list("text", flat=True))

    call_command("backup", "--dir", str(tmp_path), verbosity=0)
    (dump,) = list(tmp_path.iterdir())
    assert dump.name.startswith("livinglab-") and oct(dump.stat().st_mode)[-3:] == "600"

    call_command("flush", interactive=False, verbosity=0)  # the wipe
    assert _counts()["ateliers.Idea"] == 0 and _counts()["ateliers.User"] == 0

    call_command("restore", str(dump), "--noinput", verbosity=0)
    assert _counts() == before
    assert sorted(Idea.objects.values_list("text", flat=True)) == texts
    assert authenticate(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1]) is not None
    # the sequences came back too: a new row does not collide with a restored one
    from ateliers.services.board import idea_post

    participant = Participant.objects.first()
    idea, created = idea_post(participant=participant, text="Après", client_id=uuid.uuid4())
    assert created and idea.pk > max(Idea.objects.exclude(pk=idea.pk).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_wipe_restore(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite pass")
    _round_trip(tmp_path)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_wipe_restore(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL pass of make test (DATABASE_URL)")
    _round_trip(tmp_path)


def test_rotation_keeps_the_newest_and_drops_old_ones(tmp_path):
    now = time.time()
    for days in (40, 31, 2):
        path = tmp_path / f"livinglab-{days}.dump"
        path.write_bytes(b"x")
        os.utime(path, (now - days * 86400, now - days * 86400))
    (tmp_path / "other.dump").write_bytes(b"x")
    removed = backups.rotate(tmp_path, keep_days=30, now=now)
    assert sorted(p.name for p in removed) == ["livinglab-31.dump", "livinglab-40.dump"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["livinglab-2.dump", "other.dump"]
    old = tmp_path / "livinglab-2.dump"
    os.utime(old, (now - 90 * 86400, now - 90 * 86400))
    assert backups.rotate(tmp_path, keep_days=30, now=now) == []  # the newest always stays


@pytest.mark.django_db
def test_a_failed_backup_exits_non_zero(tmp_path):
    target = tmp_path / "not-a-dir"
    target.write_text("a file where the folder should be")
    with pytest.raises(CommandError, match="backup failed"):
        call_command("backup", "--dir", str(target), verbosity=0)
    with pytest.raises(CommandError, match="restore failed"):
        call_command("restore", str(tmp_path / "missing.sqlite3"), "--noinput", verbosity=0)


def test_the_failure_alert_mails_the_admins(settings, monkeypatch):
    import io

    from django.core import mail

    settings.ADMINS = [("ops@example.org", "ops@example.org")]
    monkeypatch.setattr("sys.stdin", io.StringIO("pg_dump: connection refused"))
    call_command("alert", "livinglab-backup.service", verbosity=0)
    assert mail.outbox[0].to == ["ops@example.org"]
    assert "livinglab-backup.service failed" in mail.outbox[0].subject
    assert "connection refused" in mail.outbox[0].body
    settings.ADMINS = []
    with pytest.raises(CommandError, match="ADMINS"):
        call_command("alert", "x", verbosity=0)
