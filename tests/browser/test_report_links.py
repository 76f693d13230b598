"""The event page offers organizers their PDFs, and everyone the open data; axe-clean."""

from __future__ import annotations

import pytest

from demo.seed import DEMO_ORGANIZER, seed_demo
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    return seed_demo()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_organizer_sees_the_documents_and_the_page_stays_accessible(
    live_server, page, audit, demo, lang
):
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(f"{live_server.url}/events/{demo.pk}/?lang={lang}")
    audit(page)
    report = page.locator(f'a[href="/api/events/{demo.pk}/report.pdf"]')
    assert report.count() == 1
    response = page.request.get(f"{live_server.url}/api/events/{demo.pk}/report.pdf")
    assert response.status == 200
    assert response.body().startswith(b"%PDF-")
    assert page.locator(f'a[href="/api/events/{demo.pk}/poster.pdf"]').count() == 1
    assert page.locator(f'a[href="/api/events/{demo.pk}/badges.pdf"]').count() == 1


def test_visitors_get_the_open_data_but_not_the_documents(live_server, page, demo):
    page.goto(f"{live_server.url}/events/{demo.pk}/?lang=en")
    assert page.locator(f'a[href="/api/events/{demo.pk}/ideas/export.csv"]').count() == 1
    assert page.locator(f'a[href="/api/events/{demo.pk}/report.pdf"]').count() == 0
