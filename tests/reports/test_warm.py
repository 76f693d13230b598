"""Issue 20: the first report after a restart is as fast as the next — what was cold
(the URL configuration's imports, the charts code, fonts, the locale's formats) is loaded
by ``warm()`` when the ASGI application starts. Timings are in bench/cold_start.py; this
checks, in a fresh interpreter, that importing the ASGI application leaves nothing of it
for the first request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings")
import livinglab.asgi  # noqa: F401
from reportlab.pdfbase import pdfmetrics
print(json.dumps({
    "modules": sorted(m for m in sys.modules if m.startswith(("api.views", "projets.reports",
        "ateliers.reports", "reportlab.graphics.charts"))),
    "fonts": sorted(pdfmetrics.getRegisteredFontNames()),
}))
"""


def _probe(env_extra: dict) -> dict:
    env = {**os.environ, **env_extra}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_starting_the_server_warms_what_the_first_report_needs():
    warm = _probe({})
    assert {
        "api.views.reports",
        "api.views.projects",
        "ateliers.reports.event",
        "projets.reports",
    } <= set(warm["modules"])
    assert any(m.startswith("reportlab.graphics.charts") for m in warm["modules"])
    assert len(warm["fonts"]) >= 2
    cold = _probe({"LIVINGLAB_WARM": "0"})
    assert "api.views.reports" not in cold["modules"]
