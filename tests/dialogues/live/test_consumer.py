import pytest
from asgiref.sync import sync_to_async

from dialogues.models import Answer, Poll
from tests.dialogues.live.conftest import guest_cookies, open_socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_a_poll_created_opened_and_answered_reaches_the_host_with_results(world, live, guest):
    host = await open_socket(live, world.coordinator, view="host")
    assert host.snapshot["type"] == "snapshot"
    member = await open_socket(live, world.employer_user)
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    created = await host.command("poll.create", kind="single", question="Vilket först?", options=["A", "B"])
    assert created["type"] == "ack", created
    poll_id = created["result"]["poll"]
    assert (await host.command("poll.open", poll=poll_id))["type"] == "ack"
    opened = await member.event("poll.updated")
    option = opened["event"]["poll"]["options"][0]["id"]
    ack = await member.command("vote", poll=poll_id, answer=[option])
    assert ack["type"] == "ack" and ack["result"]["answer"] == [option]
    again = await visitor.command("vote", poll=poll_id, answer=[option])
    assert again["type"] == "ack"
    tally = await host.event("poll.tally")
    results = tally["event"]["polls"][0]["results"]
    assert results["answers"] >= 1
    assert await sync_to_async(Answer.objects.filter(poll_id=poll_id).count)() == 2
    assert (await sync_to_async(Poll.objects.get)(pk=poll_id)).state == "open"
    for socket in (host, member, visitor):
        await socket.disconnect()
