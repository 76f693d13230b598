"""The first report after a restart versus the next one, with and without warming.

    .venv/bin/python bench/cold_start.py [--runs 2]

Seeds the demo into a throwaway SQLite file, then for each mode starts fresh Python
processes that import the ASGI application (``LIVINGLAB_WARM=1`` warms at start-up, ``0``
does not) and time: the start-up, the first request, the first and second event report
(English) and project report (French). Prints the figures and the load average.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import os, sys, time
t0 = time.perf_counter()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings")
import livinglab.asgi  # noqa: F401  (warms unless LIVINGLAB_WARM=0)
start = time.perf_counter() - t0
from django.test import Client
from ateliers.models import Event, User
from projets.models import Project
c = Client(HTTP_HOST="127.0.0.1")
c.force_login(User.objects.get(username="organisatrice"))
e, p = Event.objects.order_by("id").first(), Project.objects.order_by("id").first()
def t(path):
    a = time.perf_counter()
    r = c.get(path, secure=True)
    b"".join(r.streaming_content) if r.streaming else r.content
    assert r.status_code == 200, (path, r.status_code)
    return time.perf_counter() - a
first = t("/healthz")
ev = [t(f"/api/events/{e.pk}/report.pdf?lang=en") for _ in range(2)]
pr = [t(f"/api/projects/{p.pk}/report.pdf?lang=fr") for _ in range(2)]
print(f"start {start:.2f}s | first request {first:.2f}s | event report {ev[0]:.2f}s then "
      f"{ev[1]:.2f}s | project report {pr[0]:.2f}s then {pr[1]:.2f}s")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="bench-cold-")) / "cold.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PYTHONWARNINGS": "ignore"}
    setup = (
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'livinglab.settings'); django.setup(); from django.core.management import "
        "call_command; call_command('migrate', verbosity=0); "
        "from demo.seed import seed_demo; seed_demo()"
    )
    subprocess.run([sys.executable, "-c", setup], cwd=ROOT, env=env, check=True)
    print(f"load average {os.getloadavg()[0]:.2f}")
    for mode in ("0", "1"):
        label = "warmed at start-up" if mode == "1" else "not warmed (before)"
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD],
                cwd=ROOT,
                env={**env, "LIVINGLAB_WARM": mode},
                capture_output=True,
                text=True,
                check=True,
            )
            print(f"{label:22} {out.stdout.strip().splitlines()[-1]}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
