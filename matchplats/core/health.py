"""Health checks for /healthz: each returns None when healthy or a short error text."""

import asyncio
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection

CHANNEL_LAYER_TIMEOUT_S = 2.0


def _database_error() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means unhealthy
        return f"{type(exc).__name__}: {exc}"
    finally:
        # Drop a broken connection so the next request reconnects; never inside a transaction
        # someone else opened (a test's, or a caller's), whose connection is not ours to close.
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
    return None


async def database_error() -> str | None:
    return await sync_to_async(_database_error, thread_sensitive=True)()


async def channel_layer_error() -> str | None:
    layer = get_channel_layer()
    if layer is None:
        return "no channel layer configured"
    token = uuid.uuid4().hex
    try:
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz.ping", "token": token})
        message = await asyncio.wait_for(layer.receive(channel), timeout=CHANNEL_LAYER_TIMEOUT_S)
    except Exception as exc:  # connection refused, timeout, ...
        return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if message.get("token") != token:
        return "channel layer returned a foreign message"
    return None
