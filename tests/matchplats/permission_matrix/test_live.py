"""The permission matrix of live sessions: every view of the socket opened, and every command sent
from it, by every role of ``world.ROLES`` through the real ASGI stack, against ``live.md``."""

from __future__ import annotations

import itertools
import json

import pytest
from asgiref.sync import sync_to_async
from channels.security.websocket import OriginValidator
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import override_settings

from dialogues.live.access import VIEWS
from dialogues.live.services import HOST_COMMANDS, PARTICIPANT_COMMANDS
from dialogues.models import ArenaSession
from matchplats.asgi import application
from tests.dialogues.live.conftest import close_connections_of_the_database_thread, layer  # noqa: F401 (fixtures)
from tests.matchplats.permission_matrix.matrix import read_table
from tests.matchplats.permission_matrix.test_pages import NOT_DATA, clients
from tests.matchplats.permission_matrix.world import KEYS, PEOPLE, ROLES, build_world
from tests.rows import row_counts
from tests.tally import TALLY

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("layer")]

COMMANDS = sorted(set(HOST_COMMANDS) | set(PARTICIPANT_COMMANDS), key=lambda c: (c == "session.close", c))
"""Every command, closing the session last (a host's close is undone before the next view)."""
_ids = itertools.count(1)
SOCKETS = OriginValidator(application.application_mapping["websocket"].application, ["testserver"])
"""matchplats.asgi's websocket stack (session and guest cookies, routes) behind the same origin
check, for the test's host: the stack's own check took ALLOWED_HOSTS when it was imported."""


def _headers(role: str, world, made) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver")]
    cookies = []
    if role in PEOPLE:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={made[role].cookies[settings.SESSION_COOKIE_NAME].value}")
    if role == "guest":
        cookies.append("=".join(world.guest_cookie))
    if cookies:
        headers.append((b"cookie", "; ".join(cookies).encode()))
    if role in KEYS:
        headers.append((b"authorization", f"Bearer {world.keys[role]}".encode()))
    return headers


async def _open(socket: WebsocketCommunicator) -> str:
    """``open`` with the snapshot read, or the close code: a refused socket is accepted, told
    why (an ``error`` with code ``refused``) and closed with a 44xx code."""
    connected, code = await socket.connect()
    if not connected:
        return str(code)
    first = await socket.receive_output(timeout=5)
    if first["type"] == "websocket.close":
        return str(first.get("code"))
    if json.loads(first["text"])["type"] == "error":
        closing = await socket.receive_output(timeout=5)
        return str(closing.get("code"))
    return "open"


async def _reply(socket: WebsocketCommunicator, command_id: str) -> dict:
    """The ack or error for the command (events in between are skipped), or the close."""
    while True:
        output = await socket.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return {"type": "close", "code": output.get("code")}
        message = json.loads(output["text"])
        if message["type"] in ("ack", "error") and message.get("id") == command_id:
            return message


@override_settings(LIVE_COMMAND_RATE=(1000.0, 1000.0))
async def test_every_view_and_command_of_a_live_session_answers_every_role_as_the_table_says(taxonomy):
    world = await sync_to_async(build_world)()
    made = await sync_to_async(clients)(world)
    table = read_table("live.md")
    missing = [(c, v) for c in ["connect", *COMMANDS] for v in VIEWS if (c, v) not in table]
    assert not missing, f"commands or views without a row in live.md: {missing}"
    stale = sorted({c for c, _v in table} - {"connect", *COMMANDS})
    assert not stale, f"rows in live.md for commands that no longer exist: {stale}"
    session_id = world.values["pk"]["arenor/moten/"]

    wrong, tried = [], 0
    for role in ROLES:
        for view in VIEWS:
            socket = WebsocketCommunicator(SOCKETS, f"/ws/arenor/moten/{session_id}/?view={view}",
                                           headers=_headers(role, world, made))
            got = await _open(socket)
            tried += 1
            if got != table["connect", view].expected[role]:
                wrong.append(f"{role:12} connect {view}: expected {table['connect', view].expected[role]}, got {got}")
            if got != "open":
                continue
            for command in COMMANDS:
                expected = table[command, view].expected[role]
                command_id = f"m-{next(_ids)}"
                before = await sync_to_async(row_counts)()
                await socket.send_json_to({"type": command, "id": command_id, "session": session_id})
                reply = await _reply(socket, command_id)
                after = await sync_to_async(row_counts)()
                got = ("forbidden" if reply.get("code") == "forbidden" else "ok" if reply["type"] in ("ack", "error")
                       else f"closed {reply.get('code')}")
                tried += 1
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t] and t not in NOT_DATA}
                if got != expected:
                    wrong.append(f"{role:12} {command} from {view}: expected {expected}, got {reply}")
                elif got == "forbidden" and changed:
                    wrong.append(f"{role:12} {command} from {view}: forbidden but wrote {changed}")
            await socket.disconnect()
            await sync_to_async(ArenaSession.objects.filter(pk=session_id).update)(state=ArenaSession.State.LIVE)
    TALLY.matrix_cases["live"] = tried
    assert not wrong, f"{len(wrong)} of {tried} cases differ from live.md:\n" + "\n".join(wrong)
