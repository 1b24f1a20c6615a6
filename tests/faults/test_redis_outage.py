"""Redis stops in the middle of a live session and comes back (docs/reliability.md, *Faults*).

Pages keep working on the failing-soft cache; every live socket is closed with 4503 and its
client reconnects (the page shows "Återansluter …"); commands sent before, during and after the
outage are resent with their ids once Redis is back, and the database and the snapshot hold each
acknowledged vote and question exactly once."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import pytest
from websockets.exceptions import ConnectionClosed

from dialogues.live.access import CLOSE_UNAVAILABLE
from tests.faults.clients import Browser, LiveClient
from tests.faults.conftest import GUESTS

pytestmark = [pytest.mark.faults, pytest.mark.asyncio]

OUTAGE_CLOSE_TIMEOUT = 10.0
RECONNECT_TIMEOUT = 20.0


async def _pages_work(browser: Browser, login: dict, say) -> None:
    for path in ("/", "/behov/"):
        reply = await asyncio.to_thread(browser.request, path)
        say(f"GET {path} -> {reply.status} in {reply.seconds * 1000:.0f} ms")
        assert reply.status == 200, reply.body[:2000]
    signed_in = await asyncio.to_thread(browser.sign_in, login["email"], login["password"])
    say(f"POST /konto/login/ (allauth, rate limits in the cache) -> {signed_in.status} "
        f"{signed_in.headers.get('location', '')} in {signed_in.seconds * 1000:.0f} ms")
    assert signed_in.status == 302 and signed_in.headers["location"] == "/", signed_in.body[:2000]
    start_page = await asyncio.to_thread(browser.request, "/")
    say(f"GET / signed in -> {start_page.status} in {start_page.seconds * 1000:.0f} ms")
    assert start_page.status == 200 and "Logga ut" in start_page.body


async def test_a_live_session_rides_out_a_redis_outage_and_keeps_every_acknowledged_vote(running, say):
    app, redis, seed = running.app, running.redis, running.seed
    session, pid = seed["session"], app.pid
    host = LiveClient(app.port, session, "host", seed["host_cookies"], "host")
    guests = [LiveClient(app.port, session, "participant", cookies, f"guest {n}")
              for n, cookies in enumerate(seed["guests"][:GUESTS])]

    await host.open()
    created = await host.command("poll.create", "h-poll", kind="single", question="Vad prioriterar vi?",
                                 options=["Lärlingar", "Validering", "Yrkesvux"])
    assert created["type"] == "ack", created
    poll = created["result"]["poll"]
    assert (await host.command("poll.open", "h-open", poll=poll))["type"] == "ack"
    options = [option["id"] for option in
               next(p for p in (await host.sync())["state"]["polls"] if p["id"] == poll)["options"]]
    choice = {n: options[n % len(options)] for n in range(len(guests))}

    # Before: two guests vote and one asks; a third sends a vote and a question and Redis stops
    # before it has read the acknowledgements.
    for n in (0, 1, 2):
        await guests[n].open()
    for n in (0, 1):
        assert (await guests[n].command("vote", f"v-{n}", poll=poll, answer=[choice[n]]))["type"] == "ack"
    assert (await guests[0].command("question.ask", "q-0", text="Hur många lärlingsplatser finns?"))["type"] == "ack"
    await guests[2].send("vote", "v-2", poll=poll, answer=[choice[2]])
    await guests[2].send("question.ask", "q-2", text="Kan validering ske på arbetsplatsen?")
    say(f"live session {session}: poll {poll} open, host and guests 0-2 connected, 2 votes + 1 question acked, "
        "guest 2's vote and question in flight")

    baseline = await asyncio.to_thread(Browser(app.url).sign_in, seed["login"]["email"], seed["login"]["password"])
    say(f"POST /konto/login/ with Redis up -> {baseline.status} in {baseline.seconds * 1000:.0f} ms (for comparison)")
    assert baseline.status == 302

    stopped = redis.stop()
    say(f"Redis stopped (SIGTERM) in {stopped:.2f} s")
    open_sockets = [host, *guests[:3]]
    waits = await asyncio.gather(*(client.closed(timeout=OUTAGE_CLOSE_TIMEOUT) for client in open_sockets))
    say("open sockets closed by the server: " + ", ".join(
        f"{client.name} code {client.close_code} after {wait:.2f} s" for client, wait in zip(open_sockets, waits)))
    assert all(client.close_code == CLOSE_UNAVAILABLE for client in open_sockets)

    browser = Browser(app.url)
    await _pages_work(browser, seed["login"], say)
    health = await asyncio.to_thread(browser.request, "/healthz")
    checks = json.loads(health.body)["checks"]
    say(f"GET /healthz -> {health.status}: database ok={checks['database']['ok']}, "
        f"channel layer ok={checks['channel_layer']['ok']} ({checks['channel_layer'].get('error', '')})")
    assert health.status == 503 and checks["database"]["ok"] and not checks["channel_layer"]["ok"]

    try:
        await guests[3].open()
        refused = None
    except ConnectionClosed as closed:
        refused = closed.rcvd.code if closed.rcvd else None
    say(f"a new socket during the outage is accepted, then closed with code {refused}")
    assert refused == CLOSE_UNAVAILABLE
    for n in (3, 4):  # their pages keep the votes until the socket is back
        await guests[n].send("vote", f"v-{n}", poll=poll, answer=[choice[n]])
    say("guests 3 and 4 vote while Redis is down (kept by their clients, unacknowledged)")

    restarted = redis.start()
    say(f"Redis started again in {restarted:.2f} s (empty: it persists nothing)")
    attempts, seconds = await host.reconnect(timeout=RECONNECT_TIMEOUT)
    say(f"host reconnected after {attempts} attempt(s), {seconds:.2f} s")
    for client in guests:
        attempts, seconds = await client.reconnect(timeout=RECONNECT_TIMEOUT)
        say(f"{client.name} reconnected after {attempts} attempt(s), {seconds:.2f} s, "
            f"resending {len(client.pending)} unacknowledged command(s)")

    for n in (2, 3, 4):
        ack = await guests[n].ack(f"v-{n}")
        assert ack["type"] == "ack" and ack["result"] == {"poll": poll, "answer": [choice[n]]}, ack
    assert (await guests[2].ack("q-2"))["type"] == "ack"
    # Clients that never saw their acknowledgements send the same commands again: answered alike, applied once.
    repeated = {("v-0", 0): await guests[0].command("vote", "v-0", poll=poll, answer=[choice[0]]),
                ("q-0", 0): await guests[0].command("question.ask", "q-0", text="Hur många lärlingsplatser finns?"),
                ("v-2", 2): await guests[2].command("vote", "v-2", poll=poll, answer=[choice[2]]),
                ("q-2", 2): await guests[2].command("question.ask", "q-2", text="Kan validering ske på arbetsplatsen?")}
    for (command_id, n), ack in repeated.items():
        assert ack == guests[n].acks[command_id]
    assert (await guests[5].command("vote", "v-5", poll=poll, answer=[choice[5]]))["type"] == "ack"
    say("after the outage: votes of guests 2-4 acknowledged on resend, guest 5 voted; "
        "guests 0 and 2 resent 4 acknowledged commands with the same ids and got the same acks")

    tally = await host.event("poll.tally", lambda event: any(
        p["id"] == poll and p["answers"] == len(guests) for p in event["polls"]), timeout=10)
    say(f"host received poll.tally v{tally['version']} through Redis: {len(guests)} answers")
    snapshot = await host.sync()
    results = next(p for p in snapshot["state"]["polls"] if p["id"] == poll)["results"]
    expected = Counter(str(choice[n]) for n in range(len(guests)))
    assert results["answers"] == len(guests)
    assert results["segments"]["all"]["counts"] == {str(option): expected[str(option)] for option in options}
    questions = sorted(q["text"] for q in snapshot["state"]["questions"])
    assert questions == ["Hur många lärlingsplatser finns?", "Kan validering ske på arbetsplatsen?"]

    answers = running.postgres.query(f"SELECT count(*) FROM dialogues_answer WHERE poll_id = {int(poll)}")
    asked = running.postgres.query(f"SELECT count(*) FROM dialogues_question WHERE session_id = {int(session)}")
    say(f"database: {answers} answers, {asked} questions; snapshot: {results['answers']} answers "
        f"{dict(results['segments']['all']['counts'])}, {len(questions)} questions")
    assert (int(answers), int(asked)) == (len(guests), 2)

    for client in (host, *guests):
        await client.close()
    assert app.alive() and app.pid == pid
    assert "Exception in ASGI application" not in app.log()
    say(f"the same server process (pid {pid}) served throughout; no consumer crashed")
