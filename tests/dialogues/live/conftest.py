"""A live session of the arena world (tests/dialogues/conftest.py) and sockets into it as any
of its people: ``await connect(world.coordinator, view="host")`` gives an open communicator whose
first message (the snapshot) has been read and is kept as ``.snapshot``."""

from __future__ import annotations

import asyncio
import gc
import itertools

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.test import override_settings

from dialogues import services
from dialogues.live import access, consumer
from dialogues.live.services import participant_join_guest
from dialogues.models import ArenaSession
from matchplats.routing import websocket_urlpatterns
from tests.dialogues.conftest import make_session

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
_ids = itertools.count(1)


def command_id() -> str:
    return f"c-{next(_ids)}"


def app_as(user, cookies: dict | None = None):
    """The websocket routes with the person (and cookies) the auth middleware would have set."""
    inner = URLRouter(websocket_urlpatterns)

    async def app(scope, receive, send):
        return await inner(dict(scope, user=user or AnonymousUser(), cookies=cookies or {}), receive, send)

    return app


class Socket(WebsocketCommunicator):
    snapshot: dict
    session_id: int

    async def command(self, type_: str, **fields) -> dict:
        """Send a command and return the first ack or error for it (events in between are kept)."""
        cid = fields.pop("id", None) or command_id()
        await self.send_json_to({"type": type_, "id": cid, "session": fields.pop("session", self.session_id),
                                 **fields})
        return await self.reply(cid)

    async def reply(self, cid: str) -> dict:
        while True:
            message = await self.receive_json_from(timeout=5)
            if message["type"] in ("ack", "error") and message.get("id") == cid:
                return message
            self.seen.append(message)

    async def next_of(self, type_: str, timeout: float = 5) -> dict:
        for i, message in enumerate(self.seen):
            if message["type"] == type_:
                return self.seen.pop(i)
        while True:
            message = await self.receive_json_from(timeout=timeout)
            if message["type"] == type_:
                return message
            self.seen.append(message)

    async def event(self, event_type: str, timeout: float = 5) -> dict:
        """The next event of ``event_type`` (others are skipped)."""
        while True:
            message = await self.next_of("event", timeout)
            if message["event"]["type"] == event_type:
                return message


async def open_socket(session: ArenaSession, user=None, *, view: str = "participant", cookies=None) -> Socket:
    socket = Socket(app_as(user, cookies), f"/ws/arenor/moten/{session.pk}/?view={view}")
    socket.session_id = session.pk
    socket.seen = []
    connected, _ = await socket.connect()
    assert connected
    socket.snapshot = await socket.receive_json_from(timeout=5)
    return socket


def guest_cookies(participant) -> dict:
    return {access.guest_cookie_name(participant.session_id): access.guest_token(participant)}


@pytest_asyncio.fixture(autouse=True)
async def close_connections_of_the_database_thread():
    """The consumers' queries run in the live layer's pool of threads (PostgreSQL) or Channels'
    database thread: stop the one and close the other's connection after each test, so the test
    database can be dropped."""
    yield
    await consumer.tallies.drain()
    await consumer.owed_disconnects.drain()
    await consumer.presences.drain()
    # Off the event loop: a job still in a database thread may need the loop to broadcast.
    await asyncio.to_thread(consumer.shutdown_pool)
    gc.collect()
    await database_sync_to_async(connections.close_all)()


@pytest.fixture
def layer():
    with override_settings(CHANNEL_LAYERS=IN_MEMORY, LIVE_TALLY_INTERVAL=0.05):
        channel_layers.backends.clear()
        yield
    channel_layers.backends.clear()


@pytest.fixture
def live(world, layer) -> ArenaSession:
    session = make_session(world)
    return services.session_state_set(actor=world.coordinator, session=session, state=ArenaSession.State.LIVE)


@pytest.fixture
def guest(live):
    return participant_join_guest(session=live, display_name="Gäst Gästsson")
