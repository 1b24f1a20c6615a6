"""Websockets are only accepted from the site's own origin (AllowedHostsOriginValidator in
matchplats/asgi.py): a page on another site cannot open a live session socket with the
visitor's cookies."""

import pytest
from channels.testing import WebsocketCommunicator

from matchplats.asgi import application

ROUTES = ["/ws/ping/", "/ws/arenor/moten/1/"]


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("origin", [b"https://evil.example", b"http://127.0.0.1.evil.example", b"null"])
async def test_a_websocket_from_a_foreign_origin_is_refused_on_every_route(path, origin):
    communicator = WebsocketCommunicator(application, path, headers=[(b"origin", origin)])
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ROUTES)
async def test_a_websocket_without_an_origin_is_refused(path):
    communicator = WebsocketCommunicator(application, path)
    connected, _ = await communicator.connect()
    assert not connected
