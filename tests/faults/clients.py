"""Clients of the server under test: plain HTTP with cookies (urllib, redirects not followed) and
a live-session websocket that behaves like static/js/live.js: it keeps every command until its
acknowledgement and resends the unacknowledged ones after each snapshot."""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

MESSAGE_TIMEOUT = 5.0


@dataclass
class Reply:
    status: int
    headers: dict
    """By lower-case name."""
    body: str
    seconds: float


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person's HTTP requests: cookies kept, redirects returned as they are."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def request(self, path: str, data: dict | None = None, timeout: float = 30) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers={"Accept-Language": "sv"})
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, dict(error.headers), error.read()
        return Reply(status, {name.lower(): value for name, value in headers.items()}, raw.decode("utf-8", "replace"),
                     time.monotonic() - started)

    def sign_in(self, email: str, password: str) -> Reply:
        """The sign-in form as a browser sends it (allauth: CSRF token, rate limits in the cache)."""
        form = self.request("/konto/login/")
        assert form.status == 200, form
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
        return self.request("/konto/login/", {"csrfmiddlewaretoken": token, "login": email, "password": password})


class LiveClient:
    """One participant's or host's tab of a live session."""

    def __init__(self, port: int, session_id: int, view: str, cookies: dict, name: str):
        self.url = f"ws://127.0.0.1:{port}/ws/arenor/moten/{session_id}/?view={view}"
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie = "; ".join(f"{key}={value}" for key, value in cookies.items())
        self.session_id, self.name = session_id, name
        self.ws = None
        self.snapshot: dict | None = None
        self.pending: dict[str, dict] = {}
        self.acks: dict[str, dict] = {}
        self.events: list[dict] = []
        self.close_code: int | None = None

    async def open(self) -> dict:
        """Connect and read the snapshot, then resend what is unacknowledged (as live.js does)."""
        self.ws = await connect(self.url, origin=self.origin, additional_headers=[("Cookie", self.cookie)],
                                open_timeout=MESSAGE_TIMEOUT, ping_interval=None)
        message = await self.receive()
        assert message["type"] == "snapshot", message
        self.snapshot, self.close_code = message, None
        for command in self.pending.values():
            await self.ws.send(json.dumps(command))
        return message

    async def reconnect(self, *, timeout: float) -> tuple[int, float]:
        """Try to open the socket again every 0.2 s until a snapshot comes; attempts and seconds."""
        started, attempts = time.monotonic(), 0
        while True:
            attempts += 1
            try:
                await self.open()
                return attempts, time.monotonic() - started
            except (TimeoutError, OSError, ConnectionClosed, InvalidHandshake):
                if time.monotonic() - started > timeout:
                    raise
                await asyncio.sleep(0.2)

    async def receive(self) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), MESSAGE_TIMEOUT))

    async def send(self, type_: str, command_id: str, **fields) -> None:
        """Send a command and keep it until acknowledged (if the socket is down, it waits)."""
        command = {"type": type_, "id": command_id, "session": self.session_id, **fields}
        self.pending[command_id] = command
        if self.ws is not None and self.close_code is None:
            try:
                await self.ws.send(json.dumps(command))
            except ConnectionClosed:
                pass

    async def ack(self, command_id: str) -> dict:
        """Read until the acknowledgement (or error) of ``command_id``; other messages are kept."""
        if command_id in self.acks:
            return self.acks[command_id]
        while True:
            message = await self.receive()
            if message["type"] in ("ack", "error") and "id" in message:
                self.pending.pop(message["id"], None)
                self.acks[message["id"]] = message
                if message["id"] == command_id:
                    return message
            else:
                self.events.append(message)

    async def command(self, type_: str, command_id: str, **fields) -> dict:
        await self.send(type_, command_id, **fields)
        return await self.ack(command_id)

    async def sync(self) -> dict:
        """Ask for the snapshot again (as a client that saw a gap) and return it."""
        await self.ws.send(json.dumps({"type": "sync"}))
        while True:
            message = await self.receive()
            if message["type"] == "snapshot":
                self.snapshot = message
                return message
            if message["type"] in ("ack", "error") and "id" in message:
                self.pending.pop(message["id"], None)
                self.acks[message["id"]] = message

    async def closed(self, *, timeout: float) -> float:
        """Wait until the server closes the socket; the seconds it took (its code in ``close_code``)."""
        started = time.monotonic()
        try:
            while True:
                message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
                if message["type"] in ("ack", "error") and "id" in message:
                    self.pending.pop(message["id"], None)
                    self.acks[message["id"]] = message
        except ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd else None
        return time.monotonic() - started

    async def event(self, event_type: str, until=lambda event: True, *, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, message in enumerate(self.events):
                if message["type"] == "event" and message["event"]["type"] == event_type and until(message["event"]):
                    return self.events.pop(i)
            self.events.clear()
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{self.name}: no {event_type} event within {timeout:.0f} s"
            message = json.loads(await asyncio.wait_for(self.ws.recv(), remaining))
            if message["type"] in ("ack", "error") and "id" in message:
                self.pending.pop(message["id"], None)
                self.acks[message["id"]] = message
            else:
                self.events.append(message)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
