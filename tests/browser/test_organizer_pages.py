"""Organizer and profile pages: axe-clean in French and English, and keyboard-only use."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ateliers.models import Event, Organization, Registration
from demo.seed import DEMO_ORGANIZER, DEMO_PASSWORD, seed_demo
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANIZER_PAGES = [
    "/organize/",
    "/organize/events/new/",
    "/organize/events/{event}/",
    "/organize/events/{event}/edit/",
    "/organize/events/{event}/themes/new/",
    "/organize/events/{event}/themes/{theme}/edit/",
    "/organize/events/{event}/themes/{theme}/delete/",
    "/organize/events/{event}/slots/new/",
    "/organize/events/{event}/slots/{slot}/edit/",
    "/organize/events/{event}/slots/{slot}/delete/",
    "/organize/events/{event}/registrations/",
    "/organizations/",
    "/organizations/new/",
    "/organizations/{org}/",
    "/organizations/{org}/edit/",
    "/me/",
    "/me/expert/",
    "/me/preferences/",
]


@pytest.fixture
def demo(db):
    event = seed_demo()
    org = Organization.objects.get(name="Centre des femmes de Verdun")
    return {
        "event": event.pk,
        "theme": event.themes.first().pk,
        "slot": event.slots.first().pk,
        "org": org.pk,
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_organizer_and_profile_pages_are_accessible(live_server, page, audit, demo, lang):
    """One login, every page: each must be in the language asked for and axe-clean."""
    login(page, live_server, *DEMO_ORGANIZER)
    failures = []
    for path in ORGANIZER_PAGES:
        page.goto(f"{live_server.url}{path.format(**demo)}?lang={lang}")
        try:
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("h1").count() == 1
            audit(page)
        except AssertionError as exc:
            failures.append(f"{path}: {exc}")
    assert not failures, "\n".join(failures)
    assert not page.js_errors


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_member_sees_an_accessible_organisation_page(live_server, page, audit, demo, lang):
    login(page, live_server, "membre2", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/organizations/{demo['org']}/?lang={lang}")
    assert page.locator("#add-member-title").count() == 1
    audit(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_form_errors_are_accessible(live_server, page, audit, demo, lang):
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(f"{live_server.url}/organize/events/new/?lang={lang}")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".field-error").count() >= 2
    audit(page)


def _press_and_wait(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def _type_datetime(page, *parts: str) -> None:
    """Chromium's headless datetime-local field: month, day, year, Tab, hour, minute, AM/PM."""
    month, day, year, hour, minute, half = parts
    for part in (month, day, year):
        page.keyboard.type(part)
    page.keyboard.press("Tab")
    for part in (hour, minute, half):
        page.keyboard.type(part)


def _tab_to(page, predicate_js: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"never reached by Tab: {predicate_js}")


def test_keyboard_only_create_event_and_add_theme(live_server, page, demo):
    """An organizer creates an event and adds a theme with the keyboard alone."""
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(f"{live_server.url}/organize/?lang=en")

    _tab_to(page, "(document.activeElement.href || '').endsWith('/organize/events/new/')")
    _press_and_wait(page)
    assert "/organize/events/new/" in page.url

    _tab_to(page, "document.activeElement.id === 'id_title_fr'")
    page.keyboard.type("Atelier au clavier")
    page.keyboard.press("Tab")
    page.keyboard.type("Keyboard workshop")
    _tab_to(page, "document.activeElement.id === 'id_starts_at'")
    _type_datetime(page, "03", "01", "2030", "09", "00", "AM")
    _tab_to(page, "document.activeElement.id === 'id_ends_at'")
    _type_datetime(page, "03", "01", "2030", "05", "00", "PM")
    _tab_to(page, "document.activeElement.id === 'id_venue'")
    page.keyboard.type("Montréal")
    _tab_to(
        page,
        "document.activeElement.type === 'submit' && "
        "document.activeElement.closest('main') !== null",
    )
    _press_and_wait(page)
    errors = page.locator(".errors, .error").all_inner_texts()
    assert page.locator("h1").inner_text() in {"Keyboard workshop", "Atelier au clavier"}, errors
    code = page.locator(".event-join-code").inner_text()
    assert len(code) == 6

    for name_fr, name_en in [("Inclusion", "Inclusion EN"), ("Données", "Data")]:
        _tab_to(page, "(document.activeElement.href || '').endsWith('/themes/new/')")
        _press_and_wait(page)
        _tab_to(page, "document.activeElement.id === 'id_name_fr'")
        page.keyboard.type(name_fr)
        page.keyboard.press("Tab")
        page.keyboard.type(name_en)
        _tab_to(
            page,
            "document.activeElement.type === 'submit' && "
            "document.activeElement.closest('main') !== null",
        )
        _press_and_wait(page)
        assert name_en in page.locator("#themes").inner_text()
    # Move the second theme up, still by keyboard.
    _tab_to(page, "document.activeElement.value === 'up'")
    _press_and_wait(page)
    event = Event.objects.get(title_en="Keyboard workshop")
    local = timezone.localtime(event.starts_at)
    assert (local.year, local.month, local.day, local.hour) == (2030, 3, 1, 9)
    assert timezone.localtime(event.ends_at).hour == 17
    assert event.join_code == code
    assert list(event.themes.values_list("name_fr", flat=True)) == ["Données", "Inclusion"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_register_in_one_click_then_check_in_by_keyboard(live_server, page, audit, demo, lang):
    """A newcomer's organisation registers with one click; the organizer checks it in."""
    org = Organization.objects.get(name="Communautique")
    Registration.objects.filter(organization=org).delete()
    login(page, live_server, "membre1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/events/{demo['event']}/?lang={lang}")
    button = page.locator(f"form:has(input[name=organization][value='{org.pk}']) button")
    with page.expect_navigation():
        button.click()
    assert page.locator(".messages").count() == 1
    assert Registration.objects.filter(organization=org).count() == 1
    audit(page)

    page.context.clear_cookies()
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(
        f"{live_server.url}/organize/events/{demo['event']}/registrations/"
        f"?lang={lang}&role=organization"
    )
    registration = Registration.objects.get(organization=org)
    row = f"#reg-{registration.pk}"
    page.locator(f"{row} button").focus()
    _press_and_wait(page)
    registration.refresh_from_db()
    assert registration.checked_in
    assert page.url.endswith(row)
    assert page.locator(f"{row} button").inner_text().strip()
    audit(page)


def test_pages_reflow_at_320_css_pixels(live_server, page, demo):
    """WCAG 1.4.10: no page scrolls sideways on a 320 px wide screen (tables scroll inside)."""
    login(page, live_server, *DEMO_ORGANIZER)
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for path in [*ORGANIZER_PAGES, "/events/{event}/"]:
        page.goto(f"{live_server.url}{path.format(**demo)}?lang=fr")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    assert not too_wide
