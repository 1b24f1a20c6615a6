"""A live socket whose channel layer (Redis) or database becomes unreachable is closed with 4503,
so its client reconnects, and its participant no longer counts as present (docs/reliability.md,
*Faults*; tests/faults/ stop a real Redis under a real server)."""

from __future__ import annotations

import asyncio
from unittest import mock

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, channel_layers
from django.db import OperationalError
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from dialogues.live import consumer
from dialogues.live.access import CLOSE_UNAVAILABLE
from dialogues.live.state import presence_count
from tests.dialogues.live.conftest import Socket, app_as, guest_cookies, open_socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


class FlakyLayer(InMemoryChannelLayer):
    """The in-memory layer, failing as channels_redis does while Redis is down."""

    down = False

    def _check(self) -> None:
        if FlakyLayer.down:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    async def group_add(self, group, channel):
        self._check()
        return await super().group_add(group, channel)

    async def group_discard(self, group, channel):
        self._check()
        return await super().group_discard(group, channel)

    async def group_send(self, group, message):
        self._check()
        return await super().group_send(group, message)

    async def receive(self, channel):
        while True:
            self._check()
            try:
                return await asyncio.wait_for(super().receive(channel), 0.05)
            except TimeoutError:
                continue


@pytest.fixture
def flaky(live):
    FlakyLayer.down = False
    with override_settings(CHANNEL_LAYERS={"default": {"BACKEND": f"{__name__}.FlakyLayer"}}):
        channel_layers.backends.clear()
        yield FlakyLayer
    FlakyLayer.down = False
    channel_layers.backends.clear()


async def _close_code(socket) -> int:
    while True:
        message = await socket.receive_output(timeout=5)
        if message["type"] == "websocket.close":
            return message["code"]


async def _handshake_only(live, guest) -> Socket:
    """A guest's socket through the handshake only: the snapshot may never come."""
    socket = Socket(app_as(None, guest_cookies(guest)), f"/ws/arenor/moten/{live.pk}/?view=participant")
    connected, _ = await socket.connect()
    assert connected
    return socket


async def test_a_socket_waiting_for_events_is_closed_with_4503_when_redis_goes_away(world, live, guest, flaky):
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    assert await sync_to_async(presence_count)(live.pk) == 1
    flaky.down = True
    assert await _close_code(visitor) == CLOSE_UNAVAILABLE
    await visitor.wait(timeout=5)  # the consumer returned instead of raising
    await consumer.presences.drain()
    assert await sync_to_async(presence_count)(live.pk) == 0


async def test_a_socket_opened_while_redis_is_away_is_closed_with_4503_and_opens_once_it_is_back(world, live, guest,
                                                                                                  flaky):
    flaky.down = True
    refused = await _handshake_only(live, guest)
    assert await _close_code(refused) == CLOSE_UNAVAILABLE
    await refused.wait(timeout=5)
    assert await sync_to_async(presence_count)(live.pk) == 0
    flaky.down = False
    again = await open_socket(live, cookies=guest_cookies(guest))
    assert again.snapshot["type"] == "snapshot" and again.snapshot["me"]["participant"] == guest.pk
    await again.disconnect()


async def test_a_socket_that_closes_while_redis_is_away_still_stops_counting_as_present(world, live, guest, flaky):
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    flaky.down = True
    await visitor.disconnect()
    await consumer.presences.drain()
    assert await sync_to_async(presence_count)(live.pk) == 0


async def test_a_command_that_cannot_reach_the_database_closes_the_socket_with_4503(world, live, guest, flaky):
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    with mock.patch("dialogues.live.services.execute", side_effect=OperationalError("server closed the connection")):
        await visitor.send_json_to({"type": "vote", "id": "v-1", "session": live.pk, "poll": 1, "answer": [1]})
        assert await _close_code(visitor) == CLOSE_UNAVAILABLE
        await visitor.wait(timeout=5)
    await consumer.presences.drain()
    assert await sync_to_async(presence_count)(live.pk) == 0
