"""The settings' Redis channel layer as the servers build it (matchplats/settings.py)."""

import asyncio
import os
import secrets

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.test import override_settings

REDIS_URL = os.environ.get("REDIS_URL")


@pytest.mark.asyncio
async def test_a_socket_that_waits_longer_than_one_redis_read_still_receives_its_next_message():
    """channels_redis blocks 5 s per read for a socket's next message; with redis-py's default
    5 s read timeout the wait itself failed and took the websocket down."""
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set; CI sets it and forbids skips")
    config = settings.CHANNEL_LAYERS["default"]
    assert config["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    layers = {"default": {**config, "CONFIG": {**config["CONFIG"], "prefix": f"test-idle-{secrets.token_hex(4)}"}}}
    with override_settings(CHANNEL_LAYERS=layers):
        from channels.layers import channel_layers

        channel_layers.backends.clear()
        layer = get_channel_layer()
        channel = await layer.new_channel()

        async def send_later():
            await asyncio.sleep(layer.brpop_timeout + 1.5)
            await layer.send(channel, {"type": "live.presence", "count": 3})

        sender = asyncio.create_task(send_later())
        message = await asyncio.wait_for(layer.receive(channel), layer.brpop_timeout + 10)
        await sender
        assert message == {"type": "live.presence", "count": 3}
        await layer.flush()
        channel_layers.backends.clear()
