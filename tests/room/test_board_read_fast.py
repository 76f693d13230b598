"""The anonymous board read answered before Django (``api/board_read.py``, issue 14): a
repeat gets the very response Django gave (status, headers, body), and only while the
board is at the same seq, the event public and no tally waits; everything else is
Django's."""

from __future__ import annotations

import asyncio
import gzip
import json

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.core.asgi import get_asgi_application
from django.db import DEFAULT_DB_ALIAS, connections

from api import board_read
from ateliers.models import Event, Idea
from ateliers.services import board as svc
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def app(settings):
    settings.SECURE_SSL_REDIRECT = False
    settings.LIVINGLAB = {**settings.LIVINGLAB, "VOTE_COALESCE_SECONDS": 0}
    board_read._memo.clear()
    # Django's ASGI handler opens a connection in each request's context; with persistent
    # connections (PostgreSQL: 60 s) it outlives the request and psycopg warns when it
    # is collected, in whichever test runs then. Closed at the end of each request here.
    shared = connections.settings[DEFAULT_DB_ALIAS]
    max_age = shared["CONN_MAX_AGE"]
    shared["CONN_MAX_AGE"] = 0
    yield board_read.AnonymousBoardReads(get_asgi_application())
    shared["CONN_MAX_AGE"] = max_age


@pytest.fixture
def event():
    event = factories.make_event(created_by=factories.make_organizer())
    event.themes.create(name_fr="Mobilité", name_en="Mobility")
    author = factories.make_participant(event, "Autrice")
    factories.post_idea(author, "Des rampes d'accès")
    return event


async def get(app, path, *headers) -> dict:
    """One request through the ASGI app, to the end (the client then goes away)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }
    communicator = ApplicationCommunicator(app, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(20)
    body = b""
    while True:
        message = await communicator.receive_output(20)
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    await communicator.send_input({"type": "http.disconnect"})
    await communicator.wait(20)
    return {"status": start["status"], "headers": sorted(start["headers"]), "body": body}


def ideas(response) -> list[str]:
    body = response["body"]
    if (b"Content-Encoding", b"gzip") in response["headers"]:
        body = gzip.decompress(body)
    return [idea["text"] for idea in json.loads(body)["snapshot"]["ideas"]]


def served() -> tuple[int, int]:
    return board_read.stats["hits"], board_read.stats["misses"]


async def test_a_repeat_gets_the_same_response_without_django(app, event):
    path = f"/api/events/{event.pk}/board/"
    for encoding in (b"gzip, deflate", b"identity"):
        first = await get(app, path, (b"accept-encoding", encoding))
        hits = served()[0]
        again = await get(app, path, (b"accept-encoding", encoding))
        assert served()[0] == hits + 1  # answered from the memo
        assert again == first  # status, every header, body: byte for byte
        assert first["status"] == 200
        names = {name.lower(): value for name, value in first["headers"]}
        assert names[b"content-type"] == b"application/json"
        assert names[b"etag"].startswith(b'"')
        assert b"Accept-Encoding" in names[b"vary"] and b"Accept-Language" in names[b"vary"]
        assert b"content-security-policy" in names and b"x-content-type-options" in names
        assert ideas(again) == ["Des rampes d'accès"]
    # The client that has it gets a 304, from Django then from the memo, the same.
    etag = dict(first["headers"])[b"ETag"]
    not_modified = await get(app, path, (b"if-none-match", etag))
    assert not_modified["status"] == 304 and not_modified["body"] == b""
    assert await get(app, path, (b"if-none-match", etag)) == not_modified


async def test_a_change_is_seen_at_once(app, event):
    path = f"/api/events/{event.pk}/board/"
    await get(app, path)
    author = await sync_to_async(factories.make_participant)(event, "Autre")
    await sync_to_async(factories.post_idea)(author, "Un banc de plus")
    hits = served()[0]
    after = await get(app, path)
    assert served()[0] == hits  # another seq: Django's
    assert ideas(after) == ["Des rampes d'accès", "Un banc de plus"]
    # a theme renamed (no logged event): the cache generation moves
    theme = await sync_to_async(event.themes.get)()
    theme.name_fr = "Déplacements"
    await sync_to_async(theme.save)()
    body = json.loads((await get(app, path))["body"])
    assert [t["name"] for t in body["snapshot"]["themes"]] == ["Déplacements"]
    # tallies waiting to be logged: Django's path flushes them first
    await get(app, path)
    await sync_to_async(Idea.objects.filter(event=event).update)(votes=7)
    body = json.loads((await get(app, path))["body"])
    assert [idea["votes"] for idea in body["snapshot"]["ideas"]] == [7, 7]


async def test_a_draft_event_and_a_guest_are_never_served_from_the_memo(app, event):
    path = f"/api/events/{event.pk}/board/"
    assert (await get(app, path))["status"] == 200
    await sync_to_async(Event.objects.filter(pk=event.pk).update)(status="draft")
    assert (await get(app, path))["status"] == 404
    await sync_to_async(Event.objects.filter(pk=event.pk).update)(status="published")
    guest = await sync_to_async(factories.make_participant)(event, "Invitée")
    token = await sync_to_async(svc.participant_token)(guest)
    bearer = (b"authorization", f"Bearer {token}".encode())
    hits = served()[0]
    for _ in range(2):
        response = await get(app, path, bearer)
        assert response["status"] == 200
        assert json.loads(response["body"])["snapshot"]["my_votes"] == []
    assert served()[0] == hits


async def test_parts_and_languages_are_their_own_variants(app, event):
    path = f"/api/events/{event.pk}/board/"
    french = await get(app, path)
    english = await get(app, path, (b"accept-language", b"en"))
    assert json.loads(english["body"])["snapshot"]["themes"][0]["name"] == "Mobility"
    assert json.loads(french["body"])["snapshot"]["themes"][0]["name"] == "Mobilité"
    assert await get(app, path, (b"accept-language", b"en")) == english
    assert await get(app, path) == french


async def test_a_response_that_sets_a_clients_own_cookie_is_never_replayed(app, event):
    """The memo replays headers too: a cookie of one client's own (a CSRF token, a
    session) must never reach another. Only the language cookie that ``?lang=`` sets,
    which follows from the query in the memo's key, may be replayed."""
    other = await sync_to_async(factories.make_event)()
    now = {e.pk: await sync_to_async(board_read._board_now)(e.pk) for e in (event, other)}
    calls = []

    async def django(scope, receive, send):  # the board's answer, with a cookie
        event_id = int(scope["path"].split("/")[3])
        seq, generation, _dirty = now[event_id]
        cookie = b"csrftoken=only-for-you" if event_id == event.pk else b"django_language=fr"
        calls.append(event_id)
        etag = f'"{seq}.{generation}.abc"'.encode()
        headers = [(b"etag", etag), (b"set-cookie", cookie + b"; Path=/")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    reads = board_read.AnonymousBoardReads(django)
    for target in (event, other):
        for _ in range(2):
            assert (await get(reads, f"/api/events/{target.pk}/board/"))["status"] == 200
    # Django answered the CSRF-cookie response both times; the language one once.
    assert calls == [event.pk, event.pk, other.pk]


async def test_readers_of_a_new_seq_wait_for_one_django_pass_and_share_each_check(app, event):
    """20 anonymous readers arrive together after the board moved: Django answers one
    of them, the others get its response from the memo; their checks of the board are
    shared (a read that arrives during a check waits for the next one)."""
    path = f"/api/events/{event.pk}/board/"
    django_calls = []
    inner = app.application

    async def counting(scope, receive, send):
        django_calls.append(scope["path"])
        return await inner(scope, receive, send)

    app.application = counting
    await get(app, path)
    author = await sync_to_async(factories.make_participant)(event, "Autre")
    await sync_to_async(factories.post_idea)(author, "Un banc de plus")
    checks = []
    real_now = board_read.board_now

    async def counted_now(event_id):
        checks.append(event_id)
        return await real_now(event_id)

    board_read.board_now = counted_now
    try:
        django_calls.clear()
        responses = await asyncio.gather(*(get(app, path) for _ in range(20)))
    finally:
        board_read.board_now = real_now
    assert django_calls == [path]  # one pass through Django for the new seq
    assert all(r == responses[0] for r in responses)  # the same response, byte for byte
    assert ideas(responses[0]) == ["Des rampes d'accès", "Un banc de plus"]
    assert 1 <= len(checks) < 10  # shared: nowhere near one per read
    # and the next change is seen at once, by a single reader as by many
    await sync_to_async(factories.post_idea)(author, "Et un abri")
    assert ideas(await get(app, path))[-1] == "Et un abri"


async def test_a_reader_waiting_for_a_response_that_cannot_be_kept_goes_to_django(app, event):
    """The first reader's response is not kept (a draft event's 404): those who waited
    for it ask Django themselves, and get their own answer."""
    path = f"/api/events/{event.pk}/board/"
    await sync_to_async(Event.objects.filter(pk=event.pk).update)(status="draft")
    responses = await asyncio.gather(*(get(app, path) for _ in range(5)))
    assert [r["status"] for r in responses] == [404] * 5


def test_the_pace_gives_a_burst_at_once_then_one_slot_per_interval(settings):
    settings.LIVINGLAB = {
        **settings.LIVINGLAB,
        "ANONYMOUS_BOARD_READS_PER_SECOND": 10,
        "ANONYMOUS_BOARD_READ_BURST": 3,
        "ANONYMOUS_BOARD_READ_MAX_WAIT": 1,
    }
    pace = board_read.Pace()
    waits = [pace.delay(100.0) for _ in range(14)]
    assert waits[:3] == [0.0, 0.0, 0.0]  # the burst
    assert waits[3:13] == pytest.approx([0.1 * k for k in range(1, 11)])  # then 10 a second
    assert waits[13] is None  # more than a second away: refused, and no slot taken
    assert pace.delay(100.0) is None
    assert pace.delay(101.05) == pytest.approx(0.05)  # time frees slots again
    assert pace.delay(200.0) == 0.0  # after a quiet spell, a burst again


def test_the_pace_slows_while_the_loop_is_late_and_comes_back(settings):
    settings.LIVINGLAB = {
        **settings.LIVINGLAB,
        "ANONYMOUS_BOARD_READS_PER_SECOND": 10,
        "ANONYMOUS_BOARD_READ_BURST": 1,
        "ANONYMOUS_BOARD_READ_MAX_WAIT": 100,
    }
    pace = board_read.Pace()
    assert [pace.delay(0.0), pace.delay(0.0)] == [0.0, pytest.approx(0.1)]
    for _ in range(3):
        pace.observe(0.050)  # callbacks waited 50 ms for their turn
    assert pace.factor == pytest.approx(0.343)
    assert pace.delay(0.0) == pytest.approx(0.2)  # the slot taken before
    assert pace.delay(0.0) == pytest.approx(0.2 + 0.1 / 0.343)  # 3.43 reads a second
    for _ in range(30):
        pace.observe(0.005)  # neither late nor punctual: the pace holds
    assert pace.factor == pytest.approx(0.343)
    for _ in range(100):
        pace.observe(0.001)
    assert pace.factor == 1.0
    for _ in range(100):
        pace.observe(1.0)
    assert pace.factor == board_read.Pace.FLOOR  # never stops reads altogether


async def test_paced_reads_wait_their_turn_and_a_read_too_far_back_gets_429(app, event, settings):
    """A crowd of anonymous readers: each gets the board, in turn; past the longest wait
    a clear 429 with Retry-After, in the reader's language. Guests are never paced."""
    settings.LIVINGLAB = {
        **settings.LIVINGLAB,
        "ANONYMOUS_BOARD_READS_PER_SECOND": 20,
        "ANONYMOUS_BOARD_READ_BURST": 2,
        "ANONYMOUS_BOARD_READ_MAX_WAIT": 0.5,
    }
    path = f"/api/events/{event.pk}/board/"
    paced, refused = board_read.stats["paced"], board_read.stats["refused"]
    loop = asyncio.get_running_loop()
    start = loop.time()
    languages = [(b"accept-language", b"en"), (b"accept-language", b"fr-CA,fr;q=0.9")]
    responses = await asyncio.gather(*(get(app, path, languages[i % 2]) for i in range(20)))
    statuses = [r["status"] for r in responses]
    assert statuses[:4] == [200] * 4  # 2 at once, then one each 50 ms
    assert ideas(responses[3]) == ["Des rampes d'accès"]
    assert loop.time() - start >= 0.09
    assert board_read.stats["paced"] - paced >= 2
    refusals = [r for r in responses if r["status"] == 429]
    assert len(refusals) == board_read.stats["refused"] - refused >= 5
    for response in refusals:
        headers = dict(response["headers"])
        assert headers[b"retry-after"] == b"1"
        assert headers[b"content-type"] == b"application/json"
    details = {json.loads(r["body"])["detail"] for r in refusals}
    assert details == {
        "Too many board reads at once: try again shortly.",
        "Trop de lectures du tableau en même temps : réessayez dans un instant.",
    }
    # a guest's read is Django's, with its own throttles: never paced here
    guest = await sync_to_async(factories.make_participant)(event, "Invitée")
    token = await sync_to_async(svc.participant_token)(guest)
    board_read.pace.free_at = loop.time() + 100  # the anonymous pace is exhausted
    response = await get(app, path, (b"authorization", f"Bearer {token}".encode()))
    assert response["status"] == 200
    assert (await get(app, path))["status"] == 429
