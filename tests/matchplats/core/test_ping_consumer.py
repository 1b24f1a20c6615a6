import os

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from matchplats.asgi import application

REDIS_URL = os.environ.get("REDIS_URL")
LAYERS = {
    "in-memory": {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
    "redis": {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                          "CONFIG": {"hosts": [REDIS_URL], "prefix": "matchplats-test"}}},
}


@pytest.mark.asyncio
@pytest.mark.parametrize("layer", ["in-memory", "redis"])
async def test_a_ping_travels_through_the_channel_layer_and_comes_back_as_pong(layer):
    if layer == "redis" and not REDIS_URL:
        pytest.skip("REDIS_URL is not set; CI sets it and forbids skips")
    with override_settings(CHANNEL_LAYERS=LAYERS[layer]):
        channel_layers.backends.clear()
        communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[(b"origin", b"http://127.0.0.1")])
        connected, _ = await communicator.connect()
        assert connected
        if layer == "redis":
            from channels_redis.core import RedisChannelLayer

            assert isinstance(channel_layers["default"], RedisChannelLayer)
        await communicator.send_json_to({"type": "ping", "id": "abc-1"})
        assert await communicator.receive_json_from(timeout=3) == {"type": "pong", "id": "abc-1"}
        await communicator.send_json_to({"type": "dance"})
        assert (await communicator.receive_json_from(timeout=3))["type"] == "error"
        await communicator.disconnect()
    channel_layers.backends.clear()


@pytest.mark.asyncio
async def test_a_websocket_from_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[(b"origin", b"https://evil.example")])
    connected, _ = await communicator.connect()
    assert not connected
