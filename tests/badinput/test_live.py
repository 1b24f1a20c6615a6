"""Random frames on the live-session websocket, for the host and for a participant: non-JSON,
JSON that is no object, and every command type with wrong types per field. Each frame is
answered with an error (or, for a frame that happens to be a valid command, an ack), the socket
never closes with 1011, and rows change only for acknowledged commands."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogues.live.services import HOST_COMMANDS, PARTICIPANT_COMMANDS
from tests.badinput.support import count_input, row_counts
from tests.dialogues.live.conftest import (  # noqa: F401  (fixtures)
    close_connections_of_the_database_thread,
    layer,
    live,
    open_socket,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True), pytest.mark.badinput]

FIELDS = ["poll", "answer", "text", "question", "kind", "options", "item", "agenda_item", "notes", "version",
          "state", "visibility", "due_on", "owner", "needs", "occupations", "gaps", "source", "limit", "action",
          "status", "anonymous", "allow_anonymous", "hidden", "pinned", "settings", "min", "max"]
wrong_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70), st.floats(), st.text(max_size=30)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)
command = st.fixed_dictionaries(
    {"type": st.sampled_from(sorted(HOST_COMMANDS) + sorted(PARTICIPANT_COMMANDS) + ["sync", "dance", ""]),
     "id": st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True), wrong_value)},
    optional={"session": wrong_value, **{field: wrong_value for field in FIELDS}})


def _frames() -> list[str | bytes]:
    """Frames drawn by hypothesis (derandomised by the CI profile) and replayed over one socket."""
    frames: list[str | bytes] = []

    @settings(max_examples=300)
    @given(frame=st.one_of(
        command.map(lambda body: json.dumps(body, default=str)),
        st.text(min_size=1, max_size=60),
        st.binary(min_size=1, max_size=60),
        wrong_value.map(lambda value: json.dumps(value, default=str)),
    ))
    def draw(frame):
        frames.append(frame)

    draw()
    return frames


FRAMES = _frames()


@pytest.mark.parametrize("who", ["coordinator", "employer_user"])
async def test_every_random_frame_gets_an_answer_and_only_acknowledged_commands_write(world, live, who):  # noqa: F811
    view = "host" if who == "coordinator" else "participant"
    with override_settings(LIVE_COMMAND_RATE=(10_000.0, 10_000.0)):
        socket = await open_socket(live, getattr(world, who), view=view)
    for frame in FRAMES:
        count_input()
        before = await sync_to_async(row_counts)()
        if isinstance(frame, bytes):
            await socket.send_to(bytes_data=frame)
        else:
            await socket.send_to(text_data=frame)
        while True:
            output = await socket.receive_output(timeout=5)
            assert output["type"] != "websocket.close", (frame, output)
            reply = json.loads(output["text"])
            if reply["type"] in ("ack", "error", "snapshot"):
                break
        if reply["type"] == "error":
            assert reply["code"] != "internal" and reply["message"], (frame, reply)
            assert await sync_to_async(row_counts)() == before, (frame, reply)
        if reply["type"] == "ack" and json.loads(frame).get("type") == "session.close":
            break
    await socket.disconnect()
