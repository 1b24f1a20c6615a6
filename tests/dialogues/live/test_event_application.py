"""The Zulip-style harness (docs/live-protocol.md, *Events*): for every event type and every
audience, a snapshot before a change plus the change's stored events, applied by the browser's
own static/js/live-state.js in Chromium, equals a fresh snapshot after it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from dialogues import services as arena_services
from dialogues.live import services, state
from dialogues.live.services import Viewer, participant_for_member, participant_join_guest
from dialogues.models import ArenaSession, Decision, LiveEvent, Poll
from tests.dialogues.conftest import World, make_session
from tests.dialogues.live.conftest import command_id

pytestmark = pytest.mark.django_db

LIVE_STATE_JS = Path(settings.BASE_DIR) / "static" / "js" / "live-state.js"
PROTOCOL = Path(settings.BASE_DIR) / "docs" / "live-protocol.md"


@dataclass
class Live:
    world: World
    session: ArenaSession
    host: Viewer
    member: Viewer
    guest: Viewer

    def run(self, viewer: Viewer, type_: str, **fields) -> dict:
        ack = services.execute(viewer, {"type": type_, "id": command_id(), "session": self.session.pk, **fields})
        assert ack["type"] == "ack", ack
        return ack["result"]

    def poll(self, kind: str = "single", *, open_it: bool = True, **fields) -> Poll:
        fields.setdefault("options", ["Lärlingar", "Validering", "Yrkesvux"])
        poll_id = self.run(self.host, "poll.create", kind=kind, question="Vad först?", **fields)["poll"]
        if open_it:
            self.run(self.host, "poll.open", poll=poll_id)
        return Poll.objects.get(pk=poll_id)

    def question(self) -> int:
        return self.run(self.member, "question.ask", text="Hur många platser finns?")["question"]["id"]

    def decision(self, visibility: str = "public") -> Decision:
        return arena_services.decision_create(actor=self.world.coordinator, session=self.session, text="Fler APL",
                                              visibility=visibility)

    def fresh(self) -> ArenaSession:
        return ArenaSession.objects.select_related("arena").get(pk=self.session.pk)


@pytest.fixture(autouse=True)
def close_connections_of_the_database_thread():
    """No sockets here, so no database thread to clean up; and Playwright's event loop runs in
    this thread, where the async version of this fixture could not."""
    yield


def make_live(world: World) -> Live:
    session = arena_services.session_state_set(actor=world.coordinator, session=make_session(world),
                                               state=ArenaSession.State.LIVE)
    member = participant_for_member(user=world.employer_user, session=session)
    guest = participant_join_guest(session=session, display_name="Gäst")
    return Live(world=world, session=session,
                host=Viewer(session_id=session.pk, audience=state.HOST, user=world.coordinator, participant_id=None),
                member=Viewer(session_id=session.pk, audience=state.MEMBER, user=world.employer_user,
                              participant_id=member.pk),
                guest=Viewer(session_id=session.pk, audience=state.GUEST, user=None, participant_id=guest.pk))


@pytest.fixture
def live(world) -> Live:
    return make_live(world)


@pytest.fixture(scope="module")
def js(browser):
    """A blank page with live-state.js loaded, and nothing else."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!DOCTYPE html><title>harness</title>")
    page.add_script_tag(content=LIVE_STATE_JS.read_text())
    yield page
    context.close()


def _comparable(snapshot: dict) -> dict:
    return {key: value for key, value in json.loads(json.dumps(snapshot)).items() if key != "presence"}


def _tally(live: Live) -> None:
    services.tally(live.session.pk)


# Each change: (what is prepared before the snapshot, the change itself). The change goes through the
# same services a socket or a page would use.
Change = tuple[Callable[[Live], object], Callable[[Live, object], None]]

CHANGES: dict[str, Change] = {
    "session settings": (lambda live: None, lambda live, _: live.run(
        live.host, "session.settings", premoderate=True, allow_anonymous=True)),
    "session closed": (lambda live: live.poll(), lambda live, _: arena_services.session_state_set(
        actor=live.world.coordinator, session=live.fresh(), state=ArenaSession.State.CLOSED)),
    "agenda item added on the page": (lambda live: None, lambda live, _: arena_services.agenda_item_add(
        actor=live.world.coordinator, session=live.fresh(), title="Övrigt")),
    "current agenda item": (lambda live: live.fresh().agenda_items.first().pk, lambda live, item: live.run(
        live.host, "agenda.goto", agenda_item=item)),
    "notes": (lambda live: live.fresh().agenda_items.first(), lambda live, item: live.run(
        live.host, "note.set", agenda_item=item.pk, text="Anteckning", revision=item.notes_revision)),
    "draft poll created": (lambda live: None, lambda live, _: live.poll("multiple", open_it=False, max_choices=2)),
    "poll opened": (lambda live: live.poll("ranking", open_it=False), lambda live, poll: live.run(
        live.host, "poll.open", poll=poll.pk)),
    "unrevealed votes tallied": (lambda live: live.poll(), lambda live, poll: (
        live.run(live.member, "vote", poll=poll.pk, answer=[poll.options.first().pk]),
        live.run(live.guest, "vote", poll=poll.pk, answer=[poll.options.last().pk]), _tally(live))),
    "poll revealed": (lambda live: live.poll("scale"), lambda live, poll: (
        live.run(live.member, "vote", poll=poll.pk, answer=4), live.run(live.host, "poll.reveal", poll=poll.pk,
                                                                        revealed=True))),
    "revealed votes tallied": (
        lambda live: (poll := live.poll("words"), live.run(live.host, "poll.reveal", poll=poll.pk, revealed=True))[0],
        lambda live, poll: (live.run(live.member, "vote", poll=poll.pk, answer=["Lärlingar", "APL"]),
                            live.run(live.guest, "vote", poll=poll.pk, answer=["lärlingar"]), _tally(live))),
    "ranking closed with results": (lambda live: live.poll("ranking"), lambda live, poll: (
        live.run(live.member, "vote", poll=poll.pk, answer=list(poll.options.values_list("pk", flat=True))),
        live.run(live.host, "poll.close", poll=poll.pk))),
    "question asked": (lambda live: None, lambda live, _: live.question()),
    "question waiting for moderation": (
        lambda live: live.run(live.host, "session.settings", premoderate=True, allow_anonymous=False),
        lambda live, _: live.question()),
    "question approved": (
        lambda live: (live.run(live.host, "session.settings", premoderate=True, allow_anonymous=False),
                      live.question())[1],
        lambda live, question: live.run(live.host, "question.moderate", question=question, action="approve")),
    "question answered": (lambda live: live.question(), lambda live, question: live.run(
        live.host, "question.moderate", question=question, action="answered")),
    "question hidden": (lambda live: live.question(), lambda live, question: live.run(
        live.host, "question.moderate", question=question, action="hide")),
    "upvotes tallied": (lambda live: live.question(), lambda live, question: (
        live.run(live.guest, "question.upvote", question=question), _tally(live))),
    "public decision added": (lambda live: None, lambda live, _: live.run(
        live.host, "decision.add", text="Två nya APL-platser", visibility="public")),
    "members-only decision added": (lambda live: None, lambda live, _: live.decision("members")),
    "decision made public": (lambda live: live.decision("members"), lambda live, decision: (
        arena_services.decision_update(actor=live.world.coordinator, decision=decision, text=decision.text,
                                       visibility="public", agenda_item=None, needs=[], occupations=[], gaps=[]))),
    "decision made members-only": (lambda live: live.decision("public"), lambda live, decision: (
        arena_services.decision_update(actor=live.world.coordinator, decision=decision, text=decision.text,
                                       visibility="members", agenda_item=None, needs=[], occupations=[], gaps=[]))),
    "action item added": (lambda live: None, lambda live, _: live.run(
        live.host, "action.add", text="Ordna handledarutbildning", due_on=str(dt.date(2030, 1, 31)),
        owner=f"org:{live.world.provider.pk}")),
    "action item status": (
        lambda live: live.run(live.host, "action.add", text="Ring skolorna", due_on="2030-02-01",
                              owner=f"user:{live.world.person.pk}")["action"],
        lambda live, action: live.run(live.host, "action.status", action=action, status="in_progress")),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_browsers_event_application_turns_the_old_snapshot_into_the_new_one(js, live, change):
    prepare, perform = CHANGES[change]
    prepared = prepare(live)
    session = live.fresh()
    before = {audience: state.snapshot(session, audience) for audience in state.AUDIENCES}
    perform(live, prepared)
    events = list(LiveEvent.objects.filter(session=session, version__gt=session.version).order_by("version"))
    assert events, f"{change}: no event was stored"
    after = live.fresh()
    assert [e.version for e in events] == list(range(session.version + 1, after.version + 1))
    for audience in state.AUDIENCES:
        applied = js.evaluate("([state, events]) => events.reduce(MatchplatsLive.applyEvent, state)",
                              [before[audience], [e.payloads[audience] for e in events]])
        assert _comparable(applied) == _comparable(state.snapshot(after, audience)), f"{change} as {audience}"


def test_the_changes_above_produce_every_event_type_of_the_protocol(js, world):
    table = PROTOCOL.read_text().split("## Events", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z.]+)` \|", table, flags=re.MULTILINE))
    assert len(documented) == 17
    assert documented == set(js.evaluate("MatchplatsLive.eventTypes"))
    seen = set()
    for prepare, perform in CHANGES.values():
        live = make_live(world)
        perform(live, prepare(live))
        seen |= {payload["type"] for event in LiveEvent.objects.filter(session=live.session)
                 for payload in event.payloads.values()}
    assert seen == documented
