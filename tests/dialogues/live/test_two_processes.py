"""Two real server processes share a live session through the Redis channel layer
(docs/live-protocol.md): daphne subprocesses on free ports, on the test database."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.test import Client
from redis import Redis
from websockets.asyncio.client import connect

from tests.dialogues.live.conftest import guest_cookies

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("REDIS_URL")
START_TIMEOUT, MESSAGE_TIMEOUT = 20.0, 5.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


@contextlib.contextmanager
def daphne_processes(count: int):
    """``count`` daphne servers on the test database and one Redis channel-layer prefix; their ports."""
    prefix = f"test-two-{secrets.token_hex(4)}"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="matchplats.settings_test", DATABASE_URL=_database_url(),
               REDIS_URL=REDIS_URL, CHANNEL_LAYER_PREFIX=prefix,
               SECRET_KEY=settings.SECRET_KEY, PYTHONPATH=str(ROOT))
    ports = [_free_port() for _ in range(count)]
    log = tempfile.TemporaryFile(mode="w+")
    processes = [subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "-v", "0",
                                   "matchplats.asgi:application"], cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True) for port in ports]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        for process, port in zip(processes, ports):
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
                log.seek(0)
                assert process.poll() is None, f"daphne exited:\n{log.read()}"
                assert time.monotonic() < deadline, f"daphne did not start:\n{log.read()}"
                time.sleep(0.1)
        yield ports
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        redis = Redis.from_url(REDIS_URL)
        keys = list(redis.scan_iter(match=f"{prefix}*"))
        if keys:
            redis.delete(*keys)
        redis.close()


class Peer:
    """A websocket to one server process, as a browser opens it."""

    def __init__(self, port: int, session_id: int, view: str, cookies: dict):
        self.url = f"ws://127.0.0.1:{port}/ws/arenor/moten/{session_id}/?view={view}"
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.session_id = session_id

    async def __aenter__(self):
        self.ws = await connect(self.url, origin=self.origin, additional_headers=[("Cookie", self.cookie)],
                                open_timeout=MESSAGE_TIMEOUT)
        self.snapshot = await self.receive()
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def receive(self) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), MESSAGE_TIMEOUT))

    async def command(self, type_: str, command_id: str, **fields) -> dict:
        await self.ws.send(json.dumps({"type": type_, "id": command_id, "session": self.session_id, **fields}))
        while True:
            message = await self.receive()
            if message["type"] in ("ack", "error") and message.get("id") == command_id:
                return message

    async def event(self, event_type: str, until=lambda event: True) -> dict:
        while True:
            message = await self.receive()
            if message["type"] == "event" and message["event"]["type"] == event_type and until(message["event"]):
                return message


def _host_cookies(user) -> dict:
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


async def test_a_vote_on_one_server_process_reaches_the_host_on_another_through_redis(world, live, guest):
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set; CI sets it and forbids skips")
    assert connection.vendor == "postgresql", "two server processes share the test database only on PostgreSQL"
    host_cookies = await sync_to_async(_host_cookies)(world.coordinator)
    with daphne_processes(2) as (port_a, port_b):
        async with Peer(port_a, live.pk, "host", host_cookies) as host, \
                Peer(port_b, live.pk, "participant", guest_cookies(guest)) as visitor:
            assert host.snapshot["type"] == visitor.snapshot["type"] == "snapshot"
            assert visitor.snapshot["me"]["participant"] == guest.pk
            created = await host.command("poll.create", "c-1", kind="single", question="Vilket först?",
                                         options=["Lärlingar", "Validering"])
            assert created["type"] == "ack", created
            poll_id = created["result"]["poll"]
            opened = await host.command("poll.open", "c-2", poll=poll_id)
            assert opened["type"] == "ack", opened

            seen = await visitor.event("poll.updated", lambda event: event["poll"]["id"] == poll_id)
            assert seen["version"] == opened["version"]
            assert seen["event"]["poll"]["state"] == "open"
            option = seen["event"]["poll"]["options"][1]["id"]
            voted = await visitor.command("vote", "v-1", poll=poll_id, answer=[option])
            assert voted["type"] == "ack" and voted["result"] == {"poll": poll_id, "answer": [option]}

            tally = await host.event("poll.tally", lambda event: any(
                p["id"] == poll_id and p["answers"] == 1 for p in event["polls"]))
            results = next(p for p in tally["event"]["polls"] if p["id"] == poll_id)["results"]
            assert results["segments"]["all"]["counts"] == {str(seen["event"]["poll"]["options"][0]["id"]): 0,
                                                            str(option): 1}
            assert results["segments"]["guest"]["answers"] == 1
