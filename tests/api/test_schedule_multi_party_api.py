"""Multi-party meetings and organisation priority through the API: the organizers'
choices on registrations, the schedule, agendas, feeds, notifications, moves, removals."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from ateliers.models import Meeting, Notification, Registration, Schedule
from tests import factories
from tests.api.test_schedule_api import generate, rounds_for
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(db, organizer):
    """One organisation needing WordPress (high) and accounting (normal), two experts
    covering one each, one organisation needing WordPress (low) only."""
    event = factories.make_event(created_by=organizer)
    member, other = factories.make_user(), factories.make_user()
    velo = factories.make_org("Atelier vélo", members=[member], languages=("fr",))
    factories.make_help_request(velo, skills=["wordpress"], urgency="high", event=event)
    factories.make_help_request(velo, skills=["accounting"], urgency="normal", event=event)
    jardin = factories.make_org("Jardin partagé", members=[other], languages=("fr",))
    factories.make_help_request(jardin, skills=["wordpress"], urgency="low", event=event)
    regs = {
        "velo": factories.make_registration(
            event, user=member, role="organization", organization=velo
        ),
        "jardin": factories.make_registration(
            event, user=other, role="organization", organization=jardin
        ),
    }
    web = factories.make_expert("web", skills=["wordpress"], languages=["fr"])
    compta = factories.make_expert("compta", skills=["accounting"], languages=["fr"])
    for person in (web, compta):
        factories.make_registration(event, user=person, role="expert")
    return {
        "event": event,
        "member": member,
        "other": other,
        "velo": velo,
        "jardin": jardin,
        "regs": regs,
        "web": web,
        "compta": compta,
    }


def patch(client, reg, **body):
    return client.patch(
        f"/api/events/{reg.event_id}/registrations/{reg.pk}/?lang=en", body, format="json"
    )


def test_only_organizers_set_priority_and_meeting_size(table, organizer):
    reg = table["regs"]["velo"]
    member = token_client(table["member"])
    response = patch(member, reg, priority=2, max_meetings=1)
    assert response.status_code == 403
    reg.refresh_from_db()
    assert (reg.priority, reg.experts_per_meeting, reg.max_meetings) == (0, 1, None)
    # the member may still change what is theirs to change
    assert patch(member, reg, max_meetings=1).status_code == 200
    admin = token_client(organizer)
    for bad in ({"priority": 4}, {"experts_per_meeting": 0}, {"experts_per_meeting": 4}):
        response = patch(admin, reg, **bad)
        assert response.status_code == 400
        assert set(response.json()) >= set(bad)
    response = patch(admin, reg, priority=2, experts_per_meeting=3)
    assert response.status_code == 200
    assert (response.json()["priority"], response.json()["experts_per_meeting"]) == (2, 3)
    expert_reg = Registration.objects.get(event=table["event"], user=table["web"])
    assert patch(admin, expert_reg, priority=1).status_code == 400
    # nor can a member give one when registering (refused before anything is written)
    response = member.post(
        f"/api/events/{reg.event_id}/registrations/",
        {"role": "participant", "priority": 1},
        format="json",
    )
    assert response.status_code == 403
    assert not Registration.objects.filter(user=table["member"], role="participant").exists()


def _one_table(table, organizer, rounds=1):
    client = token_client(organizer)
    reg = table["regs"]["velo"]
    assert patch(client, reg, experts_per_meeting=2, max_meetings=1).status_code == 200
    # the other organisation is not there: one organisation, two experts
    table["regs"]["jardin"].delete()
    response = generate(
        client, table["event"], tables=1, rounds=rounds_for(table["event"], n=rounds)
    )
    assert response.status_code == 201, response.json()
    return client, response.json()


def test_a_multi_party_meeting_seats_both_experts_and_everyone_sees_them(table, organizer):
    client, data = _one_table(table, organizer)
    web, compta = table["web"], table["compta"]
    (meeting,) = data["meetings"]
    assert meeting["expert"] == web.pk  # the lead: the heavier need
    assert meeting["experts"] == [web.pk, compta.pk]
    assert meeting["expert_names"] == [web.public_name, compta.public_name]
    assert meeting["fit"] == 3 + 2
    assert data["stats"]["multi_party"] == 1
    assert [c["experts"] for c in data["changes"]] == [[web.pk, compta.pk]]
    event = table["event"]
    assert client.post(f"/api/events/{event.pk}/schedule/publish/").status_code == 200
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {web.pk, compta.pk, table["member"].pk}
    # the co-expert's agenda, calendar and feed have the meeting
    mine = token_client(compta).get(f"/api/events/{event.pk}/agenda/?lang=en").json()
    (entry,) = mine["meetings"] if "meetings" in mine else mine["entries"]
    assert entry["as"] == "expert"
    assert entry["with"]["name"] == f"Atelier vélo (with {web.public_name})"
    ics = token_client(compta).get(f"/api/events/{event.pk}/agenda.ics?lang=en")
    (vevent,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert "Atelier vélo" in str(vevent["SUMMARY"])
    feed = token_client(compta).get("/api/me/agenda-feed/").json()["url"]
    path = feed[feed.index("/api/") :]
    assert len(Calendar.from_ical(client.get(path).content).walk("VEVENT")) == 1
    # the organisation sees both experts
    theirs = token_client(table["member"]).get(f"/api/events/{event.pk}/agenda/?lang=en").json()
    (entry,) = theirs["meetings"] if "meetings" in theirs else theirs["entries"]
    assert entry["with"]["name"] == f"{web.public_name} and {compta.public_name}"
    assert entry["experts"] == [web.pk, compta.pk]


def test_after_publishing_a_multi_party_meeting_moves_and_goes_with_all_its_experts(
    table, organizer
):
    client, data = _one_table(table, organizer, rounds=2)
    event, web, compta = table["event"], table["web"], table["compta"]
    (meeting,) = data["meetings"]
    assert client.post(f"/api/events/{event.pk}/schedule/publish/").status_code == 200
    Notification.objects.all().delete()
    other_round = 3 - meeting["round"]
    response = client.post(
        f"/api/events/{event.pk}/schedule/pin/",
        {"organization": table["velo"].pk, "expert": web.pk, "round": other_round},
        format="json",
    )
    assert response.status_code == 200, response.json()
    (moved,) = response.json()["meetings"]
    assert (moved["id"], moved["round"], moved["experts"]) == (
        meeting["id"],
        other_round,
        [web.pk, compta.pk],
    )
    assert [c["kind"] for c in response.json()["changes"]] == ["moved"]
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {web.pk, compta.pk, table["member"].pk}
    # pinning the co-expert alone with the organisation elsewhere is refused: they meet
    response = client.post(
        f"/api/events/{event.pk}/schedule/pin/?lang=en",
        {"organization": table["velo"].pk, "expert": compta.pk, "round": meeting["round"]},
        format="json",
    )
    assert response.status_code == 400
    assert Meeting.objects.count() == 1
    Notification.objects.all().delete()
    response = client.post(
        f"/api/events/{event.pk}/schedule/remove/",
        {"meeting": meeting["id"], "refill": False},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["changes"][0]["experts"] == [web.pk, compta.pk]
    schedule = Schedule.objects.get(event=event)
    assert sorted(map(tuple, schedule.removed)) == [
        (table["velo"].pk, web.pk),
        (table["velo"].pk, compta.pk),
    ]
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {web.pk, compta.pk, table["member"].pk}


def test_priority_gives_the_one_seat_to_the_priority_organisation(table, organizer):
    client = token_client(organizer)
    event = table["event"]
    table["compta"].registrations.all().delete()
    one = rounds_for(event, n=1)
    data = generate(client, event, tables=1, rounds=one).json()
    assert [m["organization"] for m in data["meetings"]] == [table["velo"].pk]
    assert patch(client, table["regs"]["jardin"], priority=1).status_code == 200
    data = generate(client, event, tables=1, rounds=one).json()
    assert [(m["organization"], m["expert"], m["fit"]) for m in data["meetings"]] == [
        (table["jardin"].pk, table["web"].pk, 1)
    ]
    assert data["stats"]["objective"] == 1 + 10 + 25


def test_a_pinned_table_keeps_what_the_organisation_now_seats(table, organizer):
    client, data = _one_table(table, organizer, rounds=2)
    event, web = table["event"], table["web"]
    (meeting,) = data["meetings"]
    response = client.post(
        f"/api/events/{event.pk}/schedule/pin/", {"meeting": meeting["id"]}, format="json"
    )
    assert response.status_code == 200
    # the organizer brings the organisation back to one expert a meeting, then rebuilds
    assert patch(client, table["regs"]["velo"], experts_per_meeting=1).status_code == 200
    response = generate(client, event, tables=1, rounds=rounds_for(event, n=2))
    assert response.status_code == 201, response.json()
    (kept,) = response.json()["meetings"]
    assert (kept["round"], kept["experts"], kept["pinned"]) == (meeting["round"], [web.pk], True)
    assert sorted(c["kind"] for c in response.json()["changes"]) == ["added", "removed"]
