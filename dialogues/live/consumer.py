"""The websocket of a live session (docs/live-protocol.md). Thin: it parses and checks messages,
hands commands to ``dialogues.live.services`` and forwards events from the channel layer."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from dialogues.live import access, services, state
from dialogues.live.publish import group_name
from dialogues.live.services import HOST_COMMANDS, PARTICIPANT_COMMANDS, TALLIED, LiveError, Viewer
from dialogues.live.state import AUDIENCES
from dialogues.models import ArenaSession, Participant
from matchplats.core.cache import REDIS_UNREACHABLE
from matchplats.core.middleware import DATABASE_UNREACHABLE

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024
PRESENCE_INTERVAL = 1.0


class TokenBucket:
    """``rate`` commands a second on average, ``burst`` at once."""

    def __init__(self, rate: float, burst: float):
        self.rate, self.burst = rate, burst
        self.tokens, self.at = burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Coalescer:
    """Runs ``job(session_id)`` at most once per ``interval`` per session in this process, and
    always once more after the last request: nothing requested is left unsent."""

    def __init__(self, interval: float, job):
        self.interval, self.job = interval, job
        self.pending: dict[int, asyncio.Task] = {}
        self.tasks: set[asyncio.Task] = set()
        self.last: dict[int, float] = {}

    def request(self, session_id: int) -> None:
        loop = asyncio.get_running_loop()
        task = self.pending.get(session_id)
        if task is None or task.done() or task.get_loop() is not loop:
            task = self.pending[session_id] = loop.create_task(self._run(session_id))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def drain(self) -> None:
        """Wait for the jobs requested so far (tests, before they stop the database threads)."""
        loop = asyncio.get_running_loop()
        while mine := [task for task in self.tasks if task.get_loop() is loop and not task.done()]:
            await asyncio.gather(*mine, return_exceptions=True)

    async def _run(self, session_id: int) -> None:
        try:
            wait = self.last.get(session_id, 0.0) + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.pending.pop(session_id, None)
            self.last[session_id] = time.monotonic()
            await self.job(session_id)
        finally:
            self.pending.pop(session_id, None)


_pool: ThreadPoolExecutor | None = None


def _db(func):
    """``func`` (ORM code) made awaitable. On PostgreSQL it runs in a pool of
    ``LIVE_DB_THREADS`` threads, each with its own connection, so that one socket's slow command
    does not hold up every other socket of the process (Channels' default runs all of them on
    one thread, one after the other); SQLite allows one writer, so there it keeps that thread."""
    global _pool
    threads = settings.LIVE_DB_THREADS
    if not threads or connection.vendor != "postgresql":
        return database_sync_to_async(func)
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="live-db")
    return database_sync_to_async(func, thread_sensitive=False, executor=_pool)


def shutdown_pool() -> None:
    """Stop the pool's threads (tests, before the test database is dropped)."""
    global _pool
    if _pool is not None:
        _pool.submit(lambda: None).result()
        _pool.shutdown(wait=True)
        _pool = None


async def _tally(session_id: int) -> None:
    await _db(services.tally)(session_id)


async def _presence(session_id: int) -> None:
    count = await _db(state.presence_count)(session_id)
    layer = get_channel_layer()
    try:
        for audience in AUDIENCES:
            await layer.group_send(group_name(session_id, audience), {"type": "live.presence", "count": count})
    except REDIS_UNREACHABLE as error:  # not versioned: the next snapshot carries the count
        log.warning("live session %s: presence not sent, the channel layer is unreachable (%s)", session_id, error)


tallies = Coalescer(settings.LIVE_TALLY_INTERVAL, _tally)
presences = Coalescer(PRESENCE_INTERVAL, _presence)


class OwedDisconnects:
    """Presence decrements the database could not take: it was unreachable when the socket
    closed. The process keeps them and retries (``FIRST`` seconds, doubling to ``LONGEST``) until
    the database answers, then publishes the count again; without this the participant stayed
    counted as connected for good (docs/reliability.md, *Faults*)."""

    FIRST, LONGEST = 0.5, 10.0

    def __init__(self):
        self.owed: Counter[tuple[int, int]] = Counter()
        self.task: asyncio.Task | None = None

    def add(self, session_id: int, participant_id: int) -> None:
        self.owed[(session_id, participant_id)] += 1
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.task.get_loop() is not loop:
            self.task = loop.create_task(self._retry())

    async def settle(self) -> None:
        """Write every owed decrement now, or raise the database's error (what is left stays owed)."""
        while self.owed:
            key = next(iter(self.owed))
            self.owed[key] -= 1  # taken before the await: a concurrent settle cannot pay it twice
            if self.owed[key] <= 0:
                del self.owed[key]
            session_id, participant_id = key
            try:
                await _db(services.presence_disconnect)(participant_id)
            except BaseException:
                self.owed[key] += 1
                raise
            presences.request(session_id)

    async def drain(self) -> None:
        """Wait until the retrying has ended (tests)."""
        task = self.task
        if task is not None and task.get_loop() is asyncio.get_running_loop() and not task.done():
            await asyncio.gather(task, return_exceptions=True)

    async def _retry(self) -> None:
        wait = self.FIRST
        while self.owed:
            await asyncio.sleep(wait)
            try:
                await self.settle()
            except DATABASE_UNREACHABLE as error:
                log.info("live presence: %s disconnects still owed, the database is unreachable (%s)",
                         sum(self.owed.values()), type(error).__name__)
                wait = min(wait * 2, self.LONGEST)
        log.info("live presence: the disconnects owed during the database outage are written")


owed_disconnects = OwedDisconnects()


def _language(scope) -> str:
    """The page's language: the language cookie, else the browser's first supported language."""
    chosen = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
    if not chosen:
        header = dict(scope.get("headers", [])).get(b"accept-language", b"").decode("latin-1")
        chosen = next((code for code, _q in parse_accept_lang_header(header)), "")
    try:
        return translation.get_supported_language_variant(chosen)
    except LookupError:
        return settings.LANGUAGE_CODE


def _error(code: str, message: str, command_id=None) -> dict:
    body = {"type": "error", "code": code, "message": message}
    if command_id is not None:
        body["id"] = command_id
    return body


class LiveConsumer(AsyncWebsocketConsumer):
    viewer: Viewer | None = None

    async def __call__(self, scope, receive, send):
        """A socket whose channel layer (Redis) or database becomes unreachable, while joining its
        group, waiting for events or running a command, is closed with ``CLOSE_UNAVAILABLE``: the
        client shows that it reconnects, keeps its unacknowledged commands and resends them once
        the snapshot has come (docs/reliability.md, *Faults*). The server process and its other
        sockets go on."""
        try:
            await super().__call__(scope, receive, send)
        except REDIS_UNREACHABLE + DATABASE_UNREACHABLE as error:
            log.warning("live session socket closed: %s unreachable (%s: %s)",
                        "the database is" if isinstance(error, DATABASE_UNREACHABLE) else "the channel layer is",
                        type(error).__name__, str(error).strip().splitlines()[0] if str(error).strip() else "")
            await self._leave()
            with contextlib.suppress(Exception):  # the client may have gone already
                await send({"type": "websocket.close", "code": access.CLOSE_UNAVAILABLE})

    async def connect(self):
        await self.accept()
        self.language = _language(self.scope)
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        view = parse_qs(self.scope.get("query_string", b"").decode()).get("view", ["participant"])[0]
        token = self.scope.get("cookies", {}).get(access.guest_cookie_name(session_id))
        opened = await _db(access.open_view)(
            user=self.scope["user"], session_id=session_id, view=view, guest_token_value=token)
        if isinstance(opened, access.Refusal):
            await self.send_json(_error("refused", opened.reason))
            await self.close(code=opened.code)
            return
        self.viewer = opened
        self.bucket = TokenBucket(*settings.LIVE_COMMAND_RATE)
        await self.channel_layer.group_add(group_name(session_id, opened.audience), self.channel_name)
        snapshot, closed = await _db(self._snapshot)(connect=True)
        await self.send_json(snapshot)
        if closed:
            await self.close(code=access.CLOSE_CLOSED)
            return
        if opened.participant_id and opened.audience != state.HOST:
            presences.request(session_id)

    async def disconnect(self, code):
        viewer = self.viewer
        if viewer is None:
            return
        try:
            await self.channel_layer.group_discard(group_name(viewer.session_id, viewer.audience), self.channel_name)
        except REDIS_UNREACHABLE:
            pass  # the group's membership expires in Redis by itself (channels_redis group_expiry)
        await self._leave()

    async def _leave(self) -> None:
        """No longer count this socket's participant as present; while the database is
        unreachable the decrement is owed and written once it is back."""
        viewer = self.viewer
        if viewer is not None and viewer.participant_id and self._counted:
            self._counted = False
            try:
                await _db(services.presence_disconnect)(viewer.participant_id)
            except DATABASE_UNREACHABLE:
                owed_disconnects.add(viewer.session_id, viewer.participant_id)
                return
            presences.request(viewer.session_id)

    _counted = False

    def _snapshot(self, *, connect: bool = False) -> tuple[dict, bool]:
        viewer = self.viewer
        counted = False
        with transaction.atomic():
            if connect and viewer.participant_id:
                session_state = ArenaSession.objects.values_list("state", flat=True).get(pk=viewer.session_id)
                if session_state == ArenaSession.State.LIVE:
                    services.presence_connect(viewer.participant_id)
                    counted = True
            session = ArenaSession.objects.select_related("arena").get(pk=viewer.session_id)
            participant = Participant.objects.filter(pk=viewer.participant_id).first()
            with translation.override(self.language):
                body = {"type": "snapshot", "version": session.version,
                        "state": state.snapshot(session, viewer.audience),
                        "me": state.me_data(participant, viewer.audience)}
        self._counted = self._counted or counted  # only once the increment is committed
        return body, session.state == ArenaSession.State.CLOSED

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, ensure_ascii=False, separators=(",", ":")))

    async def receive(self, text_data=None, bytes_data=None):
        if self.viewer is None:
            return
        raw = text_data if text_data is not None else bytes_data
        if len(raw.encode() if isinstance(raw, str) else raw) > MAX_MESSAGE_BYTES:
            await self.send_json(_error("too_large", self._t(_("The message is larger than 16 KB."))))
            return
        try:
            message = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            await self.send_json(_error("bad_json", self._t(_("The message is not valid JSON."))))
            return
        if not isinstance(message, dict):
            await self.send_json(_error("bad_json", self._t(_("The message must be a JSON object."))))
            return
        await self.handle(message)

    def _t(self, message) -> str:
        with translation.override(self.language):
            return str(message)

    async def handle(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "sync":
            body, _closed = await _db(self._snapshot)()
            await self.send_json(body)
            return
        command_id = message.get("id")
        if not isinstance(command_id, str) or not services.COMMAND_ID.match(command_id):
            await self.send_json(_error("bad_id", self._t(
                _("Every command needs an “id”: 1 to 64 letters, digits, “-” or “_”."))))
            return
        if kind not in HOST_COMMANDS and kind not in PARTICIPANT_COMMANDS:
            await self.send_json(_error("unknown_type", self._t(_("Unknown command type.")), command_id))
            return
        session = message.get("session")
        if isinstance(session, bool) or session != self.viewer.session_id:
            await self.send_json(_error("wrong_session", self._t(
                _("The command is for another session than this connection's.")), command_id))
            return
        if not self.bucket.take():
            await self.send_json(_error("rate_limited", self._t(
                _("Too many commands at once; wait a moment and try again.")), command_id))
            return
        try:
            ack = await _db(self._execute)(message)
        except LiveError as error:
            await self.send_json(_error(error.code, error.message, command_id))
            return
        await self.send_json(ack)
        if kind in TALLIED:
            tallies.request(self.viewer.session_id)

    def _execute(self, message: dict) -> dict:
        with translation.override(self.language):
            return services.execute(self.viewer, message)

    async def live_event(self, event):
        await self.send_json({"type": "event", "version": event["version"], "event": event["event"]})
        body = event["event"]
        if body.get("type") == "session.updated" and body["session"]["state"] == ArenaSession.State.CLOSED:
            await self.close(code=access.CLOSE_CLOSED)

    async def live_presence(self, event):
        await self.send_json({"type": "presence", "count": event["count"]})
