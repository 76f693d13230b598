"""Help requests through the HTTP API: life cycle, roles, contact details, bad input."""

from __future__ import annotations

import pytest
from django.core import mail

from ateliers.models import HelpRequest, HelpRequestTransition, Notification
from tests import factories
from tests.helpers import assert_queries, token_client


@pytest.fixture
def open_request(org, member):
    factories.make_skill("accessibility")
    return token_client(member).post(
        "/api/help-requests/",
        {
            "organization": org.pk,
            "title": "Notre site échoue à l'accessibilité",
            "description": "Les lecteurs d'écran ne lisent pas nos formulaires.",
            "skills": ["accessibility"],
            "language": "fr",
            "urgency": "high",
            "format": "remote",
        },
        format="json",
    )


def test_create_returns_open_and_records_history(open_request, member):
    assert open_request.status_code == 201, open_request.content
    data = open_request.json()
    assert data["status"] == "open"
    assert data["claimed_by"] is None
    assert data["skills"] == ["accessibility"]
    assert data["contact"] == {"organization": member.email, "expert": ""}
    request = HelpRequest.objects.get(pk=data["id"])
    assert list(request.transitions.values_list("from_status", "to_status")) == [("", "open")]


def test_full_life_cycle(open_request, expert, member, organizer):
    pk = open_request.json()["id"]
    client = token_client(expert)
    claimed = client.post(f"/api/help-requests/{pk}/claim/")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["status"] == "claimed"
    assert claimed.json()["claimed_by"] == expert.pk
    assert client.post(f"/api/help-requests/{pk}/claim/").status_code == 409
    assert client.post(f"/api/help-requests/{pk}/start/").json()["status"] == "in_progress"
    assert client.post(f"/api/help-requests/{pk}/release/").json()["status"] == "open"
    assert HelpRequest.objects.get(pk=pk).claimed_by is None
    assert client.post(f"/api/help-requests/{pk}/claim/").status_code == 200
    done = client.post(f"/api/help-requests/{pk}/resolve/", {"note": "Fixed"}, format="json")
    assert done.json()["status"] == "resolved"
    history = token_client(member).get(f"/api/help-requests/{pk}/history/").json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("", "open"),
        ("open", "claimed"),
        ("claimed", "in_progress"),
        ("in_progress", "open"),
        ("open", "claimed"),
        ("claimed", "resolved"),
    ]
    assert history[-1]["note"] == "Fixed"
    assert history[1]["actor"]["id"] == expert.pk
    # a resolved request cannot be claimed, started, or released again
    other = factories.make_expert("other")
    refused = token_client(other).post(f"/api/help-requests/{pk}/claim/?lang=en")
    assert refused.status_code == 409
    assert "resolved" in refused.json()["detail"]
    assert token_client(organizer).post(f"/api/help-requests/{pk}/start/").status_code == 409


def test_conflict_message_is_clear(open_request, expert):
    pk = open_request.json()["id"]
    token_client(expert).post(f"/api/help-requests/{pk}/claim/")
    second = token_client(factories.make_expert("late")).post(
        f"/api/help-requests/{pk}/claim/?lang=en"
    )
    assert second.status_code == 409
    assert second.json() == {
        "detail": "Another expert has already claimed this request.",
        "code": "already_claimed",
    }


def test_member_cannot_claim(open_request, member):
    pk = open_request.json()["id"]
    response = token_client(member).post(f"/api/help-requests/{pk}/claim/")
    assert response.status_code == 403
    assert HelpRequest.objects.get(pk=pk).status == "open"


def test_expert_member_cannot_claim_their_own_organisations_request(open_request, org):
    pk = open_request.json()["id"]
    insider = factories.make_expert("insider")
    org.memberships.create(user=insider)
    assert token_client(insider).post(f"/api/help-requests/{pk}/claim/").status_code == 403


def test_expert_cannot_resolve_a_request_they_did_not_claim(open_request, expert):
    pk = open_request.json()["id"]
    token_client(expert).post(f"/api/help-requests/{pk}/claim/")
    intruder = token_client(factories.make_expert("intruder"))
    for verb in ("start", "resolve", "release"):
        response = intruder.post(f"/api/help-requests/{pk}/{verb}/")
        assert response.status_code == 403, verb
    assert HelpRequest.objects.get(pk=pk).status == "claimed"


def test_organizer_may_move_a_claimed_request(open_request, expert, organizer):
    pk = open_request.json()["id"]
    token_client(expert).post(f"/api/help-requests/{pk}/claim/")
    response = token_client(organizer).post(f"/api/help-requests/{pk}/release/")
    assert response.status_code == 200
    assert response.json()["status"] == "open"


def test_start_on_open_request_is_a_conflict_for_an_organizer(open_request, organizer):
    pk = open_request.json()["id"]
    response = token_client(organizer).post(f"/api/help-requests/{pk}/start/?lang=en")
    assert response.status_code == 409
    assert response.json()["detail"] == "Only a claimed request can be started."


def test_partner_and_other_experts_never_see_contact_details(open_request, partner, expert):
    pk = open_request.json()["id"]
    for user in (partner, expert):
        detail = token_client(user).get(f"/api/help-requests/{pk}/")
        assert detail.status_code == 200
        assert detail.json()["contact"] is None
        assert "@" not in detail.content.decode()
        listing = token_client(user).get("/api/help-requests/")
        assert "@" not in listing.content.decode()
    assert token_client(None).get(f"/api/help-requests/{pk}/").status_code == 401
    # once claimed, the expert sees the organisation's contact
    token_client(expert).post(f"/api/help-requests/{pk}/claim/")
    assert token_client(expert).get(f"/api/help-requests/{pk}/").json()["contact"]["organization"]
    assert token_client(partner).get(f"/api/help-requests/{pk}/").json()["contact"] is None


def test_thread_between_organisation_and_expert(open_request, expert, member, partner):
    pk = open_request.json()["id"]
    url = f"/api/help-requests/{pk}/messages/"
    assert token_client(expert).post(url, {"text": "Bonjour"}, format="json").status_code == 403
    token_client(expert).post(f"/api/help-requests/{pk}/claim/")
    assert token_client(expert).post(url, {"text": "Bonjour"}, format="json").status_code == 201
    assert token_client(member).post(url, {"text": "Merci !"}, format="json").status_code == 201
    thread = token_client(member).get(url).json()
    assert [m["text"] for m in thread] == ["Bonjour", "Merci !"]
    assert token_client(partner).get(url).status_code == 403
    assert token_client(member).post(url, {"text": "  "}, format="json").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": "x"},
        {"organization": "abc", "title": "x"},
        {"organization": 999999, "title": "x"},
        {"organization": "{org}", "title": ""},
        {"organization": "{org}", "title": "x" * 201},
        {"organization": "{org}", "title": "x", "language": "zz"},
        {"organization": "{org}", "title": "x", "urgency": "critical"},
        {"organization": "{org}", "title": "x", "format": "teleport"},
        {"organization": "{org}", "title": "x", "skills": ["no-such-skill"]},
        {"organization": "{org}", "title": "x", "skills": "accessibility"},
        {"organization": "{org}", "title": "x", "event": 999999},
        {"organization": "{org}", "title": ["x"]},
    ],
)
def test_bad_input_gets_a_4xx(org, member, body):
    body = {k: (org.pk if v == "{org}" else v) for k, v in body.items()}
    response = token_client(member).post("/api/help-requests/", body, format="json")
    assert response.status_code == 400, response.content


def test_bad_ids_and_garbage_bodies(open_request, expert):
    client = token_client(expert)
    assert client.post("/api/help-requests/999999/claim/").status_code == 404
    assert client.post("/api/help-requests/abc/claim/").status_code == 404
    assert client.get("/api/help-requests/?status=nope").status_code == 400
    assert client.get("/api/help-requests/?event=abc").status_code == 400
    pk = open_request.json()["id"]
    assert (
        client.post(
            f"/api/help-requests/{pk}/claim/", "not json", content_type="application/json"
        ).status_code
        == 400
    )
    assert client.get(f"/api/help-requests/{pk}/suggestions/?limit=abc").status_code == 200


def test_member_of_another_organisation_cannot_create_or_edit(open_request, org):
    outsider = factories.make_member(factories.make_org("Autre"))
    client = token_client(outsider)
    body = {"organization": org.pk, "title": "x"}
    assert client.post("/api/help-requests/", body, format="json").status_code == 403
    pk = open_request.json()["id"]
    assert (
        client.patch(f"/api/help-requests/{pk}/", {"title": "y"}, format="json").status_code == 403
    )


def test_edit_keeps_status_and_organisation(open_request, member):
    pk = open_request.json()["id"]
    other = factories.make_org("Autre", members=[member])
    response = token_client(member).patch(
        f"/api/help-requests/{pk}/",
        {"title": "Nouveau titre", "status": "resolved", "organization": other.pk, "skills": []},
        format="json",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["title"], data["status"], data["skills"]) == ("Nouveau titre", "open", [])
    assert data["organization"] != other.pk


def test_filters(org, member, event):
    factories.make_help_request(org, skills=["crm"], urgency="high", event=event)
    factories.make_help_request(org, skills=["wordpress"], language="en")
    client = token_client(member)
    assert client.get("/api/help-requests/?skill=crm").json()["count"] == 1
    assert client.get("/api/help-requests/?language=en").json()["count"] == 1
    assert client.get("/api/help-requests/?urgency=high").json()["count"] == 1
    assert client.get(f"/api/help-requests/?event={event.pk}").json()["count"] == 1
    assert client.get("/api/help-requests/?status=open").json()["count"] == 2
    assert client.get(f"/api/help-requests/?organization={org.pk}").json()["count"] == 2
    ordered = client.get("/api/help-requests/?ordering=-urgency_rank").json()["results"]
    assert [r["urgency"] for r in ordered] == ["high", "normal"]


@pytest.mark.parametrize("rows", [1, 8])
def test_list_query_count_is_constant(org, member, rows):
    expert = factories.make_expert("claimer")
    for i in range(rows):
        req = factories.make_help_request(org, skills=["crm", "privacy"])
        if i % 2:
            HelpRequest.objects.filter(pk=req.pk).update(status="claimed", claimed_by=expert)
    client = token_client(member)
    # token, role checks, memberships, count, rows, skills: the same for 1 row or many
    with assert_queries("help-request-list as a member"):
        response = client.get("/api/help-requests/")
    assert response.json()["count"] == rows


def test_suggestions_rank_and_explain(org, member, event):
    from django.utils import translation

    request = factories.make_help_request(
        org, skills=["accessibility", "wordpress"], language="fr", event=event
    )
    factories.make_expert("best", skills=["accessibility", "wordpress"], languages=["fr"])
    factories.make_expert("half", skills=["wordpress"], languages=["fr", "en"])
    factories.make_expert("english", skills=["accessibility", "wordpress"], languages=["en"])
    with translation.override("en"):
        response = token_client(member).get(
            f"/api/help-requests/{request.pk}/suggestions/", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["user"]["name"] for r in results] == ["Best", "Half"]
    assert results[0]["score"] > results[1]["score"]
    assert results[0]["reasons"][0] == "speaks French"
    assert "covers" in results[0]["summary"]
    assert "email" not in results[0]["user"]


@pytest.mark.parametrize("experts", [1, 12])
def test_suggestions_query_count_is_constant(org, member, experts):
    event = factories.make_event()
    request = factories.make_help_request(org, skills=["crm"], event=event)
    for _ in range(experts):
        factories.make_expert(skills=["crm", "privacy"])
    client = token_client(member)
    with assert_queries("help-request-suggestions as a member"):
        response = client.get(f"/api/help-requests/{request.pk}/suggestions/")
    assert response.json()["count"] == experts


def test_reverse_suggestions_for_the_expert(org, expert, member):
    fits = factories.make_help_request(org, skills=["accessibility"], urgency="high")
    factories.make_help_request(org, skills=["crm"])
    for url in ("/api/experts/me/suggestions/", "/api/help-requests/suggested/"):
        response = token_client(expert).get(url)
        assert response.status_code == 200
        results = response.json()["results"]
        assert [r["request"]["id"] for r in results] == [fits.pk]
        assert results[0]["reasons"]
    assert token_client(member).get("/api/experts/me/suggestions/").status_code == 403


def test_notifications_for_claim_and_messages_once_each_in_recipients_language(
    org, member, expert, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save()
    request = factories.make_help_request(org, skills=["accessibility"])
    with django_capture_on_commit_callbacks(execute=True):
        token_client(expert).post(f"/api/help-requests/{request.pk}/claim/")
    notes = Notification.objects.filter(recipient=member)
    assert notes.count() == 1
    assert notes.get().title == f"{expert.public_name} claimed “{request.title}”"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert mail.outbox[0].subject.endswith("claimed “" + request.title + "”")
    assert not Notification.objects.filter(recipient=expert).exists()  # not told of own act

    listing = token_client(member).get("/api/notifications/").json()
    assert listing["count"] == 1
    assert token_client(member).get("/api/notifications/unread-count/").json() == {"unread": 1}
    nid = listing["results"][0]["id"]
    assert token_client(expert).post(f"/api/notifications/{nid}/read/").status_code == 404
    assert token_client(member).post(f"/api/notifications/{nid}/read/").status_code == 200
    assert token_client(member).get("/api/notifications/unread-count/").json() == {"unread": 0}


def test_email_respects_the_opt_out(org, member, expert, django_capture_on_commit_callbacks):
    member.email_notifications = False
    member.save()
    request = factories.make_help_request(org, skills=["accessibility"])
    with django_capture_on_commit_callbacks(execute=True):
        token_client(expert).post(f"/api/help-requests/{request.pk}/claim/")
    assert Notification.objects.filter(recipient=member).count() == 1
    assert mail.outbox == []


def test_new_request_tells_fitting_experts_in_their_language(
    org, member, django_capture_on_commit_callbacks
):
    factories.make_skill("accessibility", "Accessibilité web", "Web accessibility")
    french = factories.make_expert("fr-expert", skills=["accessibility"], languages=["fr"])
    english = factories.make_expert("en-expert", skills=["accessibility"], languages=["fr", "en"])
    english.language = "en"
    english.save()
    factories.make_expert("unrelated", skills=["crm"], languages=["fr"])
    with django_capture_on_commit_callbacks(execute=True):
        token_client(member).post(
            "/api/help-requests/",
            {
                "organization": org.pk,
                "title": "Site",
                "skills": ["accessibility"],
                "language": "fr",
            },
            format="json",
        )
    fr_note = Notification.objects.get(recipient=french)
    en_note = Notification.objects.get(recipient=english)
    # UI strings are translated centrally later; content names already follow the language
    assert "Accessibilité web" in fr_note.body and "Web accessibility" not in fr_note.body
    assert en_note.title == "A new request fits you: “Site”"
    assert "covers Web accessibility" in en_note.body
    assert Notification.objects.filter(kind="help.fits").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([french.email, english.email])


def test_message_notifies_the_other_side_once(
    org, member, expert, django_capture_on_commit_callbacks
):
    request = factories.make_help_request(org, skills=["accessibility"])
    token_client(expert).post(f"/api/help-requests/{request.pk}/claim/")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        token_client(member).post(
            f"/api/help-requests/{request.pk}/messages/", {"text": "Bonjour"}, format="json"
        )
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (expert.pk, "help.message")
    ]
    assert HelpRequestTransition.objects.filter(request=request).count() == 1
