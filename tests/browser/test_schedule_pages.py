"""Consultation schedule pages: axe-clean in French and English, usable without JavaScript."""

from __future__ import annotations

import os

import pytest

from ateliers.models import Meeting, Schedule
from demo.seed import DEMO_ORGANIZER, DEMO_PASSWORD, seed_demo
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCHEDULE_SCREENSHOTS")  # a folder: save screenshots to look at


@pytest.fixture
def demo(db):
    return seed_demo()


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/organize/events/{event}/schedule/",
        "/organize/events/{event}/schedule/?view=person",
        "/organize/events/{event}/schedule/rounds/1/sign-in/",
        "/events/{event}/agenda/?organization={org}",
    ],
)
def test_organizer_schedule_pages_are_accessible(live_server, page, audit, demo, path, lang):
    org = Meeting.objects.filter(schedule__event=demo).first().organization_id
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(
        f"{live_server.url}{path.format(event=demo.pk, org=org)}&lang={lang}".replace(
            "/&lang", "/?lang"
        )
    )
    assert page.locator("html").get_attribute("lang") == lang
    audit(page)
    shot(page, f"{path.split('/')[-2] or 'x'}-{lang}-{abs(hash(path)) % 1000}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_expert_sees_their_agenda(live_server, page, audit, demo, lang):
    meeting = Meeting.objects.filter(schedule__event=demo).select_related("expert").first()
    login(page, live_server, meeting.expert.username, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/events/{demo.pk}/agenda/?lang={lang}")
    audit(page)
    rows = page.locator("table.agenda tbody tr")
    assert rows.count() == Meeting.objects.filter(expert=meeting.expert).count()
    assert meeting.organization.name in page.locator("table.agenda").inner_text()
    shot(page, f"agenda-expert-{lang}")
    # their wishes page, from the agenda's link, also axe-clean and keyboard-usable
    page.click("a[href$='/consultations/wishes/']")
    audit(page)
    page.locator("input[name=max_meetings]").first.fill("2")
    page.locator("input[name=max_meetings]").first.press("Enter")
    page.wait_for_load_state()
    audit(page)


def test_organizer_builds_pins_and_removes_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False, locale="en-CA")
    page = context.new_page()
    try:
        Schedule.objects.filter(event=demo).delete()
        login(page, live_server, *DEMO_ORGANIZER)
        page.goto(f"{live_server.url}/organize/events/{demo.pk}/schedule/?lang=en")
        page.fill("#id_tables", "0")
        page.click("form.form:has(#id_tables) button[type=submit]")
        assert page.locator("#id_tables_error").count() == 1
        page.fill("#id_tables", "4")
        page.fill("#id_rounds", "3")
        page.click("form.form:has(#id_tables) button[type=submit]")
        schedule = Schedule.objects.get(event=demo)
        assert schedule.meetings.count() > 0
        assert page.locator("section.schedule-round").count() == 3
        first = schedule.meetings.order_by("round", "table").first()
        page.locator(f"form[action$='/meetings/{first.pk}/pin/'] button").click()
        assert Meeting.objects.get(pk=first.pk).pinned
        other = schedule.meetings.exclude(pk=first.pk).order_by("round", "table").first()
        page.locator(f"form[action$='/meetings/{other.pk}/remove/'] button").click()
        assert not schedule.meetings.filter(
            organization_id=other.organization_id, expert_id=other.expert_id
        ).exists()
        assert schedule.meetings.filter(
            organization_id=first.organization_id, expert_id=first.expert_id, pinned=True
        ).exists()
        page.click("form[action$='/schedule/publish/'] button")
        schedule.refresh_from_db()
        assert schedule.is_published
    finally:
        context.close()


def test_keyboard_reaches_the_publish_button(live_server, page, demo):
    Schedule.objects.filter(event=demo).update(status="draft")
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(f"{live_server.url}/organize/events/{demo.pk}/schedule/?lang=en")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Publish the schedule":
            break
    else:
        pytest.fail("the publish button is not reachable by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Published" in page.locator(".messages").inner_text()
    assert Schedule.objects.get(event=demo).is_published


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_organizer_sets_a_priority_and_a_meeting_size_with_the_keyboard(
    live_server, page, audit, demo, lang
):
    from ateliers.models import Registration

    reg = (
        Registration.objects.filter(event=demo, role="organization")
        .select_related("organization")
        .order_by("organization__name", "pk")
        .first()
    )
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(f"{live_server.url}/organize/events/{demo.pk}/schedule/?lang={lang}")
    priority = page.locator(f"#priority-{reg.pk}")
    # each select is named for its organisation (a label, hidden but read out)
    assert reg.organization.name in page.locator(f"label[for=priority-{reg.pk}]").inner_text()
    priority.focus()
    page.keyboard.type("2")  # a closed select takes the option its text starts with
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"experts-{reg.pk}"
    page.keyboard.type("2")
    assert (priority.input_value(), page.locator(f"#experts-{reg.pk}").input_value()) == (
        "2",
        "2",
    )
    page.locator("#options-title ~ form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    reg.refresh_from_db()
    assert (reg.priority, reg.experts_per_meeting) == (2, 2)
    assert page.locator(f"#priority-{reg.pk}").input_value() == "2"
    audit(page)
