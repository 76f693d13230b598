"""The API docs, linked from every page's footer: inside the product's page, axe-clean."""

from __future__ import annotations

import pytest

from demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_api_docs_are_accessible(live_server, page, audit, lang):
    seed_demo()
    page.goto(f"{live_server.url}/api/docs/?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1:visible").count() == 1 and page.locator("main").count() == 1
    audit(page)
    assert not page.js_errors
