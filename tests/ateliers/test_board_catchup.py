"""The catch-up property: the log replayed from any seq onto that seq's snapshot gives
today's snapshot (Zulip's ``verify_action``: apply events to stale state, compare)."""

from __future__ import annotations

import copy
import json
import random
import uuid

import pytest

from ateliers.exceptions import Conflict
from ateliers.selectors.board import (
    PartCursor,
    board_events_since,
    board_head,
    board_part,
    board_snapshot,
)
from ateliers.services import board as svc
from tests import factories
from tests.helpers import assert_queries


def normalize(snapshot: dict) -> dict:
    return {
        "seq": snapshot["seq"],
        "board_locked": snapshot["board_locked"],
        "themes": snapshot["themes"],
        "ideas": {idea["id"]: idea for idea in snapshot["ideas"]},
        "comments": {c["id"]: c for c in snapshot["comments"]},
    }


def set_idea(state: dict, idea: dict) -> None:
    """An idea's absolute state; a hidden one is gone, with its comments."""
    if idea["status"] == "hidden":
        assert idea["text"] == "" and idea["author_name"] == ""
        state["ideas"].pop(idea["id"], None)
        for pk in [pk for pk, c in state["comments"].items() if c["idea"] == idea["id"]]:
            del state["comments"][pk]
    else:
        state["ideas"][idea["id"]] = idea


def apply(state: dict, message: dict) -> None:
    """What a client does with one board event (docs/protocol.md, "Applying events")."""
    assert message["seq"] == state["seq"] + 1, "a gap or a repeat in seq"
    kind = message["type"]
    ideas = state["ideas"]
    if kind in {"idea.created", "idea.updated", "idea.merged"}:
        for key in ("idea", "into"):
            if key in message:
                set_idea(state, message[key])
    elif kind == "comment.created":
        if message["idea"]["id"] in ideas:
            state["comments"][message["comment"]["id"]] = message["comment"]
            ideas[message["idea"]["id"]]["comment_count"] = message["idea"]["comment_count"]
    elif kind == "comment.removed":
        state["comments"].pop(message["comment"]["id"], None)
    elif kind == "votes.changed":
        for tally in message["votes"]:
            if tally["idea"] in ideas:
                ideas[tally["idea"]]["votes"] = tally["votes"]
    elif kind == "board.updated":
        state["board_locked"] = message["board_locked"]
    else:
        raise AssertionError(f"unknown event {kind}")
    state["seq"] = message["seq"]


def random_operation(rng: random.Random, event, people, organizer, themes):
    ideas = list(event.ideas.all())
    who = rng.choice(people)
    roll = rng.random()
    try:
        if roll < 0.25 or not ideas:
            svc.idea_post(
                participant=who,
                text=f"idée {rng.randrange(10**6)} <script>x</script>",
                theme=rng.choice([None, *themes]),
                client_id=uuid.UUID(int=rng.getrandbits(128)),
            )
        elif roll < 0.55:
            svc.vote_set(participant=who, idea=rng.choice(ideas), value=rng.choice([0, 1]))
        elif roll < 0.65:
            svc.comment_post(
                participant=who,
                idea=rng.choice(ideas),
                text="d'accord",
                client_id=uuid.UUID(int=rng.getrandbits(128)),
            )
        elif roll < 0.72:
            mine = [i for i in ideas if i.author_id == who.pk]
            if mine:
                svc.idea_edit(participant=who, idea=rng.choice(mine), text="reformulée")
        elif roll < 0.9:
            action = rng.choice(["hide", "show", "pin", "unpin", "merge"])
            idea = rng.choice(ideas)
            into = rng.choice(ideas) if action == "merge" else None
            svc.idea_moderate(actor=organizer, idea=idea, action=action, into=into)
        elif roll < 0.95:
            svc.votes_flush(event_id=event.pk)
        else:
            svc.board_set_locked(actor=organizer, event=event, locked=rng.random() < 0.3)
    except (Conflict, Exception) as exc:  # refused writes are part of the game
        from django.core.exceptions import ValidationError

        from ateliers.exceptions import DomainError

        if not isinstance(exc, DomainError | ValidationError):
            raise


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_replay_from_any_seq_onto_its_snapshot_gives_the_fresh_snapshot(seed, event, organizer):
    rng = random.Random(seed)
    themes = [event.themes.create(name_fr=f"Thème {i}") for i in range(2)]
    people = [factories.make_participant(event, f"P{i}") for i in range(5)]
    snapshots = {}
    for _step in range(120):
        random_operation(rng, event, people, organizer, themes)
        if rng.random() < 0.5:
            svc.votes_flush(event_id=event.pk)  # what a catch-up does first
        snap = normalize(board_snapshot(event))
        snapshots.setdefault(snap["seq"], snap)
    svc.votes_flush(event_id=event.pk)
    fresh = normalize(board_snapshot(event))
    assert fresh["seq"] > 20
    assert any(i["status"] == "merged" for i in fresh["ideas"].values())
    for seq, old in snapshots.items():
        state = copy.deepcopy(old)
        for message in board_events_since(event, seq, limit=10_000):
            apply(state, message)
        assert state == fresh, f"replay from seq {seq} diverged"


def test_snapshot_from_seq_zero_replay_equals_fresh(event, organizer):
    """An empty board plus the whole log is the board."""
    rng = random.Random(7)
    people = [factories.make_participant(event, f"P{i}") for i in range(3)]
    empty = normalize(board_snapshot(event))
    for _step in range(60):
        random_operation(rng, event, people, organizer, [])
    svc.votes_flush(event_id=event.pk)
    state = copy.deepcopy(empty)
    for message in board_events_since(event, 0, limit=10_000):
        apply(state, message)
    assert state == normalize(board_snapshot(event))


def test_vote_then_unvote_between_flushes_does_not_fool_a_snapshot(event):
    """A snapshot taken while a vote is not yet logged must not carry it: if the vote is
    withdrawn before the next flush, no ``votes.changed`` would ever correct the client."""
    author, voter = (factories.make_participant(event, n) for n in "AB")
    idea = factories.post_idea(author)
    svc.vote_set(participant=voter, idea=idea, value=1)  # not flushed yet
    old = normalize(board_snapshot(event))
    svc.vote_set(participant=voter, idea=idea, value=0)
    svc.votes_flush(event_id=event.pk)
    state = copy.deepcopy(old)
    for message in board_events_since(event, old["seq"], limit=100):
        apply(state, message)
    assert state == normalize(board_snapshot(event))
    assert state["ideas"][idea.pk]["votes"] == 0


def assemble(event, viewer=None, between=None) -> tuple[dict, list[int]]:
    """A client reading the board state in parts (``between`` runs before each part);
    returns the state and the id of every idea received, in order."""
    head = board_head(event, viewer)
    assert _size(head) <= 256 * 1024
    state = normalize({**head, "comments": []})
    received = [idea["id"] for idea in head["ideas"]]
    my_votes = set(head.get("my_votes", []))
    cursor = head["next"]
    while cursor is not None:
        if between is not None:
            between()
        part = board_part(event, PartCursor.decode(cursor), viewer)
        assert _size(part) <= 256 * 1024
        received += [idea["id"] for idea in part["ideas"]]
        state["ideas"].update({idea["id"]: idea for idea in part["ideas"]})
        state["comments"].update({c["id"]: c for c in part["comments"]})
        my_votes |= set(part.get("my_votes", []))
        cursor = part["next"]
    state["my_votes"] = sorted(my_votes)
    return state, received


def _size(value) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


@pytest.fixture
def small_parts(settings):
    settings.LIVINGLAB = {**settings.LIVINGLAB, "BOARD_PART_BYTES": 6 * 1024}
    settings.LIVINGLAB["BOARD_HEAD_IDEAS_PER_THEME"] = 2


def test_parts_give_every_idea_once_and_sum_to_the_snapshot(event, organizer, small_parts):
    rng = random.Random(11)
    themes = [event.themes.create(name_fr=f"Thème {i}") for i in range(3)]
    people = [factories.make_participant(event, f"P{i}") for i in range(6)]
    for _step in range(200):
        random_operation(rng, event, people, organizer, themes)
    svc.votes_flush(event_id=event.pk)
    state, received = assemble(event, people[0])
    fresh = board_snapshot(event, people[0])
    assert len(received) == len(set(received)) == len(fresh["ideas"]) > 20
    assert state["comments"] and state["ideas"] == normalize(fresh)["ideas"]
    assert state["comments"] == normalize(fresh)["comments"]
    assert state["my_votes"] == fresh["my_votes"]


@pytest.mark.parametrize("seed", [5, 6])
def test_parts_read_while_the_board_changes_then_replay_give_the_fresh_state(
    seed, event, organizer, small_parts
):
    """Parts are read at different moments; replaying the log from the head's seq on
    top of them gives today's state (payloads are absolute state)."""
    rng = random.Random(seed)
    themes = [event.themes.create(name_fr=f"Thème {i}") for i in range(2)]
    people = [factories.make_participant(event, f"P{i}") for i in range(5)]
    for _step in range(120):
        random_operation(rng, event, people, organizer, themes)
    svc.votes_flush(event_id=event.pk)
    head_seq = board_head(event)["seq"]

    def meanwhile():
        for _ in range(3):
            random_operation(rng, event, people, organizer, themes)
        svc.votes_flush(event_id=event.pk)

    state, _received = assemble(event, between=meanwhile)
    state.pop("my_votes")
    state["seq"] = head_seq
    svc.votes_flush(event_id=event.pk)
    for message in board_events_since(event, head_seq, limit=10_000):
        apply(state, message)
    assert state == normalize(board_snapshot(event))


def test_head_is_built_once_per_seq(event):
    author = factories.make_participant(event, "A")
    for i in range(30):
        factories.post_idea(author, f"idée {i}")
    board_head(event)
    # seq and the themes; the ideas come cached
    with assert_queries("selector board_head at an unchanged seq", at_most=True):
        again = board_head(event)
    factories.post_idea(author, "une de plus")
    assert board_head(event)["seq"] == again["seq"] + 1
