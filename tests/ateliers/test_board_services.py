"""The board's services: every write, its log row, moderation, locking, idempotency."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from ateliers.exceptions import Conflict, Forbidden, NotFound
from ateliers.models import BoardEvent, Comment, Idea, Vote
from ateliers.selectors.board import board_events_since, board_snapshot
from ateliers.services import board as svc
from tests import factories


@pytest.fixture
def guest(event):
    return factories.make_participant(event, "Aminata")


@pytest.fixture
def other(event):
    return factories.make_participant(event, "Bruno")


def log_types(event):
    return list(BoardEvent.objects.filter(event=event).values_list("seq", "type"))


def test_join_and_token_round_trip(event):
    participant = svc.participant_join(code=event.join_code.lower(), display_name="  Zoé  ")
    assert participant.display_name == "Zoé"
    assert svc.participant_from_token(svc.participant_token(participant)) == participant
    assert svc.participant_from_token("forged:token") is None
    assert svc.participant_from_token(svc.participant_token(participant) + "x") is None


def test_join_refuses_bad_draft_and_closed_codes(event, organizer):
    with pytest.raises(NotFound):
        svc.participant_join(code="ZZZZZZ", display_name="X")
    draft = factories.make_event(status="draft")
    with pytest.raises(NotFound):
        svc.participant_join(code=draft.join_code, display_name="X")
    closed = factories.make_event(status="closed")
    with pytest.raises(Conflict):
        svc.participant_join(code=closed.join_code, display_name="X")
    with pytest.raises(ValidationError):
        svc.participant_join(code=event.join_code, display_name="   ")


def test_account_join_reuses_its_participant(event, expert):
    first = svc.participant_join(code=event.join_code, display_name="", user=expert)
    again = svc.participant_join(code=event.join_code, display_name="Autre", user=expert)
    assert first == again and first.user == expert
    assert svc.participant_for_user(event=event, user=expert) == first


def test_idea_post_logs_created_with_seq(event, guest):
    idea, created = svc.idea_post(participant=guest, text=" Des rampes ", client_id=uuid.uuid4())
    assert created and idea.text == "Des rampes"
    assert log_types(event) == [(1, "idea.created")]
    row = BoardEvent.objects.get(event=event)
    assert row.payload["idea"]["id"] == idea.pk
    assert row.payload["idea"]["author_name"] == "Aminata"


def test_same_client_id_twice_gives_one_idea(event, guest):
    cid = uuid.uuid4()
    first, created1 = svc.idea_post(participant=guest, text="Une", client_id=cid)
    second, created2 = svc.idea_post(participant=guest, text="Une (retry)", client_id=str(cid))
    assert (created1, created2) == (True, False)
    assert first.pk == second.pk and second.text == "Une"
    assert Idea.objects.count() == 1 and BoardEvent.objects.count() == 1


def test_same_client_id_from_two_authors_gives_two_ideas(event, guest, other):
    cid = uuid.uuid4()
    svc.idea_post(participant=guest, text="A", client_id=cid)
    svc.idea_post(participant=other, text="B", client_id=cid)
    assert Idea.objects.count() == 2


def test_comment_idempotent_and_counted(event, guest, other):
    idea = factories.post_idea(guest)
    cid = uuid.uuid4()
    c1, created1 = svc.comment_post(participant=other, idea=idea, text="Oui", client_id=cid)
    c2, created2 = svc.comment_post(participant=other, idea=idea, text="Oui", client_id=cid)
    assert (created1, created2) == (True, False) and c1.pk == c2.pk
    idea.refresh_from_db()
    assert idea.comment_count == 1 and Comment.objects.count() == 1
    assert log_types(event)[-1] == (2, "comment.created")


@pytest.mark.parametrize("bad", ["", "   ", "x" * 1001, None])
def test_idea_text_validated(event, guest, bad):
    with pytest.raises(ValidationError):
        svc.idea_post(participant=guest, text=bad, client_id=uuid.uuid4())
    assert not BoardEvent.objects.exists()


def test_bad_client_id_is_a_validation_error(event, guest):
    with pytest.raises(ValidationError):
        svc.idea_post(participant=guest, text="x", client_id="not-a-uuid")


def test_theme_of_another_event_refused(event, guest):
    theme = factories.make_event().themes.create(name_fr="Ailleurs")
    with pytest.raises(ValidationError):
        svc.idea_post(participant=guest, text="x", theme=theme, client_id=uuid.uuid4())


def test_edit_own_idea_only(event, guest, other):
    idea = factories.post_idea(guest, "Avant")
    svc.idea_edit(participant=guest, idea=idea, text="Après")
    assert Idea.objects.get(pk=idea.pk).text == "Après"
    assert log_types(event)[-1] == (2, "idea.updated")
    with pytest.raises(Forbidden):
        svc.idea_edit(participant=other, idea=idea, text="Vol")


def test_vote_is_one_per_participant_and_withdrawable(event, guest, other):
    idea = factories.post_idea(guest)
    svc.vote_set(participant=other, idea=idea, value=1)
    svc.vote_set(participant=other, idea=idea, value=1)
    assert Idea.objects.get(pk=idea.pk).votes == 1 and Vote.objects.count() == 1
    svc.vote_set(participant=guest, idea=idea, value=1)
    svc.vote_set(participant=other, idea=idea, value=0)
    svc.vote_set(participant=other, idea=idea, value=0)
    assert Idea.objects.get(pk=idea.pk).votes == 1
    with pytest.raises(ValidationError):
        svc.vote_set(participant=other, idea=idea, value=5)


def test_votes_are_logged_coalesced(event, guest, other):
    idea = factories.post_idea(guest)
    idea2 = factories.post_idea(guest, "Deux")
    svc.vote_set(participant=other, idea=idea, value=1)
    svc.vote_set(participant=guest, idea=idea, value=1)
    svc.vote_set(participant=guest, idea=idea2, value=1)
    svc.vote_set(participant=guest, idea=idea2, value=0)  # back to what was logged
    row = svc.votes_flush(event_id=event.pk)
    assert row.type == "votes.changed"
    assert row.payload == {"votes": [{"idea": idea.pk, "votes": 2}]}
    assert svc.votes_flush(event_id=event.pk) is None  # nothing moved since


def test_vote_flushes_at_once_after_commit_outside_daphne(
    event, guest, other, django_capture_on_commit_callbacks
):
    idea = factories.post_idea(guest)
    with django_capture_on_commit_callbacks(execute=True):
        svc.vote_set(participant=other, idea=idea, value=1)
    assert log_types(event)[-1] == (2, "votes.changed")


def test_participant_cannot_touch_another_events_ideas(event, guest):
    elsewhere = factories.make_participant(factories.make_event(), "Ailleurs")
    idea = factories.post_idea(guest)
    with pytest.raises(Forbidden):
        svc.vote_set(participant=elsewhere, idea=idea, value=1)
    with pytest.raises(Forbidden):
        svc.comment_post(participant=elsewhere, idea=idea, text="x", client_id=uuid.uuid4())


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("hide", "status", "hidden"), ("pin", "pinned", True)],
)
def test_moderation_actions_and_their_undo(event, guest, organizer, action, field, value):
    idea = factories.post_idea(guest, "<b>texte</b>")
    moderated = svc.idea_moderate(actor=organizer, idea=idea, action=action)
    assert getattr(moderated, field) == value
    row = BoardEvent.objects.filter(event=event).last()
    assert row.type == "idea.updated" and row.payload["idea"][field] == value
    if action == "hide":
        assert row.payload["idea"]["text"] == ""  # hidden text is never broadcast
    # repeating it is a no-op: nothing logged
    svc.idea_moderate(actor=organizer, idea=idea, action=action)
    assert BoardEvent.objects.filter(event=event).count() == 2
    undo = {"hide": "show", "pin": "unpin"}[action]
    restored = svc.idea_moderate(actor=organizer, idea=idea, action=undo)
    assert getattr(restored, field) == Idea._meta.get_field(field).default
    assert BoardEvent.objects.filter(event=event).count() == 3


def test_only_organizers_moderate(event, guest, expert):
    idea = factories.post_idea(guest)
    with pytest.raises(Forbidden):
        svc.idea_moderate(actor=expert, idea=idea, action="hide")
    with pytest.raises(Forbidden):
        svc.idea_moderate(actor=None, idea=idea, action="hide")


def test_hidden_idea_refuses_votes_comments_and_edits(event, guest, other, organizer):
    idea = factories.post_idea(guest)
    svc.idea_moderate(actor=organizer, idea=idea, action="hide")
    with pytest.raises(Conflict):
        svc.vote_set(participant=other, idea=idea, value=1)
    with pytest.raises(Conflict):
        svc.comment_post(participant=other, idea=idea, text="x", client_id=uuid.uuid4())
    with pytest.raises(Conflict):
        svc.idea_edit(participant=guest, idea=idea, text="x")


def test_merge_keeps_votes_of_distinct_voters(event, organizer):
    a, b, c, d = (factories.make_participant(event, n) for n in "ABCD")
    target = factories.post_idea(a, "Plus de rampes")
    dup = factories.post_idea(b, "Rampes d'accès")
    for voter in (a, b, c):
        svc.vote_set(participant=voter, idea=dup, value=1)
    for voter in (a, d):
        svc.vote_set(participant=voter, idea=target, value=1)
    merged = svc.idea_moderate(actor=organizer, idea=dup, action="merge", into=target)
    assert merged.status == "merged" and merged.merged_into_id == target.pk
    target.refresh_from_db()
    dup.refresh_from_db()
    assert target.votes == 4 and dup.votes == 0  # a, b, c, d: a counted once
    assert set(
        Vote.objects.filter(idea=target).values_list("participant__display_name", flat=True)
    ) == set("ABCD")
    row = BoardEvent.objects.filter(event=event).last()
    assert row.type == "idea.merged"
    assert row.payload["into"]["votes"] == 4 and row.payload["idea"]["status"] == "merged"
    assert svc.votes_flush(event_id=event.pk) is None  # merge logged the tallies itself
    with pytest.raises(Conflict):
        svc.idea_moderate(actor=organizer, idea=dup, action="merge", into=target)
    with pytest.raises(Conflict):
        svc.idea_moderate(actor=organizer, idea=dup, action="hide")


@pytest.mark.parametrize("into", ["self", "none", "other_event", "hidden"])
def test_merge_refuses_bad_targets(event, guest, organizer, into):
    idea = factories.post_idea(guest)
    if into == "self":
        target = idea
    elif into == "none":
        target = None
    elif into == "other_event":
        target = factories.post_idea(factories.make_participant(factories.make_event()))
    else:
        target = factories.post_idea(guest, "cachée")
        svc.idea_moderate(actor=organizer, idea=target, action="hide")
    with pytest.raises((ValidationError, Conflict)):
        svc.idea_moderate(actor=organizer, idea=idea, action="merge", into=target)
    assert Idea.objects.get(pk=idea.pk).status == "visible"


def test_locked_board_refuses_writes_but_not_moderation(event, guest, other, organizer):
    idea = factories.post_idea(guest)
    svc.board_set_locked(actor=organizer, event=event, locked=True)
    assert log_types(event)[-1] == (2, "board.updated")
    for write in (
        lambda: svc.idea_post(participant=guest, text="x", client_id=uuid.uuid4()),
        lambda: svc.idea_edit(participant=guest, idea=idea, text="y"),
        lambda: svc.vote_set(participant=other, idea=idea, value=1),
        lambda: svc.comment_post(participant=other, idea=idea, text="x", client_id=uuid.uuid4()),
    ):
        with pytest.raises(Conflict) as info:
            write()
        assert info.value.code == "board_locked"
    svc.idea_moderate(actor=organizer, idea=idea, action="pin")
    svc.board_set_locked(actor=organizer, event=event, locked=True)  # no-op, not logged
    svc.board_set_locked(actor=organizer, event=event, locked=False)
    assert [t for _s, t in log_types(event)] == [
        "idea.created",
        "board.updated",
        "idea.updated",
        "board.updated",
    ]
    svc.idea_post(participant=guest, text="rouvert", client_id=uuid.uuid4())


def test_closed_event_refuses_writes(event, guest):
    event.status = "closed"
    event.save()
    with pytest.raises(Conflict):
        svc.idea_post(participant=guest, text="x", client_id=uuid.uuid4())


def test_retry_after_lock_still_returns_the_original(event, guest, organizer):
    cid = uuid.uuid4()
    idea, _ = svc.idea_post(participant=guest, text="x", client_id=cid)
    svc.board_set_locked(actor=organizer, event=event, locked=True)
    again, created = svc.idea_post(participant=guest, text="x", client_id=cid)
    assert again.pk == idea.pk and not created


def test_only_organizers_lock(event, expert):
    with pytest.raises(Forbidden):
        svc.board_set_locked(actor=expert, event=event, locked=True)


def test_events_since_and_replay_limit(event, guest):
    for i in range(5):
        factories.post_idea(guest, f"idée {i}")
    assert [e["seq"] for e in board_events_since(event, 2, limit=10)] == [3, 4, 5]
    assert board_events_since(event, 0, limit=3) is None  # too far behind → snapshot
    assert board_events_since(event, 5, limit=3) == []
    assert board_events_since(event, 99, limit=3) is None  # from another database
    assert board_snapshot(event, guest)["seq"] == 5


def test_demo_board_is_seeded_once(db):
    from demo.seed import seed_demo

    event = seed_demo()
    counts = (event.ideas.count(), Vote.objects.count(), Comment.objects.count())
    seq = BoardEvent.objects.filter(event=event).count()
    seed_demo()
    assert counts[0] == 12 and counts[1] > 20 and counts[2] >= 5
    assert (event.ideas.count(), Vote.objects.count(), Comment.objects.count()) == counts
    assert BoardEvent.objects.filter(event=event).count() == seq


def test_admin_moderation_action_goes_through_the_service(db, client, event, guest):
    admin_user = factories.make_user("root", is_superuser=True, is_staff=True)
    idea = factories.post_idea(guest, "<b>à cacher</b>")
    client.force_login(admin_user)
    listing = client.get("/admin/ateliers/idea/")
    assert listing.status_code == 200
    assert "&lt;b&gt;à cacher&lt;/b&gt;" in listing.content.decode()
    response = client.post(
        "/admin/ateliers/idea/", {"action": "moderate_hide", "_selected_action": [idea.pk]}
    )
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status == "hidden"
    assert BoardEvent.objects.filter(event=event).last().type == "idea.updated"
