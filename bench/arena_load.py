"""Load on a live session over real server processes: N participants vote, ask and upvote at once.

    python bench/arena_load.py --participants 1000 [--workers 2] [--server daphne|uvicorn]
                               [--fanout SECONDS [--fanout-rate 8]] [--seed 10]

Self-contained. The data go into the database named by DATABASE_URL (migrated; the run's rows
are left there), or by default into a scratch PostgreSQL database ``matchplats_bench_<pid>`` on
127.0.0.1 (``--admin-url``) that the run creates, migrates and drops. It starts W server processes
on free loopback ports (daphne, or uvicorn with uvloop and httptools when installed), all on the
Redis channel layer of REDIS_URL (default redis://127.0.0.1:6379/0) with a prefix of their own,
whose keys it deletes at the end. It creates a coordinator (the host), an arena and a live
session, and N guests (one signed cookie each) spread round-robin over the servers, connected
with the ``websockets`` library, and waits until the servers' own presence count says N.

Then the host creates a ranking poll, opens it and reveals its results; every participant votes
once at a random moment of a 10-second window — a tenth of them either retry (the same command
id sent twice) or drop their socket right after sending, reconnect and send the same command
again; 2 % ask a question and 30 % upvote one they have seen (someone else's: one's own is
refused); the host closes the poll. The run then compares the database with every vote and
upvote it meant to send (acknowledged or not).

Figures: ``ack_p50_ms`` from a vote's first send (before the drop, for those that reconnect) to
its acknowledgement; ``p95_ms`` the larger of the votes' p95 and the p95 from a host action
(open, reveal, close) to its event at every participant; ``max_ms`` the largest of both; ``results_fresh_ms`` from the last vote sent to the
moment every participant holds results counting all N answers; ``broadcasts_per_poll`` the
``poll.tally`` events the servers stored (and broadcast) between opening and closing the poll.
The last line is JSON::

    {"participants": N, "connected_at_once": N, "ack_p50_ms": ..., "p95_ms": ..., "max_ms": ...,
     "results_fresh_ms": ..., "lost_votes": 0, "duplicate_votes": 0, "broadcasts_per_poll": ...}

With ``--fanout S`` the run measures delivery instead: after the presence check the host moves
between two agenda items ``--fanout-rate`` times a second for S seconds, every move an event to
every participant; it counts the messages the participants receive and the servers' CPU time,
and its last line is {"server": ..., "workers": ..., "delivered_per_s": ..., "server_cpu_percent":
..., "messages_per_cpu_s": ...}. Figures are recorded in docs/live-protocol.md (Figures).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VOTE_WINDOW = 10.0
TROUBLED_SHARE, ASK_SHARE, UPVOTE_SHARE = 0.10, 0.02, 0.30
OPTIONS = ["Undersköterskor", "Sjuksköterskor", "Vårdbiträden", "Personliga assistenter", "Skötare"]
CONNECT_CONCURRENCY, CONNECT_ATTEMPTS, RECONNECT_ATTEMPTS = 20, 5, 30
WAIT = 60.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def raise_open_files(wanted: int) -> int:
    """1 000 sockets on each side exceed the usual soft limit of 1 024 open files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


# --- databases and servers -----------------------------------------------------------------------------


class ScratchDatabase:
    """A PostgreSQL database created for the run and dropped after it."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.name = f"matchplats_bench_{os.getpid()}"
        self.url = with_database(admin_url, self.name)

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def create(self) -> None:
        self._execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def server_command(server: str, port: int) -> list[str]:
    if server == "daphne":
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "-v", "0",
                "matchplats.asgi:application"]
    command = [sys.executable, "-m", "uvicorn", "matchplats.asgi:application", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning", "--no-access-log", "--lifespan", "off"]
    for module, option in (("uvloop", ["--loop", "uvloop"]), ("httptools", ["--http", "httptools"])):
        with contextlib.suppress(ImportError):
            __import__(module)
            command += option
    return command


class Servers:
    """W server processes on free loopback ports, stopped (with their children) on ``stop``."""

    def __init__(self, server: str, workers: int, env: dict):
        self.server, self.env = server, env
        self.ports = [free_port() for _ in range(workers)]
        self.processes: list[subprocess.Popen] = []
        self.log = tempfile.TemporaryFile(mode="w+")

    def start(self) -> None:
        for port in self.ports:
            self.processes.append(subprocess.Popen(server_command(self.server, port), cwd=ROOT, env=self.env,
                                                   stdout=self.log, stderr=subprocess.STDOUT,
                                                   start_new_session=True))
        deadline = time.monotonic() + WAIT
        for process, port in zip(self.processes, self.ports):
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{self.server} on port {port} exited:\n{self.output()}")
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.server} on port {port} did not start:\n{self.output()}")
                time.sleep(0.1)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-20000:]

    def cpu_seconds(self) -> float:
        import psutil

        total = 0.0
        for process in self.processes:
            with contextlib.suppress(psutil.Error):
                times = psutil.Process(process.pid).cpu_times()
                total += times.user + times.system
        return total

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# --- the data -------------------------------------------------------------------------------------------


@dataclass
class World:
    session_id: int
    host_cookie: str
    guests: list[tuple[int, str]]  # (participant id, cookie header)
    agenda_items: list[int]


def build(participants: int) -> World:
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from dialogues import services
    from dialogues.live import access
    from dialogues.live.services import participant_join_guest
    from dialogues.models import ArenaSession
    from matchplats.organisations.models import Membership, Organisation
    from matchplats.taxonomy.models import Lan, SsykGroup

    tag = secrets.token_hex(4)
    host = get_user_model().objects.create_user(email=f"vard-{tag}@bench.example", password=secrets.token_hex(16))
    lan = Lan.objects.get(code="17")
    region = Organisation.objects.filter(kind=Organisation.Kind.REGION, lan=lan).first() or \
        Organisation.objects.create(name="Region Värmland", kind=Organisation.Kind.REGION, lan=lan)
    Membership.objects.create(user=host, organisation=region, role=Membership.Role.ADMIN)
    arena = services.arena_create(actor=host, name=f"Vård och omsorg {tag}", lan=lan,
                                  ssyk_groups=[SsykGroup.objects.get(code="5321")])
    start = timezone.now()
    session = services.session_create(actor=host, arena=arena, title="Lastprov", starts_at=start,
                                      ends_at=start + dt.timedelta(hours=2), agenda=["Läget", "Prioriteringar"])
    session = services.session_state_set(actor=host, session=session, state=ArenaSession.State.LIVE)
    client = Client()
    client.force_login(host)
    host_cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    name = access.guest_cookie_name(session.pk)
    guests = []
    for i in range(participants):
        guest = participant_join_guest(session=session, display_name=f"Deltagare {i + 1}")
        guests.append((guest.pk, f"{name}={access.guest_token(guest)}"))
    items = list(session.agenda_items.values_list("pk", flat=True))
    return World(session_id=session.pk, host_cookie=host_cookie, guests=guests, agenda_items=items)


# --- the clients ----------------------------------------------------------------------------------------


@dataclass
class Run:
    """What the load generator knows and measured."""

    session_id: int
    participants: int
    resync: bool = True
    poll_id: int | None = None
    vote_acks: list[float] = field(default_factory=list)
    other_acks: list[float] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    retry_mismatches: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    acknowledged: set[int] = field(default_factory=set)
    intended_votes: dict[int, list[int]] = field(default_factory=dict)
    intended_upvotes: set[tuple[int, int]] = field(default_factory=set)
    last_vote_sent: float = 0.0
    commands: int = 0


class Client:
    """One websocket of a participant (or the host), with the figures it saw."""

    def __init__(self, run: Run, url: str, cookie: str, participant_id: int | None = None,
                 compression: str | None = "deflate"):
        self.run, self.url, self.cookie, self.participant_id = run, url, cookie, participant_id
        self.compression = compression
        self.version = 0
        self.arrivals: dict[int, float] = {}
        self.pending: dict[str, list[asyncio.Future]] = {}
        self.presence = 0
        self.questions: list[int] = []
        self.asked: set[int] = set()
        self.fresh_at: float | None = None
        self.answers_seen = 0
        self.received = 0
        self.gaps = 0
        self.retries = 0
        self.reader: asyncio.Task | None = None
        self.ws = None
        self.option_ids: list[int] = []

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        origin = self.url.replace("ws://", "http://").split("/ws/")[0]
        self.ws = await connect(self.url, origin=origin, additional_headers=[("Cookie", self.cookie)],
                                ping_interval=None, open_timeout=WAIT, compression=self.compression,
                                max_size=2**22)
        first = json.loads(await self.ws.recv())
        if first.get("type") != "snapshot":
            raise RuntimeError(f"expected a snapshot, got {first}")
        self.on_message(first, time.perf_counter())
        self.reader = asyncio.create_task(self.read(self.ws))

    async def reconnect(self, gate: asyncio.Semaphore | None = None, attempts: int = CONNECT_ATTEMPTS) -> None:
        """Connect; a refused or timed-out handshake is retried after a pause, as the browser's
        client does."""
        from websockets.exceptions import InvalidHandshake

        for attempt in range(attempts):
            async with gate or contextlib.nullcontext():
                try:
                    await self.connect()
                    return
                except (TimeoutError, OSError, InvalidHandshake):
                    if attempt == attempts - 1:
                        raise
                    self.retries += 1
            await asyncio.sleep(0.5 + random.random())

    async def read(self, ws) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                self.on_message(json.loads(raw), time.perf_counter())

    def drop(self) -> None:
        """Lose the connection at once, as a phone leaving the wifi does (nothing queued is sent)."""
        self.ws.transport.abort()

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()

    # receiving

    def on_message(self, message: dict, at: float) -> None:
        self.received += 1
        kind = message.get("type")
        if kind == "event":
            version = message["version"]
            self.arrivals.setdefault(version, at)
            if version > self.version + 1 and self.run.resync:
                self.gaps += 1
                asyncio.get_running_loop().create_task(self.send({"type": "sync"}))
            if version > self.version:
                self.version = version
            self.apply(message["event"], at)
        elif kind == "snapshot":
            self.version = message["version"]
            for poll in message["state"]["polls"]:
                self.see_poll(poll, at)
            self.questions = [q["id"] for q in message["state"]["questions"]]
        elif kind in ("ack", "error"):
            if kind == "error":
                self.run.errors.append(message)
            waiting = self.pending.get(message.get("id"), [])
            if waiting:
                future = waiting.pop(0)
                if not future.done():
                    future.set_result((message, at))
        elif kind == "presence":
            self.presence = message["count"]

    def apply(self, event: dict, at: float) -> None:
        kind = event["type"]
        if kind in ("poll.created", "poll.updated"):
            self.see_poll(event["poll"], at)
        elif kind == "poll.tally":
            for poll in event["polls"]:
                self.see_poll(poll, at)
        elif kind == "question.added":
            self.questions.append(event["question"]["id"])

    def others_questions(self) -> list[int]:
        return [question for question in self.questions if question not in self.asked]

    def see_poll(self, poll: dict, at: float) -> None:
        if poll["id"] != self.run.poll_id:
            return
        if poll.get("options"):
            self.option_ids = [option["id"] for option in poll["options"]]
        results = poll.get("results")
        if results:
            self.answers_seen = max(self.answers_seen, results["answers"])
        if self.fresh_at is None and results and results["answers"] >= self.run.participants:
            self.fresh_at = at

    # sending

    async def send(self, message: dict) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            await self.ws.send(json.dumps(message))

    def expect(self, command_id: str) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.pending.setdefault(command_id, []).append(future)
        return future

    async def command(self, type_: str, command_id: str | None = None, **fields) -> tuple[dict, float, float]:
        """Send a command; (its ack or error, when sent, when answered)."""
        self.run.commands += 1
        command_id = command_id or f"c-{self.run.commands}"
        future = self.expect(command_id)
        sent = time.perf_counter()
        await self.send({"type": type_, "id": command_id, "session": self.run.session_id, **fields})
        reply, at = await asyncio.wait_for(future, WAIT)
        return reply, sent, at


async def wait_until(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


async def connect_all(clients: list[Client]) -> tuple[float, int]:
    """Connect every client, at most CONNECT_CONCURRENCY handshakes at once. (Seconds, retries.)"""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    started = time.perf_counter()
    await asyncio.gather(*(client.reconnect(gate) for client in clients))
    return time.perf_counter() - started, sum(client.retries for client in clients)


async def host_action(host: Client, people: list[Client], kind: str, latencies: list[float], **fields) -> dict:
    """A host command and the time its event takes to reach every participant."""
    reply, sent, _at = await host.command(kind, **fields)
    if reply["type"] != "ack":
        raise RuntimeError(f"{kind} refused: {reply}")
    version = reply["version"]
    await wait_until(lambda: all(version in p.arrivals for p in people), WAIT)
    missing = sum(version not in p.arrivals for p in people)
    if missing:
        print(f"{kind}: {missing} participants never received event v{version}")
    latencies.extend((p.arrivals[version] - sent) * 1000 for p in people if version in p.arrivals)
    return reply


async def participate(run: Run, person: Client, rng: random.Random, start: float, role: str) -> None:
    """Vote once in the window (retrying or reconnecting if ``role`` says so), maybe ask or upvote."""
    vote_at = rng.uniform(0, VOTE_WINDOW)
    ask_at = rng.uniform(0, VOTE_WINDOW / 2) if rng.random() < ASK_SHARE else None
    upvote_at = rng.uniform(VOTE_WINDOW / 4, VOTE_WINDOW) if rng.random() < UPVOTE_SHARE else None
    answer = person.option_ids[:]
    rng.shuffle(answer)
    actions = sorted([(vote_at, "vote")] + ([(ask_at, "ask")] if ask_at is not None else [])
                     + ([(upvote_at, "upvote")] if upvote_at is not None else []))
    for at, action in actions:
        await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
        try:
            if action == "vote":
                await vote(run, person, answer, role, rng)
            elif action == "ask":
                reply, sent, answered = await person.command("question.ask",
                                                              text=f"Hur når vi fler? ({person.participant_id})")
                run.other_acks.append((answered - sent) * 1000)
                if reply["type"] == "ack":
                    person.asked.add(reply["result"]["question"]["id"])
            elif await wait_until(lambda: bool(person.others_questions()), VOTE_WINDOW):
                question = rng.choice(person.others_questions())  # one's own is refused (own_question)
                run.intended_upvotes.add((person.participant_id, question))
                reply, sent, answered = await person.command("question.upvote", question=question)
                run.other_acks.append((answered - sent) * 1000)
        except Exception as error:  # noqa: BLE001 - a client that gives up is a figure, not the end of the run
            run.failures[f"{action}: {type(error).__name__}"] = run.failures.get(f"{action}: {type(error).__name__}",
                                                                                 0) + 1


async def vote(run: Run, person: Client, answer: list[int], role: str, rng: random.Random) -> None:
    command_id = f"v-{person.participant_id}"
    message = {"type": "vote", "id": command_id, "session": run.session_id, "poll": run.poll_id, "answer": answer}
    run.intended_votes[person.participant_id] = answer
    sent = time.perf_counter()
    if role == "reconnect":
        await person.send(message)
        person.drop()
        await person.reconnect(attempts=RECONNECT_ATTEMPTS)
    futures = [person.expect(command_id)]
    await person.send(message)
    if role == "retry":
        await asyncio.sleep(rng.uniform(0, 0.2))
        futures.append(person.expect(command_id))
        await person.send(message)
    run.last_vote_sent = max(run.last_vote_sent, time.perf_counter())
    replies = await asyncio.wait_for(asyncio.gather(*futures), WAIT)
    first, answered = replies[0]
    if first["type"] == "ack":
        run.vote_acks.append((answered - sent) * 1000)
        run.acknowledged.add(person.participant_id)
    if any(reply != first for reply, _at in replies):
        run.retry_mismatches += 1


async def load(run: Run, world: World, ports: list[int], *, fanout: float, fanout_rate: float, seed: int,
               compression: str | None, cpu) -> dict:
    rng = random.Random(seed)
    path = f"/ws/arenor/moten/{world.session_id}/"
    urls = [f"ws://127.0.0.1:{port}{path}" for port in ports]
    people = [Client(run, f"{urls[i % len(urls)]}?view=participant", cookie, participant_id, compression)
              for i, (participant_id, cookie) in enumerate(world.guests)]
    host = Client(run, f"{urls[0]}?view=host", world.host_cookie, compression=compression)
    figures: dict = {}
    try:
        await host.connect()
        seconds, retries = await connect_all(people)
        print(f"connected {len(people)} participants in {seconds:.1f} s over {len(ports)} server(s), "
              f"{retries} handshakes retried")
        reached = await wait_until(lambda: host.presence >= run.participants, WAIT)
        await asyncio.sleep(1.2)  # one more presence round: the count is coalesced to one a second
        figures["connected_at_once"] = host.presence
        if not reached:
            print(f"presence reached only {host.presence} of {run.participants}")
        if fanout:
            figures |= await measure_fanout(run, host, people, world.agenda_items, seconds=fanout, rate=fanout_rate,
                                            cpu=cpu)
            return figures
        latencies: list[float] = []
        created, _sent, _at = await host.command("poll.create", kind="ranking", question="Vad är mest akut?",
                                                 options=OPTIONS)
        run.poll_id = created["result"]["poll"]
        cpu_before = cpu()
        opened = await host_action(host, people, "poll.open", latencies, poll=run.poll_id)
        await host_action(host, people, "poll.reveal", latencies, poll=run.poll_id, revealed=True)
        roles = ["plain"] * len(people)
        for i in rng.sample(range(len(people)), round(TROUBLED_SHARE * len(people))):
            roles[i] = rng.choice(["retry", "reconnect"])
        start = time.perf_counter()
        await asyncio.gather(*(participate(run, person, random.Random(rng.random()), start, role)
                               for person, role in zip(people, roles)))
        print(f"votes sent in {time.perf_counter() - start:.1f} s; "
              f"{roles.count('retry')} retried, {roles.count('reconnect')} reconnected")
        fresh = await wait_until(lambda: all(p.fresh_at for p in people), WAIT)
        if fresh:
            figures["results_fresh_ms"] = round((max(p.fresh_at for p in people) - run.last_vote_sent) * 1000)
        else:
            figures["results_fresh_ms"] = None
            print(f"{sum(not p.fresh_at for p in people)} participants never saw results with all answers; "
                  f"the host saw {host.answers_seen}, participants {min(p.answers_seen for p in people)} "
                  f"to {max(p.answers_seen for p in people)}")
        await asyncio.sleep(2 * 0.5)  # let the last upvote tally go out
        closed = await host_action(host, people, "poll.close", latencies, poll=run.poll_id)
        figures["server_cpu_s"] = cpu() - cpu_before
        figures["open_version"], figures["close_version"] = opened["version"], closed["version"]
        figures["host_latencies"] = latencies
        figures["gaps"] = sum(p.gaps for p in people)
        figures["retries"] = sum(p.retries for p in people) - retries
        figures["received"] = sum(p.received for p in people)
        return figures
    finally:
        await asyncio.gather(*(client.close() for client in [host, *people]))


async def measure_fanout(run: Run, host: Client, people: list[Client], items: list[int], *, seconds: float,
                         rate: float, cpu) -> dict:
    """Move between two agenda items ``rate`` times a second; count what reaches the participants."""
    run.resync = False
    await asyncio.sleep(1.5)
    received_before = sum(p.received for p in people)
    cpu_before, started = cpu(), time.perf_counter()
    sent = 0
    while time.perf_counter() - started < seconds:
        await host.send({"type": "agenda.goto", "id": f"g-{sent}", "session": run.session_id,
                         "agenda_item": items[sent % len(items)]})
        sent += 1
        await asyncio.sleep(max(0.0, started + sent / rate - time.perf_counter()))
    elapsed = time.perf_counter() - started
    cpu_used = cpu() - cpu_before
    delivered = sum(p.received for p in people) - received_before
    return {"fanout_events": sent, "delivered": delivered, "elapsed": elapsed, "server_cpu_s": cpu_used}


# --- the run --------------------------------------------------------------------------------------------


def setup_django(database_url: str, env: dict) -> None:
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS",
                                                  "MATCHPLATS_VAR_DIR", "DJANGO_SETTINGS_MODULE", "LOG_LEVEL")})
    os.environ.pop("REDIS_URL", None)  # the generator itself needs no channel layer
    import django

    django.setup()
    from django.core.management import call_command

    from matchplats.taxonomy.models import Lan

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    if not Lan.objects.filter(code="17").exists():
        call_command("load_taxonomy", verbosity=0, stdout=io.StringIO())


def verify(run: Run) -> dict:
    """The database against every vote and upvote the run meant to send."""
    from dialogues.models import Answer, Command, Question, Upvote

    stored = {}
    rows = 0
    for participant_id, value in Answer.objects.filter(poll_id=run.poll_id).values_list("participant_id", "value"):
        rows += 1
        stored[participant_id] = value
    lost = sum(stored.get(pid) != answer for pid, answer in run.intended_votes.items())
    lost_acknowledged = sum(stored.get(pid) != run.intended_votes[pid] for pid in run.acknowledged)
    applied = Command.objects.filter(session_id=run.session_id, ack__result__poll=run.poll_id).count()
    duplicates = (rows - len(stored)) + max(0, applied - len(run.intended_votes))
    upvotes = set(Upvote.objects.filter(question__session_id=run.session_id)
                  .values_list("participant_id", "question_id"))
    counted = sum(Question.objects.filter(session_id=run.session_id).values_list("upvotes", flat=True))
    return {"lost_votes": lost, "lost_acknowledged": lost_acknowledged, "duplicate_votes": duplicates, "lost_upvotes": len(run.intended_upvotes - upvotes),
            "upvote_rows": len(upvotes), "upvotes_counted": counted,
            "questions": Question.objects.filter(session_id=run.session_id).count()}


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    parser.add_argument("--fanout", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--fanout-rate", type=float, default=8.0, help="host events a second (the limit is 10)")
    parser.add_argument("--no-deflate", action="store_true", help="do not offer permessage-deflate (browsers do)")
    parser.add_argument("--admin-url", default="postgres://matchplats@127.0.0.1:5432/postgres")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    if args.participants < 1 or args.workers < 1:
        parser.error("--participants and --workers must be at least 1")
    limit = raise_open_files(4 * args.participants + 256)
    print(f"open-file limit {limit}")

    scratch = None if os.environ.get("DATABASE_URL") else ScratchDatabase(args.admin_url)
    database_url = os.environ.get("DATABASE_URL") or scratch.url
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"bench-{secrets.token_hex(4)}"
    var_dir = Path(tempfile.mkdtemp(prefix="matchplats-bench-"))
    (var_dir / "static").mkdir()
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url, CHANNEL_LAYER_PREFIX=prefix,
               DEBUG="false", SECRET_KEY=secrets.token_urlsafe(40), ALLOWED_HOSTS="127.0.0.1,localhost",
               MATCHPLATS_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="matchplats.settings", LOG_LEVEL="WARNING",
               PYTHONPATH=str(ROOT))
    servers = Servers(args.server, args.workers, env)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        if scratch:
            scratch.create()
        started = time.perf_counter()
        setup_django(database_url, env)
        world = build(args.participants)
        print(f"data ready in {time.perf_counter() - started:.1f} s (session {world.session_id})")
        servers.start()
        print(f"{args.workers} × {' '.join(server_command(args.server, 0)[2:3])} on ports {servers.ports}, "
              f"channel prefix {prefix}")
        with contextlib.suppress(ImportError):
            import uvloop

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        run = Run(session_id=world.session_id, participants=args.participants)
        figures = asyncio.run(load(run, world, servers.ports, fanout=args.fanout, fanout_rate=args.fanout_rate,
                                   seed=args.seed, compression=None if args.no_deflate else "deflate",
                                   cpu=servers.cpu_seconds))
        report(args, run, figures)
    except BaseException:
        print(f"--- the servers' output ---\n{servers.output()}", file=sys.stderr)
        raise
    finally:
        servers.stop()
        cleanup(redis_url, prefix, scratch)
        shutil.rmtree(var_dir, ignore_errors=True)


def report(args, run: Run, figures: dict) -> None:
    import psutil

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"generator CPU {sum(psutil.Process().cpu_times()[:2]):.1f} s")
    if args.fanout:
        delivered_per_s = figures["delivered"] / figures["elapsed"]
        cpu_share = figures["server_cpu_s"] / figures["elapsed"]
        print(f"{figures['fanout_events']} events in {figures['elapsed']:.1f} s → {figures['delivered']} messages "
              f"delivered; servers used {figures['server_cpu_s']:.1f} CPU-s ({cpu_share:.0%} of one core)")
        print(json.dumps({"server": args.server, "workers": args.workers, "participants": args.participants,
                          "connected_at_once": figures["connected_at_once"],
                          "demanded_per_s": round(args.fanout_rate * args.participants),
                          "delivered_per_s": round(delivered_per_s), "server_cpu_percent": round(100 * cpu_share),
                          "messages_per_cpu_s": round(figures["delivered"] / figures["server_cpu_s"])}))
        return
    checked = verify(run)
    tallies = count_tallies(run, figures["open_version"], figures["close_version"])
    acks, hosts = run.vote_acks, figures["host_latencies"]
    print(f"vote acks {len(acks)}: p50 {statistics.median(acks):.0f} ms, p95 {percentile(acks, 0.95):.0f} ms, "
          f"max {max(acks):.0f} ms; retried acks that differed {run.retry_mismatches}")
    print(f"host action → every participant ({len(hosts)}): p50 {statistics.median(hosts):.0f} ms, "
          f"p95 {percentile(hosts, 0.95):.0f} ms, max {max(hosts):.0f} ms")
    if run.other_acks:
        print(f"question acks {len(run.other_acks)}: p95 {percentile(run.other_acks, 0.95):.0f} ms")
    print(f"questions {checked['questions']}, upvotes meant {len(run.intended_upvotes)}, stored "
          f"{checked['upvote_rows']}, counted {checked['upvotes_counted']}, lost {checked['lost_upvotes']}")
    print(f"votes not in the database: {checked['lost_votes']}, of which acknowledged "
          f"{checked['lost_acknowledged']} (the rest: clients that gave up before the server had the vote)")
    print(f"client actions that gave up: {run.failures or 'none'}; reconnect handshakes retried "
          f"{figures['retries']}")
    print(f"errors {len(run.errors)} {sorted({e['code'] for e in run.errors})}; version gaps seen "
          f"{figures['gaps']}; messages received {figures['received']}; "
          f"server CPU during the poll {figures['server_cpu_s']:.1f} s")
    print(json.dumps({
        "participants": args.participants, "connected_at_once": figures["connected_at_once"],
        "ack_p50_ms": round(statistics.median(acks)),
        "p95_ms": round(max(percentile(acks, 0.95), percentile(hosts, 0.95))),
        "max_ms": round(max(max(acks), max(hosts))), "results_fresh_ms": figures["results_fresh_ms"],
        "lost_votes": checked["lost_votes"], "duplicate_votes": checked["duplicate_votes"],
        "broadcasts_per_poll": tallies}))


def count_tallies(run: Run, open_version: int, close_version: int) -> int:
    from dialogues.models import LiveEvent

    return LiveEvent.objects.filter(session_id=run.session_id, type="poll.tally", version__gt=open_version,
                                    version__lt=close_version).count()


def cleanup(redis_url: str, prefix: str, scratch: ScratchDatabase | None) -> None:
    import redis

    with contextlib.suppress(Exception):
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    if scratch:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        scratch.drop()


if __name__ == "__main__":
    main()
