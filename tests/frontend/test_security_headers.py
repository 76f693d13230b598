"""Every page carries the security headers: a CSP without inline scripts or other hosts,
nosniff, a referrer policy, and no framing. Pages are walked from the URL names of
``frontend.urls`` that need no arguments, plus a few with an event, project or request."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, reverse

from ateliers.models import Event, HelpRequest, User
from demo.seed import DEMO_JOIN_CODE, seed_demo
from frontend import urls as frontend_urls
from projets.models import Project

pytestmark = pytest.mark.django_db


def page_urls():
    urls = []
    for pattern in frontend_urls.urlpatterns:
        if isinstance(pattern, URLPattern) and not pattern.pattern.regex.groupindex:
            try:
                urls.append(reverse(f"frontend:{pattern.name}"))
            except Exception:  # a pattern with unnamed groups
                continue
    event = Event.objects.get(join_code=DEMO_JOIN_CODE)
    project = Project.objects.filter(visibility="public").order_by("pk").first()
    help_request = HelpRequest.objects.order_by("pk").first()
    for name, pk in [
        ("event-detail", event.pk),
        ("board", event.pk),
        ("board-projector", event.pk),
        ("board-moderate", event.pk),
        ("organizer-event", event.pk),
        ("organizer-schedule", event.pk),
        ("project-detail", project.pk),
        ("help-detail", help_request.pk),
    ]:
        urls.append(reverse(f"frontend:{name}", kwargs={"pk": pk}))
    return urls


def check_headers(url, response):
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    scripts = directives.get("script-src", directives.get("default-src", ""))
    assert scripts, (url, csp)
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, (url, csp)
    for directive, sources in directives.items():
        hosts = re.findall(r"(?:https?:|wss?:)?//[^\s]+|\*", sources)
        assert not hosts, (url, directive, sources)
    framing = directives.get("frame-ancestors", "") == "'none'"
    assert framing or response.headers.get("X-Frame-Options") in ("DENY", "SAMEORIGIN"), url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy"), url


@pytest.mark.parametrize("who", ["anonymous", "organizer"])
def test_security_headers_on_every_page(client, who):
    seed_demo()
    if who == "organizer":
        client.force_login(User.objects.filter(is_organizer=True).first())
    urls = page_urls()
    assert len(urls) >= 25
    answered = 0
    for url in urls:
        response = client.get(url, secure=True)
        assert response.status_code < 500, url
        check_headers(url, response)
        answered += response.status_code == 200
    assert answered >= 10


def test_inline_script_would_fail_the_check():
    """The check is not vacuous."""

    class Fake:
        headers = {
            "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        }

    with pytest.raises(AssertionError):
        check_headers("/", Fake())
    Fake.headers["Content-Security-Policy"] = "default-src 'self' https://cdn.example.com"
    with pytest.raises(AssertionError):
        check_headers("/", Fake())
