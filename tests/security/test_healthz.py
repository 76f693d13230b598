"""Item 13: `/healthz` redirected to https when DEBUG is off (a 301 to load balancers and
supervisors probing over plain HTTP on loopback). It answers 200; the rest redirects."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit


def _get(url: str, path: str) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_healthz_answers_over_plain_http_with_debug_off(production_daphne):
    assert _get(production_daphne.url, "/healthz").status == 200
    # Only the probe is exempt: pages still go to https.
    page = _get(production_daphne.url, "/events/")
    assert page.status == 301
    assert page.getheader("Location", "").startswith("https://")
