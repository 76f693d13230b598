"""Consultation schedule through the API: generate, read, pin, remove, publish, agendas."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.dateparse import parse_datetime
from icalendar import Calendar

from ateliers.models import Meeting, Notification, Schedule
from ateliers.schedule.solver import Expert, Org, Problem
from ateliers.schedule.validate import violations
from tests import factories
from tests.helpers import assert_queries, token_client

pytestmark = pytest.mark.django_db


def rounds_for(event, n=3, minutes=20, start_after=60):
    start = event.starts_at + timedelta(minutes=start_after)
    return [
        {
            "starts_at": (start + timedelta(minutes=i * (minutes + 5))).isoformat(),
            "ends_at": (start + timedelta(minutes=i * (minutes + 5) + minutes)).isoformat(),
        }
        for i in range(n)
    ]


@pytest.fixture
def cast(db, organizer):
    """An event with four organisations (help requests = needs) and three experts."""
    event = factories.make_event(created_by=organizer)
    orgs, members = [], []
    specs = [
        ("Cuisine collective", ("fr",), [("wordpress", "high"), ("accounting", "low")]),
        ("Friends of the park", ("en",), [("wordpress", "normal")]),
        ("Maison des jeunes", ("fr", "en"), [("privacy", "high")]),
        ("Ressourcerie", ("fr",), [("video", "normal")]),  # nobody covers it
    ]
    for name, langs, needs in specs:
        member = factories.make_user()
        org = factories.make_org(name, members=[member], languages=langs)
        for skill, urgency in needs:
            factories.make_help_request(org, skills=[skill], urgency=urgency, event=event)
        factories.make_registration(event, user=member, role="organization", organization=org)
        orgs.append(org)
        members.append(member)
    experts = [
        factories.make_expert("webfr", skills=["wordpress", "accounting"], languages=["fr"]),
        factories.make_expert("weben", skills=["wordpress", "privacy"], languages=["en"]),
        factories.make_expert("priv", skills=["privacy"], languages=["fr", "en"]),
    ]
    for expert in experts:
        factories.make_registration(event, user=expert, role="expert")
    # the third expert is there only for the first round
    reg = experts[2].registrations.get(event=event)
    first = rounds_for(event)[0]
    reg.available = [first]
    reg.save()
    return {"event": event, "orgs": orgs, "members": members, "experts": experts}


def generate(client, event, **body):
    """POST the schedule's build; messages come back in English (``?lang=en``)."""
    body.setdefault("rounds", rounds_for(event))
    body.setdefault("tables", 2)
    return client.post(f"/api/events/{event.pk}/schedule/?lang=en", body, format="json")


def problem_from_db(schedule) -> Problem:
    """An independent reading of the database for the validator."""
    from ateliers.selectors.matching import organization_needs

    event = schedule.event
    needs = organization_needs(event)
    orgs = [
        Org(
            id=r.organization_id,
            languages=frozenset(r.organization.languages),
            needs=needs.get(r.organization_id, {}),
            max_meetings=r.max_meetings,
        )
        for r in event.registrations.filter(role="organization")
    ]
    experts = []
    for r in event.registrations.filter(role="expert"):
        profile = r.user.expert_profile
        rounds = None
        if r.available:
            p = parse_datetime
            rounds = frozenset(
                n
                for n, rd in enumerate(schedule.rounds, start=1)
                if any(
                    p(w["starts_at"]) <= p(rd["starts_at"]) and p(rd["ends_at"]) <= p(w["ends_at"])
                    for w in r.available
                )
            )
        experts.append(
            Expert(
                id=r.user_id,
                languages=frozenset(profile.languages),
                skills=frozenset(s.slug for s in profile.skills.all()),
                rounds=rounds,
                max_meetings=r.max_meetings,
            )
        )
    return Problem(
        organizations=orgs,
        experts=experts,
        rounds=len(schedule.rounds),
        tables=schedule.tables,
        max_meetings_per_organization=schedule.max_meetings_per_organization,
    )


def solver_meetings(schedule):
    from ateliers.schedule.solver import Meeting as M

    return [
        M(m.organization_id, m.expert_id, m.round, m.table, m.fit) for m in schedule.meetings.all()
    ]


def test_organizer_generates_and_reads_the_schedule(cast, organizer):
    client = token_client(organizer)
    event = cast["event"]
    response = generate(client, event)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data["stats"]) >= {"objective", "fit", "organizations_served", "upper_bound"}
    assert data["status"] == "draft"
    schedule = Schedule.objects.get(event=event)
    assert violations(problem_from_db(schedule), solver_meetings(schedule)) == []
    # three organisations can be served, the fourth needs video that nobody covers
    assert data["stats"]["organizations_served"] == 3
    assert data["stats"]["objective"] == data["stats"]["upper_bound"]
    for m in data["meetings"]:
        assert 1 <= m["round"] <= 3 and 1 <= m["table"] <= 2
        assert m["fit"] > 0 and m["reasons"]
        assert set(m) >= {"organization", "expert", "round", "table", "fit", "reasons"}
    # the expert there only in the first round meets only then
    priv = cast["experts"][2].pk
    assert {m["round"] for m in data["meetings"] if m["expert"] == priv} <= {1}
    again = client.get(f"/api/events/{event.pk}/schedule/")
    assert again.status_code == 200
    assert again.json()["meetings"] == data["meetings"]


def test_registration_wishes_and_limits_are_respected(cast, organizer):
    """An organisation asks for one meeting, an expert gives one: the schedule keeps both."""
    event = cast["event"]
    wants_one, limited = cast["orgs"][2], cast["experts"][1]
    without = generate(token_client(organizer), event).json()["meetings"]
    assert sum(m["organization"] == wants_one.pk for m in without) == 2
    assert sum(m["expert"] == limited.pk for m in without) == 2
    base = f"/api/events/{event.pk}/registrations/"
    reg = wants_one.registrations.get(event=event)
    member = token_client(cast["members"][2])
    response = member.patch(f"{base}{reg.pk}/", {"max_meetings": 1}, format="json")
    assert response.status_code == 200 and response.json()["max_meetings"] == 1
    reg = limited.registrations.get(event=event)
    response = token_client(limited).patch(f"{base}{reg.pk}/", {"max_meetings": 1}, format="json")
    assert response.status_code == 200, response.json()
    for bad in (-1, 49, "many", True):
        response = token_client(limited).patch(
            f"{base}{reg.pk}/", {"max_meetings": bad}, format="json"
        )
        assert response.status_code == 400 and "max_meetings" in response.json(), bad
    data = generate(token_client(organizer), event).json()
    assert sum(m["organization"] == wants_one.pk for m in data["meetings"]) == 1
    assert sum(m["expert"] == limited.pk for m in data["meetings"]) == 1
    schedule = Schedule.objects.get(event=event)
    assert violations(problem_from_db(schedule), solver_meetings(schedule)) == []
    assert data["stats"]["objective"] == data["stats"]["upper_bound"]
    # a new registration may carry it too
    newcomer = factories.make_expert("newcomer", skills=["privacy"], languages=["fr"])
    response = token_client(newcomer).post(
        base, {"role": "expert", "max_meetings": 2}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["max_meetings"] == 2
    response = token_client(newcomer).post(
        base, {"role": "expert", "max_meetings": -2}, format="json"
    )
    assert response.status_code == 400 and "max_meetings" in response.json()


def test_shared_language_is_respected(cast, organizer):
    generate(token_client(organizer), cast["event"])
    for m in Meeting.objects.select_related("organization", "expert__expert_profile"):
        assert set(m.organization.languages) & set(m.expert.expert_profile.languages)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rounds": []}, "rounds"),
        ({"tables": 0}, "tables"),
        ({"tables": "many"}, "tables"),
        ({"max_meetings_per_organization": 0}, "max_meetings_per_organization"),
        ({"rounds": [{"starts_at": "soon", "ends_at": "later"}]}, "rounds"),
        ({"rounds": "three"}, "rounds"),
    ],
)
def test_bad_input_gets_400_with_the_field(cast, organizer, body, field):
    response = generate(token_client(organizer), cast["event"], **body)
    assert response.status_code == 400
    assert field in response.json()


def test_overlapping_reversed_and_outside_rounds_get_400(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    r = rounds_for(event, n=2)
    overlapping = [r[0], {"starts_at": r[0]["starts_at"], "ends_at": r[1]["ends_at"]}]
    reversed_ = [{"starts_at": r[0]["ends_at"], "ends_at": r[0]["starts_at"]}]
    outside = [
        {
            "starts_at": (event.ends_at + timedelta(hours=1)).isoformat(),
            "ends_at": (event.ends_at + timedelta(hours=2)).isoformat(),
        }
    ]
    for rounds, words in (
        (overlapping, "overlap"),
        (reversed_, "end after"),
        (outside, "outside"),
    ):
        response = generate(client, event, rounds=rounds)
        assert response.status_code == 400
        assert words in " ".join(response.json()["rounds"])
    assert not Schedule.objects.exists()


def test_only_organizers_generate_and_drafts_are_hidden(cast, expert):
    event = cast["event"]
    assert generate(token_client(expert), event).status_code == 403
    assert generate(token_client(), event).status_code in (401, 403)
    organizer = factories.make_organizer()
    generate(token_client(organizer), event)
    member = cast["members"][0]
    assert token_client(member).get(f"/api/events/{event.pk}/schedule/").status_code == 404
    assert token_client(member).get(f"/api/events/{event.pk}/agenda/").status_code == 404


def move_first_to_table_2(client, event, first):
    """Pin ``first``'s pair in another round (3, or 2 when it is in 3), at table 2."""
    target_round = 3 if first["round"] != 3 else 2
    response = client.post(
        f"/api/events/{event.pk}/schedule/pin/",
        {
            "organization": first["organization"],
            "expert": first["expert"],
            "round": target_round,
            "table": 2,
        },
        format="json",
    )
    return target_round, response


def test_pin_then_remove_re_solves_around_the_pin(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    data = generate(client, event).json()
    first = data["meetings"][0]
    # move the first meeting to another round and table, pinned there
    target_round, response = move_first_to_table_2(client, event, first)
    assert response.status_code == 200, response.json()
    pinned = [m for m in response.json()["meetings"] if m["pinned"]]
    assert [(m["organization"], m["expert"], m["round"], m["table"]) for m in pinned] == [
        (first["organization"], first["expert"], target_round, 2)
    ]
    schedule = Schedule.objects.get(event=event)
    assert violations(problem_from_db(schedule), solver_meetings(schedule)) == []
    # remove another meeting: the pair never comes back, the pin stays
    other = next(m for m in response.json()["meetings"] if not m["pinned"])
    response = client.post(
        f"/api/events/{event.pk}/schedule/remove/", {"meeting": other["id"]}, format="json"
    )
    assert response.status_code == 200
    pairs = {(m["organization"], m["expert"]) for m in response.json()["meetings"]}
    assert (other["organization"], other["expert"]) not in pairs
    assert any(m["pinned"] for m in response.json()["meetings"])
    # a new generation keeps pins and removals
    data = generate(client, event).json()
    pairs = {(m["organization"], m["expert"]) for m in data["meetings"]}
    assert (other["organization"], other["expert"]) not in pairs
    assert (first["organization"], first["expert"], target_round) in {
        (m["organization"], m["expert"], m["round"]) for m in data["meetings"] if m["pinned"]
    }


def test_pin_that_breaks_a_rule_gets_400(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    generate(client, event)
    fr_only_org = cast["orgs"][0]
    en_only_expert = cast["experts"][1]
    response = client.post(
        f"/api/events/{event.pk}/schedule/pin/",
        {"organization": fr_only_org.pk, "expert": en_only_expert.pk, "round": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "pinned" in response.json()
    for body in ({"round": 1}, {"meeting": 999999}, {"organization": "x"}):
        response = client.post(f"/api/events/{event.pk}/schedule/pin/", body, format="json")
        assert response.status_code in (400, 404)


def test_publish_then_agendas_match_the_schedule(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    data = generate(client, event).json()
    assert client.post(f"/api/events/{event.pk}/schedule/publish/").status_code == 200
    assert client.post(f"/api/events/{event.pk}/schedule/publish/").status_code == 409
    told = set(
        Notification.objects.filter(kind="schedule.published").values_list(
            "recipient_id", flat=True
        )
    )
    for member, org in zip(cast["members"], cast["orgs"], strict=True):
        agenda = token_client(member).get(f"/api/events/{event.pk}/agenda/")
        assert agenda.status_code == 200
        mine = [
            (m["expert"], m["round"], m["table"])
            for m in data["meetings"]
            if m["organization"] == org.pk
        ]
        got = [(m["expert"], m["round"], m["table"]) for m in agenda.json()["meetings"]]
        assert sorted(got) == sorted(mine)
        assert all(
            m["with"]["type"] == "expert" and m["reasons"] for m in agenda.json()["meetings"]
        )
        assert all(m["starts_at"] and m["ends_at"] for m in agenda.json()["meetings"])
        assert (member.pk in told) == bool(mine)
    for expert in cast["experts"]:
        agenda = token_client(expert).get(f"/api/events/{event.pk}/agenda/").json()
        mine = sorted(
            (m["organization"], m["round"], m["table"])
            for m in data["meetings"]
            if m["expert"] == expert.pk
        )
        assert (
            sorted((m["organization"], m["round"], m["table"]) for m in agenda["meetings"]) == mine
        )
    # organizers look at anyone's agenda; others may not
    org = cast["orgs"][0]
    response = client.get(f"/api/events/{event.pk}/agenda/?organization={org.pk}")
    assert response.status_code == 200 and response.json()["name"] == org.name
    other = cast["members"][1]
    response = token_client(other).get(f"/api/events/{event.pk}/agenda/?organization={org.pk}")
    assert response.status_code == 403
    response = client.get(f"/api/events/{event.pk}/agenda/?expert=abc")
    assert response.status_code == 400


def test_agenda_ical_and_pdf(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    generate(client, event)
    client.post(f"/api/events/{event.pk}/schedule/publish/")
    member, org = cast["members"][0], cast["orgs"][0]
    meetings = list(Meeting.objects.filter(organization=org))
    assert meetings
    response = token_client(member).get(f"/api/events/{event.pk}/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    vevents = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(vevents) == len(meetings)
    tables = {m.table for m in meetings}
    assert all(any(f"table {t}" in str(v["summary"]).lower() for t in tables) for v in vevents)
    response = token_client(member).get(f"/api/events/{event.pk}/agenda.pdf?lang=fr")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert org.name in text
    assert "Table" in text
    for m in meetings:
        assert m.expert.public_name in text


def test_changes_after_publishing_notify_the_people_affected(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    data = generate(client, event).json()
    client.post(f"/api/events/{event.pk}/schedule/publish/")
    Notification.objects.all().delete()
    victim = data["meetings"][0]
    untouched = {
        (m["organization"], m["expert"], m["round"], m["table"])
        for m in data["meetings"]
        if m["id"] != victim["id"]
    }
    response = client.post(
        f"/api/events/{event.pk}/schedule/remove/", {"meeting": victim["id"]}, format="json"
    )
    assert response.status_code == 200
    after = {
        (m["organization"], m["expert"], m["round"], m["table"])
        for m in response.json()["meetings"]
    }
    assert untouched <= after  # after publishing, nobody else moves
    told = set(
        Notification.objects.filter(kind="schedule.changed").values_list("recipient_id", flat=True)
    )
    assert victim["expert"] in told
    org_members = {
        m.pk for m in cast["members"] if m.organizations.filter(pk=victim["organization"]).exists()
    }
    assert org_members <= told
    assert all(n.url == f"/events/{event.pk}/agenda/" for n in Notification.objects.all())


def test_schedule_and_agenda_reads_have_constant_queries(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    url = f"/api/events/{event.pk}/schedule/"
    agenda_url = f"/api/events/{event.pk}/agenda/?expert={cast['experts'][1].pk}"
    # (one of them reads the co-experts of multi-party meetings, for all meetings at once)
    generate(client, event, tables=1, rounds=rounds_for(event, n=1))
    assert Meeting.objects.count() == 1
    with assert_queries("api schedule as the organizer"):
        client.get(url)
    # no meeting of theirs yet: no co-experts to read
    with assert_queries("api agenda of an expert as the organizer, no meeting yet"):
        client.get(agenda_url)
    generate(client, event)
    assert Meeting.objects.count() > 3
    assert Meeting.objects.filter(expert=cast["experts"][1]).count() > 1
    with assert_queries("api schedule as the organizer"):
        client.get(url)
    with assert_queries("api agenda of an expert as the organizer"):
        client.get(agenda_url)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", {"read": 401, "agenda": 401, "org_agenda": 401, "write": 401}),
        ("stranger", {"read": 200, "agenda": 200, "org_agenda": 403, "write": 403}),
        ("expert", {"read": 200, "agenda": 200, "org_agenda": 403, "write": 403}),
        ("member", {"read": 200, "agenda": 200, "org_agenda": 200, "write": 403}),
        ("organizer", {"read": 200, "agenda": 200, "org_agenda": 200, "write": None}),
    ],
)
def test_permission_matrix_on_a_published_schedule(cast, organizer, role, expected):
    event = cast["event"]
    data = generate(token_client(organizer), event).json()
    token_client(organizer).post(f"/api/events/{event.pk}/schedule/publish/")
    users = {
        "anonymous": None,
        "stranger": factories.make_user(),
        "expert": cast["experts"][0],
        "member": cast["members"][0],
        "organizer": organizer,
    }
    client = token_client(users[role])
    base = f"/api/events/{event.pk}"
    org = cast["orgs"][0].pk
    assert client.get(f"{base}/schedule/").status_code == expected["read"]
    assert client.get(f"{base}/agenda/").status_code == expected["agenda"]
    assert client.get(f"{base}/agenda.ics").status_code == expected["agenda"]
    assert client.get(f"{base}/agenda/?organization={org}").status_code == expected["org_agenda"]
    if expected["write"] is None:
        return
    meeting = data["meetings"][0]["id"]
    for path, body in (
        ("schedule/", {"rounds": rounds_for(event), "tables": 2}),
        ("schedule/pin/", {"meeting": meeting}),
        ("schedule/remove/", {"meeting": meeting}),
        ("schedule/publish/", None),
    ):
        assert client.post(f"{base}/{path}", body, format="json").status_code == expected["write"]
    assert Meeting.objects.filter(pk=meeting).exists()


def test_odd_input_never_gives_a_5xx(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    generate(client, event)
    base = f"/api/events/{event.pk}"
    huge = 2**70
    for path, body in (
        ("schedule/pin/", {"meeting": huge}),
        ("schedule/pin/", {"organization": huge, "expert": huge, "round": huge}),
        ("schedule/pin/", {"organization": cast["orgs"][0].pk, "expert": 1, "round": 1}),
        (
            "schedule/pin/",
            {
                "organization": cast["orgs"][0].pk,
                "expert": cast["experts"][0].pk,
                "round": 1,
                "table": 99,
            },
        ),
        ("schedule/remove/", {"meeting": "x"}),
        ("schedule/remove/", {}),
        ("schedule/", {"rounds": [{"starts_at": None}], "tables": 2}),
        ("schedule/", {"rounds": [1, 2], "tables": 2}),
        ("schedule/", {"rounds": rounds_for(event), "tables": True}),
        ("schedule/", {"rounds": rounds_for(event, n=60, minutes=1), "tables": 2}),
    ):
        response = client.post(f"{base}/{path}", body, format="json")
        assert 400 <= response.status_code < 500, (path, body, response.content[:200])
    for query in ("organization=99999999999999999999", "expert=-1", "organization=1e3"):
        assert client.get(f"{base}/agenda/?{query}").status_code in (400, 404)
    assert client.get("/api/events/999999/schedule/").status_code == 404


def test_an_event_without_registrations_gets_an_empty_schedule(organizer):
    event = factories.make_event(created_by=organizer)
    response = generate(token_client(organizer), event)
    assert response.status_code == 201
    assert response.json()["meetings"] == []
    assert response.json()["stats"]["objective"] == 0


def test_publishing_delivers_notifications_after_commit(
    cast, organizer, django_capture_on_commit_callbacks, mailoutbox
):
    event = cast["event"]
    client = token_client(organizer)
    data = generate(client, event).json()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/events/{event.pk}/schedule/publish/").status_code == 200
    experts = {m["expert"] for m in data["meetings"]}
    told = Notification.objects.filter(kind="schedule.published")
    assert experts <= set(told.values_list("recipient_id", flat=True))
    emailed = {n.recipient.email for n in told.select_related("recipient") if n.emailed_at}
    assert emailed and emailed <= {m.to[0] for m in mailoutbox}


def _places(schedule):
    return {
        m.pk: (m.organization_id, m.expert_id, m.round, m.table) for m in schedule.meetings.all()
    }


def _published(cast, organizer, tables=3):
    event = cast["event"]
    client = token_client(organizer)
    generate(client, event, tables=tables, rounds=rounds_for(event, n=4))
    assert client.post(f"/api/events/{event.pk}/schedule/publish/").status_code == 200
    Notification.objects.all().delete()
    return event, client, Schedule.objects.get(event=event)


def _people_of(cast, organization_id, expert_id):
    members = {m.pk for m in cast["members"] if m.organizations.filter(pk=organization_id)}
    return members | {expert_id}


def test_after_publishing_a_move_changes_only_that_meeting_and_says_so(cast, organizer):
    event, client, schedule = _published(cast, organizer)
    before = _places(schedule)
    busy = {(o, r) for o, _e, r, _t in before.values()} | {
        (e, r) for _o, e, r, _t in before.values()
    }
    # a meeting and a round where neither of its two has another meeting (not the expert
    # who is there only in the first round)
    part_time = cast["experts"][2].pk
    pk, (org, expert, old_round, old_table) = next(
        (pk, p)
        for pk, p in sorted(before.items())
        if p[1] != part_time
        and any((p[0], r) not in busy and (p[1], r) not in busy for r in range(1, 5))
    )
    target = next(r for r in range(1, 5) if (org, r) not in busy and (expert, r) not in busy)
    response = client.post(
        f"/api/events/{event.pk}/schedule/pin/",
        {"organization": org, "expert": expert, "round": target},
        format="json",
    )
    assert response.status_code == 200, response.json()
    changes = response.json()["changes"]
    assert len(changes) == 1
    change = changes[0]
    assert change["kind"] == "moved" and change["meeting"] == pk
    assert (change["organization"], change["expert"]) == (org, expert)
    assert change["before"] == {"round": old_round, "table": old_table}
    assert change["after"]["round"] == target
    after = _places(schedule)
    assert {k: v for k, v in after.items() if k != pk} == {
        k: v for k, v in before.items() if k != pk
    }
    assert after[pk][:3] == (org, expert, target)
    told = {n.recipient_id: n for n in Notification.objects.filter(kind="schedule.changed")}
    assert set(told) == _people_of(cast, org, expert)
    for note in told.values():
        for number in (old_round, target):  # in the person's language
            assert f"round {number} " in note.body or f"tour {number} " in note.body, note.body
        assert "moved" in note.body or "déplacée" in note.body


def test_after_publishing_a_move_onto_someone_names_them_and_changes_nothing(cast, organizer):
    event, client, schedule = _published(cast, organizer)
    before = _places(schedule)
    # an expert with meetings in two rounds: move the first onto the second's round
    by_expert = {}
    for pk, (o, e, r, t) in sorted(before.items()):
        by_expert.setdefault(e, []).append((pk, o, r, t))
    expert, ((pk, org, _r, _t), (_other, other_org, other_round, other_table)) = next(
        (e, rows[:2]) for e, rows in by_expert.items() if len(rows) >= 2
    )
    response = client.post(
        f"/api/events/{event.pk}/schedule/pin/?lang=en",
        {"organization": org, "expert": expert, "round": other_round},
        format="json",
    )
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "meeting_in_the_way"
    other_name = cast["orgs"][[o.pk for o in cast["orgs"]].index(other_org)].name
    assert other_name in body["detail"] and f"table {other_table}" in body["detail"]
    assert _places(schedule) == before
    assert not Notification.objects.exists()


def test_after_publishing_a_removal_moves_nobody_and_refills_only_if_asked(cast, organizer):
    event, client, schedule = _published(cast, organizer)
    before = _places(schedule)
    victim = min(before)
    response = client.post(
        f"/api/events/{event.pk}/schedule/remove/",
        {"meeting": victim, "refill": False},
        format="json",
    )
    assert response.status_code == 200
    org, expert, rnd, table = before[victim]
    assert response.json()["changes"] == [
        {
            "kind": "removed",
            "meeting": None,
            "organization": org,
            "expert": expert,
            "experts": [expert],
            "before": {"round": rnd, "table": table},
            "after": None,
        }
    ]
    after = _places(schedule)
    assert after == {k: v for k, v in before.items() if k != victim}
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == _people_of(cast, org, expert)
    assert all("cancel" in n.body or "annul" in n.body for n in Notification.objects.all())
    # with refill, what was there stays; only new meetings appear, and they are listed
    Notification.objects.all().delete()
    second = min(after)
    response = client.post(
        f"/api/events/{event.pk}/schedule/remove/", {"meeting": second}, format="json"
    )
    assert response.status_code == 200
    kinds = [c["kind"] for c in response.json()["changes"]]
    assert kinds[0] == "removed" and set(kinds[1:]) <= {"added"}
    final = _places(schedule)
    for pk, place in after.items():
        if pk != second:
            assert final[pk] == place
    added = {c["meeting"] for c in response.json()["changes"] if c["kind"] == "added"}
    assert set(final) == (set(after) - {second}) | added


def test_before_publishing_the_answer_lists_every_change(cast, organizer):
    event = cast["event"]
    client = token_client(organizer)
    data = generate(client, event).json()
    assert data["changes"] and {c["kind"] for c in data["changes"]} == {"added"}
    schedule = Schedule.objects.get(event=event)
    before = {(o, e): (r, t) for o, e, r, t in _places(schedule).values()}
    first = data["meetings"][0]
    _target, response = move_first_to_table_2(client, event, first)
    assert response.status_code == 200
    after = {(o, e): (r, t) for o, e, r, t in _places(schedule).values()}
    listed = {(c["organization"], c["expert"]): c for c in response.json()["changes"]}
    for pair in before.keys() | after.keys():
        if before.get(pair) == after.get(pair):
            assert pair not in listed
        else:
            c = listed[pair]
            assert c["before"] == (
                None
                if pair not in before
                else dict(zip(("round", "table"), before[pair], strict=True))
            )
            assert c["after"] == (
                None
                if pair not in after
                else dict(zip(("round", "table"), after[pair], strict=True))
            )
    assert not Notification.objects.filter(kind="schedule.changed").exists()


def test_an_organisation_meets_only_inside_its_own_windows(cast, organizer):
    event = cast["event"]
    org, member = cast["orgs"][2], cast["members"][2]
    reg = org.registrations.get(event=event)
    second = rounds_for(event)[1]
    response = token_client(member).patch(
        f"/api/events/{event.pk}/registrations/{reg.pk}/", {"available": [second]}, format="json"
    )
    assert response.status_code == 200 and len(response.json()["available"]) == 1
    data = generate(token_client(organizer), event).json()
    rounds = {m["round"] for m in data["meetings"] if m["organization"] == org.pk}
    assert rounds == {2}
    schedule = Schedule.objects.get(event=event)
    assert violations(problem_from_db(schedule), solver_meetings(schedule)) == []


def test_the_organizer_balances_the_experts_load(cast, organizer):
    event = cast["event"]
    data = generate(token_client(organizer), event, max_meetings_per_expert=1).json()
    assert data["max_meetings_per_expert"] == 1
    per_expert = {}
    for m in data["meetings"]:
        per_expert[m["expert"]] = per_expert.get(m["expert"], 0) + 1
    assert per_expert and max(per_expert.values()) == 1
    response = generate(token_client(organizer), event, max_meetings_per_expert=0)
    assert response.status_code == 400 and "max_meetings_per_expert" in response.json()


def test_a_no_show_refills_the_seat_and_moves_nobody_else(cast, organizer):
    event, client, schedule = _published(cast, organizer)
    weben = cast["experts"][1]
    # an organisation that registered late: free all day, wants what weben covers
    late_member = factories.make_user()
    late = factories.make_org("Late comers", members=[late_member], languages=("en",))
    factories.make_help_request(late, skills=["wordpress"], urgency="high", event=event)
    factories.make_registration(event, user=late_member, role="organization", organization=late)
    before = _places(schedule)
    gone_pk, (org, expert, rnd, table) = next(
        (pk, p) for pk, p in sorted(before.items()) if p[1] == weben.pk
    )
    response = client.post(
        f"/api/events/{event.pk}/schedule/no-show/?lang=en",
        {"meeting": gone_pk, "absent": "organization"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    changes = response.json()["changes"]
    assert [c["kind"] for c in changes] == ["removed", "added"]
    added = changes[1]
    assert (added["organization"], added["expert"]) == (late.pk, weben.pk)
    assert added["after"] == {"round": rnd, "table": table}
    after = _places(schedule)
    assert {k: v for k, v in after.items() if k != added["meeting"]} == {
        k: v for k, v in before.items() if k != gone_pk
    }
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == _people_of(cast, org, expert) | {late_member.pk}
    assert Schedule.objects.get(pk=schedule.pk).stats["no_shows"] == 1
    for bad in ({"meeting": gone_pk, "absent": "nobody"}, {"absent": "expert"}):
        response = client.post(f"/api/events/{event.pk}/schedule/no-show/", bad, format="json")
        assert response.status_code in (400, 404)


def test_each_meeting_gets_its_online_room_from_the_template(cast, organizer, settings):
    settings.SCHEDULE_ONLINE_URL_TEMPLATE = (
        "https://meet.example.org/ll-{event}-{round}-{table}-{key}"
    )
    event, client, _schedule = _published(cast, organizer)
    data = client.get(f"/api/events/{event.pk}/schedule/").json()
    links = [m["online_url"] for m in data["meetings"]]
    assert all(link.startswith(f"https://meet.example.org/ll-{event.pk}-") for link in links)
    assert len(set(links)) == len(links)  # one room per meeting place
    member = cast["members"][0]
    agenda = token_client(member).get(f"/api/events/{event.pk}/agenda/").json()["meetings"]
    assert agenda and all(m["online_url"] in links for m in agenda)
    cal = Calendar.from_ical(token_client(member).get(f"/api/events/{event.pk}/agenda.ics").content)
    assert {str(v["URL"]) for v in cal.walk("VEVENT")} <= set(links)
    from django.test import Client

    page = Client()
    page.force_login(member)
    assert agenda[0]["online_url"] in page.get(f"/events/{event.pk}/agenda/").content.decode()
    settings.SCHEDULE_ONLINE_URL_TEMPLATE = "https://meet.example.org/{nope}"
    assert client.get(f"/api/events/{event.pk}/schedule/").json()["meetings"][0]["online_url"] == ""
