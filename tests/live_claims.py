"""Many experts claim one help request at once, over HTTP, against a real daphne.

Shared by ``tests/ateliers/test_claims_live.py`` (asserts) and ``bench/claims.py``
(prints figures). The data are written by ``manage.py shell`` in the server's own
database, so the same code works for SQLite and PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

SEED = r"""
import json
from django.contrib.auth.hashers import make_password
from rest_framework.authtoken.models import Token
from ateliers.models import ExpertProfile, HelpRequest, Membership, Organization, Skill, User

n = {experts}
skill, _ = Skill.objects.get_or_create(
    slug="accessibility", defaults={{"name_en": "Accessibility"}}
)
org = Organization.objects.create(name="Centre {tag}", languages=["fr"])
member = User.objects.create(username="member-{tag}", password=make_password(None))
Membership.objects.create(user=member, organization=org)
req = HelpRequest.objects.create(organization=org, title="Race {tag}", language="fr")
req.skills.set([skill])
password = make_password(None)
users = User.objects.bulk_create(
    [User(username=f"racer-{tag}-{{i}}", is_expert=True, password=password) for i in range(n)]
)
users = list(User.objects.filter(username__startswith="racer-{tag}-").order_by("id"))
profiles = ExpertProfile.objects.bulk_create(
    [ExpertProfile(user=u, languages=["fr"]) for u in users]
)
ExpertProfile.skills.through.objects.bulk_create(
    [ExpertProfile.skills.through(expertprofile_id=p.pk, skill_id=skill.pk) for p in profiles]
)
tokens = Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users])
print("SEED" + json.dumps({{"request": req.pk, "tokens": [t.key for t in tokens]}}))
"""


@dataclass
class RaceResult:
    statuses: Counter = field(default_factory=Counter)
    bodies: list[str] = field(default_factory=list)
    settle_seconds: float = 0.0
    winners: list[int] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for code, n in self.statuses.items() if code >= 500 or code == 0)

    @property
    def locked(self) -> int:
        return sum("database is locked" in body for body in self.bodies)


def seed(server, *, experts: int = 50, tag: str = "a") -> tuple[int, list[str]]:
    out = server.manage("shell", "-c", SEED.format(experts=experts, tag=tag)).stdout
    line = next(line for line in out.splitlines() if line.startswith("SEED"))
    data = json.loads(line[4:])
    return data["request"], data["tokens"]


def race(
    base_url: str | list[str], request_id: int, tokens: list[str], *, timeout: float = 60
) -> RaceResult:
    """Every token POSTs ``claim`` at the same instant (a barrier); returns what came back.

    Several base URLs (several daphne processes) take the claimants in turn."""
    result = RaceResult()
    lock = threading.Lock()
    barrier = threading.Barrier(len(tokens))
    bases = [base_url] if isinstance(base_url, str) else list(base_url)

    def one(index: int, token: str) -> None:
        url = f"{bases[index % len(bases)]}/api/help-requests/{request_id}/claim/"
        request = urllib.request.Request(
            url,
            data=b"{}",
            method="POST",
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept-Language": "en",  # the test reads the English conflict message
            },
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                code, body = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            code, body = exc.code, exc.read().decode(errors="replace")
        except OSError as exc:
            code, body = 0, repr(exc)
        with lock:
            result.statuses[code] += 1
            result.bodies.append(body)
            if code == 200:
                result.winners.append(index)

    threads = [threading.Thread(target=one, args=(i, t)) for i, t in enumerate(tokens)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.settle_seconds = time.perf_counter() - start
    return result


def final_state(base_url: str, request_id: int, token: str) -> dict:
    """The request's status and how many claims its history records, read over HTTP."""

    def get(path: str):
        request = urllib.request.Request(
            f"{base_url}{path}", headers={"Authorization": f"Token {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    detail = get(f"/api/help-requests/{request_id}/")
    history = get(f"/api/help-requests/{request_id}/history/")
    return {
        "status": detail["status"],
        "claimed_by": detail["claimed_by"],
        "claims": sum(1 for row in history if row["to_status"] == "claimed"),
    }
