import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from dialogues.models import Answer, Poll, Question
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


async def _open_poll(host, kind="single", options=("A", "B", "C"), **fields) -> dict:
    created = await host.command("poll.create", kind=kind, question="Fråga?",
                                 **({"options": list(options)} if kind not in ("scale", "words") else {}), **fields)
    assert created["type"] == "ack", created
    poll_id = created["result"]["poll"]
    assert (await host.command("poll.open", poll=poll_id))["type"] == "ack"
    return (await host.event("poll.updated"))["event"]["poll"]


async def test_a_retried_vote_is_applied_once_and_answered_with_the_same_ack(world, live):
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    poll = await _open_poll(host)
    first = await member.command("vote", id="retry-1", poll=poll["id"], answer=[poll["options"][0]["id"]])
    again = await member.command("vote", id="retry-1", poll=poll["id"], answer=[poll["options"][1]["id"]])
    assert again == first
    answers = await sync_to_async(list)(Answer.objects.filter(poll_id=poll["id"]).values_list("value", flat=True))
    assert answers == [[poll["options"][0]["id"]]]


async def test_a_participant_may_change_the_answer_while_the_poll_is_open_and_one_answer_counts(world, live):
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    poll = await _open_poll(host)
    a, b = (o["id"] for o in poll["options"][:2])
    assert (await member.command("vote", poll=poll["id"], answer=[a]))["type"] == "ack"
    assert (await member.command("vote", poll=poll["id"], answer=[b]))["type"] == "ack"
    closed = await host.command("poll.close", poll=poll["id"])
    assert closed["type"] == "ack"
    stored = await sync_to_async(Poll.objects.get)(pk=poll["id"])
    assert stored.results["answers"] == 1
    assert stored.results["segments"]["all"]["counts"] == {str(a): 0, str(b): 1, str(poll["options"][2]["id"]): 0}
    late = await member.command("vote", poll=poll["id"], answer=[a])
    assert late["type"] == "error" and late["code"] == "poll_closed"


async def test_a_vote_whose_socket_dropped_before_the_ack_is_still_counted_after_reconnect(world, live):
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    poll = await _open_poll(host)
    option = poll["options"][0]["id"]
    await member.send_json_to({"type": "vote", "id": "drop-1", "session": live.pk, "poll": poll["id"],
                               "answer": [option]})
    await member.disconnect()
    again = await open_socket(live, world.employer_user)
    assert again.snapshot["me"]["votes"] == {str(poll["id"]): [option]}
    retried = await again.command("vote", id="drop-1", poll=poll["id"], answer=[option])
    assert retried["type"] == "ack" and retried["result"]["answer"] == [option]
    assert await sync_to_async(Answer.objects.filter(poll_id=poll["id"]).count)() == 1


async def test_host_commands_are_refused_for_participants_and_the_projector(world, live, guest):
    host = await open_socket(live, world.coordinator, view="host")
    poll = await _open_poll(host)
    member = await open_socket(live, world.employer_user)
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    projector = await open_socket(live, world.coordinator, view="projector")
    for socket in (member, visitor, projector):
        for command, fields in (("poll.close", {"poll": poll["id"]}), ("session.close", {}),
                                ("poll.create", {"kind": "scale", "question": "?"}),
                                ("decision.add", {"text": "x", "visibility": "public"})):
            refused = await socket.command(command, **fields)
            assert refused["type"] == "error" and refused["code"] == "forbidden", (command, refused)
    assert (await sync_to_async(Poll.objects.get)(pk=poll["id"])).state == "open"


@pytest.mark.parametrize("raw, code", [
    ("{not json", "bad_json"),
    ("[1, 2]", "bad_json"),
    ('{"type": "vote", "session": 1}', "bad_id"),
    ('{"type": "vote", "id": "has space", "session": 1}', "bad_id"),
    ('{"type": "dance", "id": "c1", "session": 1}', "unknown_type"),
])
async def test_malformed_messages_get_a_clear_error_and_change_nothing(world, live, raw, code):
    member = await open_socket(live, world.employer_user)
    await member.send_to(text_data=raw)
    error = await member.next_of("error")
    assert error["code"] == code and error["message"]


async def test_a_message_over_16_kb_is_refused(world, live):
    member = await open_socket(live, world.employer_user)
    await member.send_json_to({"type": "question.ask", "id": "big", "session": live.pk, "text": "x" * 17_000})
    error = await member.next_of("error")
    assert error["code"] == "too_large"
    assert not await sync_to_async(live.questions.exists)()


async def test_a_command_for_another_session_is_refused(world, live):
    member = await open_socket(live, world.employer_user)
    refused = await member.command("question.ask", session=live.pk + 1000, text="Hej?")
    assert refused["code"] == "wrong_session"
    assert not await sync_to_async(live.questions.exists)()


@pytest.mark.parametrize("kind, answer", [
    ("single", [999999]), ("single", []), ("single", "A"), ("multiple", [True]),
    ("ranking", "first"), ("scale", 6), ("scale", True), ("words", ["", "a"]), ("words", ["x" * 41]),
])
async def test_an_answer_that_does_not_fit_the_poll_is_refused_with_a_reason(world, live, kind, answer):
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    poll = await _open_poll(host, kind=kind)
    refused = await member.command("vote", poll=poll["id"], answer=answer)
    assert refused["type"] == "error" and refused["code"] == "invalid" and refused["message"]
    assert not await sync_to_async(Answer.objects.filter(poll_id=poll["id"]).exists)()


async def test_a_participant_flooding_commands_is_rate_limited(world, live, settings):
    settings.LIVE_COMMAND_RATE = (1.0, 5.0)
    member = await open_socket(live, world.employer_user)
    for i in range(30):
        await member.send_json_to({"type": "question.upvote", "id": f"f{i}", "session": live.pk, "question": 1})
    replies = [await member.next_of("error") for _ in range(30)]
    assert {r["code"] for r in replies} == {"not_found", "rate_limited"}
    assert sum(r["code"] == "rate_limited" for r in replies) >= 20


async def test_a_client_that_reconnects_gets_a_snapshot_with_everything_it_missed(world, live):
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    version = member.snapshot["version"]
    await member.disconnect()
    await _open_poll(host, kind="scale")
    await host.command("decision.add", text="Vi startar en lärlingsutbildning.", visibility="members")
    back = await open_socket(live, world.employer_user)
    assert back.snapshot["version"] > version
    assert [p["kind"] for p in back.snapshot["state"]["polls"]] == ["scale"]
    assert [d["text"] for d in back.snapshot["state"]["decisions"]] == ["Vi startar en lärlingsutbildning."]
    await back.send_json_to({"type": "sync"})
    assert (await back.next_of("snapshot"))["version"] == back.snapshot["version"]


async def test_events_carry_consecutive_versions_after_the_snapshot(world, live):
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    await _open_poll(host)
    await host.command("agenda.goto", agenda_item=host.snapshot["state"]["agenda"][1]["id"])
    versions = [(await member.next_of("event"))["version"] for _ in range(3)]
    assert versions == [member.snapshot["version"] + n for n in (1, 2, 3)]


async def test_guests_see_public_decisions_only_and_no_action_items(world, live, guest):
    host = await open_socket(live, world.coordinator, view="host")
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    member = await open_socket(live, world.employer_user)
    assert (await host.command("decision.add", text="Internt beslut", visibility="members"))["type"] == "ack"
    assert (await host.command("decision.add", text="Öppet beslut", visibility="public"))["type"] == "ack"
    owner = f"org:{world.employer.pk}"
    assert (await host.command("action.add", text="Ta fram underlag", due_on="2027-01-15", owner=owner))["type"] == "ack"
    guest_events = [(await visitor.next_of("event"))["event"] for _ in range(3)]
    assert [e["type"] for e in guest_events] == ["noop", "decision.added", "noop"]
    assert guest_events[1]["decision"]["text"] == "Öppet beslut"
    member_events = [(await member.next_of("event"))["event"]["type"] for _ in range(3)]
    assert member_events == ["decision.added", "decision.added", "action.added"]
    fresh = await open_socket(live, cookies=guest_cookies(guest))
    assert [d["text"] for d in fresh.snapshot["state"]["decisions"]] == ["Öppet beslut"]
    assert fresh.snapshot["state"]["actions"] == []


async def test_premoderated_questions_reach_others_only_when_approved_and_hidden_ones_disappear(world, live, guest):
    host = await open_socket(live, world.coordinator, view="host")
    assert (await host.command("session.settings", premoderate=True, allow_anonymous=False))["type"] == "ack"
    member = await open_socket(live, world.employer_user)
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    asked = await visitor.command("question.ask", text="Hur många platser finns?")
    question = asked["result"]["question"]
    assert question["state"] == "pending"
    assert (await member.next_of("event"))["event"] == {"type": "noop"}
    assert (await host.event("question.added"))["event"]["question"]["text"] == "Hur många platser finns?"
    assert (await host.command("question.moderate", question=question["id"], action="approve"))["type"] == "ack"
    approved = await member.event("question.updated")
    assert approved["event"]["question"]["state"] == "visible"
    assert (await host.command("question.moderate", question=question["id"], action="hide"))["type"] == "ack"
    assert (await member.event("question.removed"))["event"]["question"] == question["id"]
    fresh = await open_socket(live, world.employer_user)
    assert fresh.snapshot["state"]["questions"] == []


async def test_an_upvote_counts_once_per_participant_and_reaches_others_coalesced(world, live, guest):
    member = await open_socket(live, world.employer_user)
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    question = (await member.command("question.ask", text="Finns det lärlingsplatser?"))["result"]["question"]
    for _ in range(3):
        assert (await visitor.command("question.upvote", question=question["id"]))["type"] == "ack"
    tally = await member.event("question.tally")
    assert tally["event"]["upvotes"] == {str(question["id"]): 1}


async def test_a_guest_is_refused_an_upvote_of_their_own_question_with_a_clear_error(world, live, guest):
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    question = (await visitor.command("question.ask", text="Finns det kvällskurser?"))["result"]["question"]
    refused = await visitor.command("question.upvote", question=question["id"])
    assert (refused["type"], refused["code"]) == ("error", "own_question")
    assert refused["message"] == "Det är din egen fråga; bara de andra kan stödja den."
    again = await open_socket(live, cookies=guest_cookies(guest))
    assert again.snapshot["me"]["asked"] == [question["id"]] and again.snapshot["me"]["upvoted"] == []
    assert again.snapshot["state"]["questions"][0]["upvotes"] == 0


async def test_a_signed_in_member_is_refused_an_upvote_of_their_own_question(world, live):
    member = await open_socket(live, world.employer_user)
    question = (await member.command("question.ask", text="Vem betalar handledarna?"))["result"]["question"]
    refused = await member.command("question.upvote", question=question["id"])
    assert (refused["type"], refused["code"]) == ("error", "own_question")
    assert (await sync_to_async(Question.objects.get)(pk=question["id"])).upvotes == 0


async def test_results_reach_participants_only_when_revealed_and_are_segmented_by_kind(world, live, guest):
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    visitor = await open_socket(live, cookies=guest_cookies(guest))
    poll = await _open_poll(host, kind="scale")
    assert (await member.command("vote", poll=poll["id"], answer=4))["type"] == "ack"
    assert (await visitor.command("vote", poll=poll["id"], answer=2))["type"] == "ack"
    hidden = await member.event("poll.tally")
    assert hidden["event"]["polls"][0]["results"] is None
    assert (await host.command("poll.reveal", poll=poll["id"], revealed=True))["type"] == "ack"
    shown = (await member.event("poll.updated"))["event"]["poll"]["results"]
    assert shown["segments"]["all"]["mean"] == 3.0
    assert shown["segments"]["employer"]["counts"]["4"] == 1
    assert shown["segments"]["guest"]["counts"]["2"] == 1
    assert shown["segments"]["provider"]["answers"] == 0


async def test_stale_notes_are_refused_with_a_conflict(world, live):
    host = await open_socket(live, world.coordinator, view="host")
    item = host.snapshot["state"]["agenda"][0]
    saved = await host.command("note.set", agenda_item=item["id"], text="Första", revision=item["revision"])
    assert saved["type"] == "ack" and saved["result"]["revision"] == item["revision"] + 1
    stale = await host.command("note.set", agenda_item=item["id"], text="Gammal", revision=item["revision"])
    assert stale["code"] == "conflict"
    event = await host.event("note.updated")
    assert event["event"]["notes"] == "Första"


async def test_closing_the_session_closes_its_polls_and_every_socket_with_4410(world, live):
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    poll = await _open_poll(host, kind="words")
    assert (await member.command("vote", poll=poll["id"], answer=["Lärlingar", "lärlingar!", "Språk"]))["type"] == "ack"
    assert (await host.command("session.close"))["type"] == "ack"
    updated = await member.event("poll.updated")
    assert updated["event"]["poll"]["state"] == "open"
    updated = await member.event("poll.updated")
    assert updated["event"]["poll"]["state"] == "closed"
    closing = await member.event("session.updated")
    assert closing["event"]["session"]["state"] == "closed"
    assert (await member.receive_output(timeout=5))["type"] == "websocket.close"
    stored = await sync_to_async(Poll.objects.get)(pk=poll["id"])
    assert stored.results["segments"]["all"]["words"] == [["lärlingar", 2], ["språk", 1]]
    after = await open_socket(live, world.employer_user)
    assert after.snapshot["state"]["session"]["state"] == "closed"
    assert (await after.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4410}


async def test_the_host_prioritises_from_the_data_and_moves_an_action_item_over_the_socket(world, live):
    from tests.reports.fixtures import CARE, employers, need

    @sync_to_async
    def data():
        today = timezone.localdate()
        for employer in employers(3, prefix="Vård"):
            need(employer, today=today, ssyk4=CARE, headcount=2)

    await data()
    host = await open_socket(live, world.coordinator, view="host")
    member = await open_socket(live, world.employer_user)
    created = await host.command("poll.create_from_data", source="needs", limit=3)
    assert created["type"] == "ack", created
    poll = (await host.event("poll.created"))["event"]["poll"]
    assert poll["kind"] == "ranking" and poll["source"] == "needs" and len(poll["options"]) == 3
    too_few = await host.command("poll.create_from_data", source="gaps", limit=5)  # one gap: care
    assert too_few["code"] == "invalid" and "för få" in too_few["message"]
    action = (await host.command("action.add", text="Boka lokal", due_on="2027-02-01",
                                 owner=f"org:{world.provider.pk}"))["result"]["action"]
    assert (await host.command("action.status", action=action, status="in_progress"))["type"] == "ack"
    updated = await member.event("action.updated")
    assert updated["event"]["action"]["status"] == "in_progress"
