"""PostgreSQL stops under the running server and starts again (docs/reliability.md, *Faults*):
meanwhile every page answers with the friendly 503 page and the API with a 503 problem, and
afterwards the same server process answers again without a restart; a live participant who
left meanwhile no longer counts as present once PostgreSQL is back."""

from __future__ import annotations

import asyncio
import json
import re
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from tests.faults.clients import Browser, LiveClient
from tests.faults.conftest import POSTGRES_GUEST

pytestmark = pytest.mark.faults
PRESENCE_REPAIRED_WITHIN = 30.0
"""Seconds after PostgreSQL is back: the owed decrement is retried at most every 10 s."""


def test_a_postgresql_restart_gives_a_friendly_503_and_the_same_server_recovers(running, say):
    app, postgres = running.app, running.postgres
    pid = app.pid
    browser = Browser(app.url)
    login = running.seed["login"]
    for path in ("/", "/behov/", "/konto/login/"):
        reply = browser.request(path)
        say(f"GET {path} -> {reply.status} in {reply.seconds * 1000:.0f} ms (PostgreSQL up)")
        assert reply.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply.body).group(1)
    api = browser.request("/api/v1/needs/")
    say(f"GET /api/v1/needs/ -> {api.status} {api.headers.get('content-type')} (PostgreSQL up)")
    assert api.status == 200 and api.headers["content-type"] == "application/json"

    say(f"PostgreSQL stopped (fast shutdown, connections cut) in {postgres.stop():.2f} s")
    for path in ("/", "/behov/", "/utbildningar/"):
        reply = browser.request(path)
        say(f"GET {path} -> {reply.status} Retry-After {reply.headers.get('retry-after')} "
            f"in {reply.seconds * 1000:.0f} ms")
        assert reply.status == 503
        assert "Matchplats är tillfälligt otillgänglig" in reply.body
        assert "Försök igen" in reply.body and reply.headers["retry-after"] == "30"
        assert "Traceback" not in reply.body and "OperationalError" not in reply.body
    api = browser.request("/api/v1/needs/")
    say(f"GET /api/v1/needs/ -> {api.status} {api.headers.get('content-type')} "
        f"Retry-After {api.headers.get('retry-after')} in {api.seconds * 1000:.0f} ms")
    assert api.status == 503 and api.headers["content-type"] == "application/problem+json"
    assert api.headers["retry-after"] == "30"
    problem = json.loads(api.body)
    assert problem["type"] == "urn:matchplats:problem:unavailable" and problem["status"] == 503
    assert problem["title"] == "Tillfälligt otillgänglig" and "Retry-After" in problem["detail"]
    assert "Traceback" not in api.body and "OperationalError" not in api.body
    signed_in = browser.request("/konto/login/", {"csrfmiddlewaretoken": token, "login": login["email"],
                                                  "password": login["password"]})
    say(f"POST /konto/login/ -> {signed_in.status} in {signed_in.seconds * 1000:.0f} ms")
    assert signed_in.status == 503 and "Traceback" not in signed_in.body
    health = browser.request("/healthz")
    checks = json.loads(health.body)["checks"]
    say(f"GET /healthz -> {health.status}: database ok={checks['database']['ok']} "
        f"({checks['database'].get('error', '').splitlines()[0][:90]})")
    assert health.status == 503 and not checks["database"]["ok"]

    say(f"PostgreSQL started again in {postgres.start():.2f} s")
    for path in ("/", "/behov/", "/healthz", "/api/v1/needs/"):
        reply = browser.request(path)
        say(f"GET {path} -> {reply.status} in {reply.seconds * 1000:.0f} ms (first request after the restart)")
        assert reply.status == 200
    assert app.alive() and app.pid == pid
    say(f"the same server process (pid {pid}) answers again: no restart needed")


async def _presence(app, seed) -> int:
    """The presence count in a fresh host snapshot (a socket may be refused while the process's
    database connections come back; then it tries again)."""
    deadline = time.monotonic() + PRESENCE_REPAIRED_WITHIN
    while True:
        host = LiveClient(app.port, seed["session"], "host", seed["host_cookies"], "host")
        try:
            snapshot = await host.open()
            return snapshot["state"]["presence"]
        except (AssertionError, TimeoutError, OSError, ConnectionClosed, InvalidHandshake):
            assert time.monotonic() < deadline, "no host snapshot after PostgreSQL came back"
            await asyncio.sleep(0.5)
        finally:
            await host.close()


async def _presence_becomes(app, seed, expected: int) -> tuple[int, float]:
    started = time.monotonic()
    while (count := await _presence(app, seed)) != expected and time.monotonic() - started < PRESENCE_REPAIRED_WITHIN:
        await asyncio.sleep(0.5)
    return count, time.monotonic() - started


@pytest.mark.asyncio
async def test_a_participant_who_leaves_while_postgresql_is_down_stops_counting_once_it_is_back(running, say):
    app, postgres, seed = running.app, running.postgres, running.seed
    before = await _presence(app, seed)
    guest = LiveClient(app.port, seed["session"], "participant", seed["guests"][POSTGRES_GUEST], "guest")
    await guest.open()
    count, seconds = await _presence_becomes(app, seed, before + 1)
    say(f"a guest connected: presence {before} -> {count} in {seconds:.2f} s")
    assert count == before + 1

    say(f"PostgreSQL stopped in {postgres.stop():.2f} s")
    await guest.close()
    await asyncio.sleep(1.0)  # the server's decrement fails meanwhile and is owed
    say("the guest closed its socket while PostgreSQL was down")
    say(f"PostgreSQL started again in {postgres.start():.2f} s")
    count, seconds = await _presence_becomes(app, seed, before)
    say(f"presence back to {count} (was {before + 1}) {seconds:.2f} s after PostgreSQL came back")
    assert count == before
    assert app.alive()
