"""The anonymous board read before Django: the same bytes again, without the stack.

``GET /api/events/{id}/board/`` without a token or a session answers everyone the same
bytes at one board ``seq`` (``api.views.board.BoardView``: rendered and gzipped once per
seq). Even so each read went through Django's sync middleware and DRF in the one thread
Django shares for sync code: 100 anonymous readers in a loop made a guest's post wait
(its ack p95 ×4.5 the idle figure). This ASGI middleware keeps, per process, the last
response Django gave to each anonymous variant of the request (the query, host,
languages, encodings and ``If-None-Match`` a response depends on) with the ``seq`` and
cache generation its ``ETag`` names, and answers a repeat itself after one query on its
own thread: the board's current ``seq``, whether the event is still public and whether
vote tallies wait to be logged (Django's path flushes them first). Anything else —
another seq, a draft event, pending tallies, a token, a session, a miss, an error — goes
to Django as before. The replayed response is the one Django built, headers and body.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import weakref
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from channels.db import DatabaseSyncToAsync
from django.conf import settings

logger = logging.getLogger(__name__)

BOARD_PATH = re.compile(r"^/api/events/([0-9]{1,18})/board/$")
# The request headers a board response depends on (besides the query string): the host
# (absolute ``next`` URLs), the scheme behind a proxy, languages, encodings, the ETag.
VARY = (
    b"host",
    b"x-forwarded-proto",
    b"x-forwarded-host",
    b"x-forwarded-port",
    b"accept-language",
    b"accept-encoding",
    b"if-none-match",
)
MEMO_SIZE = 256  # responses kept per process, and at most MEMO_BYTES of bodies
MEMO_BYTES = 16 * 1024 * 1024
ETAG = re.compile(rb'^"([0-9]+)\.([0-9]+)\.[0-9a-f]+z?"$')

_memo: OrderedDict[tuple, tuple] = OrderedDict()
stats = {"hits": 0, "misses": 0, "paced": 0, "refused": 0}
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="board-read")


def _board_now_query(keys: list[int]):
    from django.db.models import Exists, F, OuterRef

    from ateliers.choices import EventStatus
    from ateliers.models import Event, Idea
    from ateliers.selectors.board import _seq_subquery

    return (
        Event.objects.filter(pk__in=keys)
        .exclude(status=EventStatus.DRAFT)
        .annotate(
            board_seq=_seq_subquery("pk"),
            dirty=Exists(
                Idea.objects.filter(event_id=OuterRef("pk")).exclude(votes=F("votes_logged"))
            ),
        )
        .order_by()
        .values_list("board_seq", "dirty")
    )


def _board_now(event_id: int) -> tuple[int, str, bool] | None:
    """(seq, cache generation, tallies waiting) of a public event's board, or ``None``.
    The check of every replayed read: its SQL is compiled once (``selectors/compiled``)."""
    from django.db import connection

    from ateliers.selectors.board import board_generation
    from ateliers.selectors.compiled import compiled

    sql, params = compiled("board now", [event_id], _board_now_query)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0] or 0, board_generation(event_id), bool(row[1])


board_now = DatabaseSyncToAsync(_board_now, thread_sensitive=False, executor=_executor)


def _anonymous_key(scope) -> tuple | None:
    """The memo key of an anonymous board read, or ``None`` if it is not one."""
    if scope.get("method") != "GET":
        return None
    match = BOARD_PATH.match(scope.get("path", ""))
    if match is None:
        return None
    headers: dict[bytes, bytes] = {}
    for name, value in scope.get("headers") or ():
        name = name.lower()
        if name in headers:  # a repeated header: let Django read it
            return None
        headers[name] = value
    if b"authorization" in headers:
        return None
    language = b""
    for part in headers.get(b"cookie", b"").split(b";"):
        name, _sep, value = part.strip().partition(b"=")
        if name == settings.SESSION_COOKIE_NAME.encode():
            return None  # an account's session: Django decides what it sees
        if name == settings.LANGUAGE_COOKIE_NAME.encode():
            language = value
    return (
        int(match.group(1)),
        scope.get("scheme", "http"),
        scope.get("query_string", b""),
        language,
        *(headers.get(name, b"") for name in VARY),
    )


class _Checks:
    """The board's state is checked once for all the reads that wait for it: a read
    that arrives while a check runs waits for the next one, which starts after it
    arrived, so every answer is as fresh as a check of its own; 100 readers in a loop
    make one query at a time, not 100 (each a turn of the GIL taken from the writes)."""

    def __init__(self) -> None:
        self.waiting: dict[int, list[asyncio.Future]] = {}
        self.running: dict[int, asyncio.Task] = {}

    async def now(self, event_id: int):
        future = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(event_id, []).append(future)
        if event_id not in self.running:
            self.running[event_id] = asyncio.ensure_future(self._run(event_id))
        return await future

    async def _run(self, event_id: int) -> None:
        try:
            while self.waiting.get(event_id):
                batch = self.waiting.pop(event_id)
                try:
                    result, error = await board_now(event_id), None
                except Exception as exc:  # noqa: BLE001 - handed to each read
                    result, error = None, exc
                for future in batch:
                    if future.done():
                        continue
                    if error is not None:
                        future.set_exception(error)
                    else:
                        future.set_result(result)
        finally:
            self.running.pop(event_id, None)


_checks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def checks() -> _Checks:
    """This event loop's checks (tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    found = _checks.get(loop)
    if found is None:
        found = _checks[loop] = _Checks()
    return found


class Pace:
    """At most ``rate`` anonymous reads a second in this process, ``burst`` at once
    (the generic cell rate algorithm: each read takes the next free slot). A read
    whose slot is more than ``max_wait`` seconds away is refused (429, Retry-After).

    Why: a read costs daphne's one event loop about half a millisecond (Twisted's
    parsing, the check, the response); 100 clients reading a 5,000-idea board in a loop
    asked for 1,300-2,000 a second and left the room's writes waiting their turn in
    the loop (a post's acknowledgement ×7-11 its idle time). Paced, a phone's post
    goes at once, and a reader waits a little longer for a board that changes a few
    times a second at most. A real projector or partner page reads every few seconds.

    The rate also follows the event loop's health (``observe``): on a machine short of
    CPU (other programs, a busy neighbour) the same reads cost a larger share of it, so
    while callbacks wait for their turn in the loop the pace slows (×0.7 per late
    sample, down to 5 %), and it comes back by 5 % of the rate per punctual one.
    """

    LATE = 0.010  # seconds a callback waited: the loop is short of CPU
    PUNCTUAL = 0.003
    FLOOR = 0.05

    def __init__(self) -> None:
        self.free_at = 0.0
        self.factor = 1.0
        self.sampled_at = 0.0

    def observe(self, lag: float) -> None:
        """How long a callback waited for its turn in the loop (``_sample_lag``)."""
        if lag > self.LATE:
            self.factor = max(self.FLOOR, self.factor * 0.7)
        elif lag < self.PUNCTUAL:
            self.factor = min(1.0, self.factor + 0.05)

    def delay(self, now: float) -> float | None:
        """Seconds to wait for a slot (taking it), or ``None`` if too long."""
        config = settings.LIVINGLAB
        rate = float(config["ANONYMOUS_BOARD_READS_PER_SECOND"])
        if rate <= 0:
            return 0.0
        interval = 1.0 / (rate * self.factor)
        burst = max(1, int(config["ANONYMOUS_BOARD_READ_BURST"]))
        slot = max(self.free_at, now - (burst - 1) * interval)
        wait = slot - now
        if wait > config["ANONYMOUS_BOARD_READ_MAX_WAIT"]:
            return None
        self.free_at = slot + interval
        return max(wait, 0.0)


pace = Pace()

LAG_SAMPLE_SECONDS = 0.05


def _sample_lag(loop) -> None:
    """At most 20 times a second, while anonymous reads come: how long a callback
    scheduled now waits for its turn in the loop, told to ``pace``."""
    now = loop.time()
    if now - pace.sampled_at >= LAG_SAMPLE_SECONDS:
        pace.sampled_at = now
        loop.call_soon(lambda: pace.observe(loop.time() - now))


def _language(key: tuple) -> str:
    """The language of an anonymous read: its cookie, else its Accept-Language, else the
    site's (as Django's LocaleMiddleware decides, for the languages we have)."""
    from django.utils.translation import get_supported_language_variant
    from django.utils.translation.trans_real import parse_accept_lang_header

    cookie = key[3].decode("latin1")
    accept = key[4 + VARY.index(b"accept-language")].decode("latin1")
    for wanted in (cookie, *(lang for lang, _q in parse_accept_lang_header(accept))):
        try:
            return get_supported_language_variant(wanted)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


async def _too_many(send, key: tuple, wait: float) -> None:
    from django.utils import translation

    retry = str(max(1, math.ceil(wait))).encode()
    with translation.override(_language(key)):
        detail = translation.gettext("Too many board reads at once: try again shortly.")
    body = json.dumps({"detail": detail, "code": "throttled"}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", retry),
                (b"x-content-type-options", b"nosniff"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AnonymousBoardReads:
    """ASGI middleware in front of Django's HTTP app (``livinglab/asgi.py``).

    Anonymous reads are paced (``Pace``).

    When the board moves, the readers of one variant do not all go to Django: the first
    does, the others wait for its response and are answered from the memo (after a
    check of their own); if it could not be kept, each goes to Django as before."""

    def __init__(self, application) -> None:
        self.application = application
        self.building: dict[tuple, asyncio.Future] = {}

    async def __call__(self, scope, receive, send):
        key = _anonymous_key(scope) if scope["type"] == "http" else None
        if key is None:
            return await self.application(scope, receive, send)
        loop = asyncio.get_running_loop()
        _sample_lag(loop)
        wait = pace.delay(loop.time())
        if wait is None:
            stats["refused"] += 1
            return await _too_many(send, key, settings.LIVINGLAB["ANONYMOUS_BOARD_READ_MAX_WAIT"])
        if wait > 0:
            stats["paced"] += 1
            await asyncio.sleep(wait)
        for attempt in range(2):
            if await self._replay(key, send):
                return None
            building = self.building.get(key)
            if building is None or attempt:
                break
            await asyncio.shield(building)  # another read of this variant is in Django
        stats["misses"] += 1
        leading = key not in self.building  # else a second wait would be one too many
        if leading:
            self.building[key] = loop.create_future()
        try:
            return await self.application(scope, receive, _Recorder(key, send))
        finally:
            if leading:
                self.building.pop(key).set_result(None)

    async def _replay(self, key: tuple, send) -> bool:
        """Send the memo's response if the board is still where it was; ``False`` if
        there is none, or it is not current."""
        entry = _memo.get(key)
        if entry is None:
            return False
        try:
            now = await checks().now(key[0])
        except Exception:  # the database is unwell: Django answers (and says so)
            logger.exception("board read check failed")
            return False
        if now is None or now[2] or now[:2] != entry[0]:
            return False
        _memo.move_to_end(key)
        stats["hits"] += 1
        await send(entry[1])
        await send(entry[2])
        return True


def _same_for_everyone(set_cookie: bytes) -> bool:
    """The language cookie that ``?lang=`` sets follows from the query (part of the
    memo's key); any other cookie may belong to this client alone (a CSRF token, a
    session)."""
    name = set_cookie.split(b"=", 1)[0].strip()
    return name == settings.LANGUAGE_COOKIE_NAME.encode()


class _Recorder:
    """Passes Django's response on and keeps it if it is a board body at one seq."""

    def __init__(self, key: tuple, send) -> None:
        self.key = key
        self.send = send
        self.start = None
        self.chunks: list[bytes] = []
        self.seq = None

    async def __call__(self, message):
        await self.send(message)
        if message["type"] == "http.response.start":
            self.start = message
            if message["status"] in (200, 304):
                etag = b""
                for name, value in message.get("headers") or ():
                    if name.lower() == b"etag":
                        etag = value
                    elif name.lower() == b"set-cookie" and not _same_for_everyone(value):
                        return  # a cookie of this client's own is never replayed to another
                found = ETAG.match(etag)
                if found is not None:
                    self.seq = (int(found.group(1)), found.group(2).decode())
        elif message["type"] == "http.response.body" and self.seq is not None:
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = {"type": "http.response.body", "body": b"".join(self.chunks)}
                start = {
                    "type": "http.response.start",
                    "status": self.start["status"],
                    "headers": list(self.start.get("headers") or ()),
                }
                _memo[self.key] = (self.seq, start, body)
                _memo.move_to_end(self.key)
                size = sum(len(entry[2]["body"]) for entry in _memo.values())
                while len(_memo) > MEMO_SIZE or size > MEMO_BYTES:
                    _key, dropped = _memo.popitem(last=False)
                    size -= len(dropped[2]["body"])
