"""Schedule pages through Django's test client: who may see what, PDFs, bad input."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from ateliers.models import Meeting, Schedule
from demo.seed import DEMO_ORGANIZER, seed_demo
from tests import factories
from tests.helpers import assert_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return seed_demo()


def test_only_organizers_reach_the_schedule_board(client, demo):
    url = f"/organize/events/{demo.pk}/schedule/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(factories.make_user())
    assert client.get(url).status_code == 403
    assert client.get(f"{url}rounds/1/sign-in/").status_code == 403


def test_board_sign_in_sheet_and_its_pdf(client, demo):
    client.login(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1])
    response = client.get(f"/organize/events/{demo.pk}/schedule/")
    assert response.status_code == 200
    meeting = Meeting.objects.filter(schedule__event=demo, round=2).first()
    sheet = client.get(f"/organize/events/{demo.pk}/schedule/rounds/2/sign-in/")
    assert sheet.status_code == 200
    assert escape(meeting.organization.name) in sheet.content.decode()
    pdf = client.get(f"/organize/events/{demo.pk}/schedule/rounds/2/sign-in/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert meeting.expert.public_name in text
    assert client.get(f"/organize/events/{demo.pk}/schedule/rounds/9/sign-in/").status_code == 404


def test_bad_build_input_shows_field_errors(client, demo):
    client.login(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1])
    before = list(Meeting.objects.values_list("pk", flat=True))
    response = client.post(
        f"/organize/events/{demo.pk}/schedule/?lang=en",
        {
            "first_start": "2030-01-01T10:00",  # outside the event
            "rounds": 3,
            "minutes": 20,
            "break_minutes": 5,
            "tables": 4,
        },
    )
    assert response.status_code == 200
    assert "outside" in response.content.decode()
    assert list(Meeting.objects.values_list("pk", flat=True)) == before


def test_agenda_page_before_publishing_and_for_others(client, demo):
    Schedule.objects.filter(event=demo).update(status="draft")
    meeting = Meeting.objects.filter(schedule__event=demo).select_related("expert").first()
    client.force_login(meeting.expert)
    response = client.get(f"/events/{demo.pk}/agenda/")
    assert response.status_code == 200
    assert escape(meeting.organization.name) not in response.content.decode()
    Schedule.objects.filter(event=demo).update(status="published")
    response = client.get(f"/events/{demo.pk}/agenda/")
    assert escape(meeting.organization.name) in response.content.decode()
    other = Meeting.objects.filter(schedule__event=demo).exclude(expert=meeting.expert).first()
    assert client.get(f"/events/{demo.pk}/agenda/?expert={other.expert_id}").status_code == 403
    assert client.get(f"/events/{demo.pk}/agenda/?expert=x").status_code == 404


def test_event_page_links_to_my_consultations_once_published(client, demo):
    meeting = Meeting.objects.filter(schedule__event=demo).select_related("expert").first()
    client.force_login(meeting.expert)
    agenda = f"/events/{demo.pk}/agenda/"
    assert agenda in client.get(f"/events/{demo.pk}/").content.decode()
    Schedule.objects.filter(event=demo).update(status="draft")
    assert agenda not in client.get(f"/events/{demo.pk}/").content.decode()
    client.logout()
    Schedule.objects.filter(event=demo).update(status="published")
    assert agenda not in client.get(f"/events/{demo.pk}/").content.decode()


def test_board_and_agenda_pages_have_constant_queries(client, demo):
    client.login(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1])
    meeting = Meeting.objects.filter(schedule__event=demo).first()
    schedule = f"/organize/events/{demo.pk}/schedule/"
    pages = {  # the same count with the whole demo schedule and with a few meetings
        "page schedule board (demo)": schedule,
        "page schedule board by person (demo)": f"{schedule}?view=person",
        "page schedule sign-in sheet (demo)": f"{schedule}rounds/1/sign-in/",
        "page agenda of an expert (demo)": f"/events/{demo.pk}/agenda/?expert={meeting.expert_id}",
    }
    for name, url in pages.items():
        with assert_queries(name):
            assert client.get(url).status_code == 200
    assert Meeting.objects.filter(schedule__event=demo).count() > 10
    Meeting.objects.filter(schedule__event=demo).exclude(expert_id=meeting.expert_id).exclude(
        round=1, table=1
    ).delete()
    for name, url in pages.items():
        with assert_queries(name):
            client.get(url)


def test_board_names_organisations_without_help_requests(client, demo):
    org = factories.make_org("Atelier sans demande")
    factories.make_registration(
        demo, user=factories.make_member(org), role="organization", organization=org
    )
    client.login(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1])
    page = client.get(f"/organize/events/{demo.pk}/schedule/?lang=en").content.decode()
    assert "no open help request" in page
    assert "Atelier sans demande" in page


def test_a_no_show_from_the_board_says_exactly_what_changed(client, demo):
    schedule = Schedule.objects.get(event=demo)
    if not schedule.is_published:
        from ateliers.services.schedule import schedule_publish

        schedule_publish(
            actor=schedule.generated_by or factories.make_organizer(), schedule=schedule
        )
    client.login(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1])
    page = client.get(f"/organize/events/{demo.pk}/schedule/?lang=en").content.decode()
    assert "Organisation absent" in page
    meeting = Meeting.objects.filter(schedule=schedule).order_by("pk").first()
    others = {
        m.pk: (m.round, m.table)
        for m in Meeting.objects.filter(schedule=schedule).exclude(pk=meeting.pk)
    }
    url = f"/organize/events/{demo.pk}/schedule/meetings/{meeting.pk}/no-show/?lang=en"
    response = client.post(url, {"absent": "expert"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "No-show noted." in text and "What changed:" in text
    assert escape(meeting.organization.name) in text
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    for pk, place in others.items():
        assert (Meeting.objects.get(pk=pk).round, Meeting.objects.get(pk=pk).table) == place
    client.force_login(factories.make_user())
    assert client.post(url, {"absent": "expert"}).status_code == 403
