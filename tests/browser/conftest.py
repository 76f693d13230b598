"""Browser tests: Playwright driving Debian's Chromium, never a downloaded browser.

``page`` is a fresh page for each test against pytest-django's ``live_server``;
``audit(page)`` runs axe-core (shipped inside axe-playwright-python) and fails with a
readable list of violations. ``login(page, live_server, …)`` is in tests/helpers.py.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's sync API runs an event loop in this
    thread while it lives, which the asyncio tests of other modules must not meet."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="fr-CA", viewport={"width": 1024, "height": 800})
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    page.close()


def _format(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n.get("target", [])) for n in v.get("nodes", [])[:5]]
        lines.append(f"- {v['id']} ({v.get('impact')}): {v.get('help')} -> {targets}")
    return "\n".join(lines)


@pytest.fixture
def audit():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page, *, context=None):
        results = axe.run(page, context=context)
        violations = results.response.get("violations", [])
        assert not violations, f"axe violations on {page.url}:\n{_format(violations)}"
        return results

    return run
