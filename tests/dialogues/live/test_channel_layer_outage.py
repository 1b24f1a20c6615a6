"""A live socket whose channel layer (Redis) or database becomes unreachable is closed with 4503,
so its client reconnects, and its participant no longer counts as present — at once, or once
the database is back (docs/reliability.md, *Faults*; tests/faults/ stop a real Redis and a real
PostgreSQL under a real server)."""

from __future__ import annotations

import asyncio
from unittest import mock

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, channel_layers
from django.db import OperationalError
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from dialogues.live import consumer, services
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


@pytest.fixture
def database_down(monkeypatch):
    """``database_down.down = True``: presence decrements fail as with PostgreSQL stopped."""
    real = services.presence_disconnect

    class Switch:
        down = False

    def presence_disconnect(participant_id: int) -> None:
        if Switch.down:
            raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
        real(participant_id)

    monkeypatch.setattr(services, "presence_disconnect", presence_disconnect)
    monkeypatch.setattr(consumer.owed_disconnects, "FIRST", 0.05)
    monkeypatch.setattr(consumer.owed_disconnects, "LONGEST", 0.2)
    return Switch


async def _recovered(database_down) -> None:
    await asyncio.sleep(0.3)  # a few failed retries while it is still down
    assert sum(consumer.owed_disconnects.owed.values()) > 0
    database_down.down = False
    await consumer.owed_disconnects.drain()
    await consumer.presences.drain()


async def test_a_guest_whose_socket_closes_while_the_database_is_down_stops_counting_once_it_is_back(
        world, live, guest, database_down):
    host = await open_socket(live, world.coordinator, view="host")
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    assert (await host.next_of("presence"))["count"] == 1
    database_down.down = True
    await visitor.disconnect()
    await visitor.wait(timeout=5)
    assert await sync_to_async(presence_count)(live.pk) == 1  # not written yet: owed
    await _recovered(database_down)
    assert await sync_to_async(presence_count)(live.pk) == 0
    assert (await host.next_of("presence"))["count"] == 0
    assert consumer.owed_disconnects.owed == {}


async def test_a_signed_in_member_closed_with_4503_while_the_database_is_down_stops_counting_once_it_is_back(
        world, live, database_down):
    member = await open_socket(live, world.employer_user)
    assert await sync_to_async(presence_count)(live.pk) == 1
    database_down.down = True
    with mock.patch("dialogues.live.services.execute", side_effect=OperationalError("server closed the connection")):
        await member.send_json_to({"type": "vote", "id": "v-1", "session": live.pk, "poll": 1, "answer": [1]})
        assert await _close_code(member) == CLOSE_UNAVAILABLE
        await member.wait(timeout=5)
    assert await sync_to_async(presence_count)(live.pk) == 1
    await _recovered(database_down)
    assert await sync_to_async(presence_count)(live.pk) == 0


async def test_a_participant_with_another_tab_still_open_stays_counted_after_the_database_is_back(
        world, live, database_down):
    first = await open_socket(live, world.employer_user)
    second = await open_socket(live, world.employer_user)
    database_down.down = True
    await first.disconnect()
    await first.wait(timeout=5)
    await _recovered(database_down)
    assert await sync_to_async(presence_count)(live.pk) == 1
    await second.disconnect()
    await second.wait(timeout=5)
    await consumer.presences.drain()
    assert await sync_to_async(presence_count)(live.pk) == 0
