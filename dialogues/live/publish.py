"""Persist a change as a versioned event, then broadcast it (docs/live-protocol.md).

``emit`` runs inside the writing transaction: it takes the session's row lock, bumps the
version, stores the event for every audience and only after the commit sends it to the three
channel-layer groups. A failed broadcast loses nothing: clients resync from the database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from dialogues.live import state
from dialogues.live.state import AUDIENCES
from dialogues.models import ActionItem, ArenaSession, Decision, LiveEvent, Poll, Question

log = logging.getLogger(__name__)

NOOP = {"type": "noop"}


def group_name(session_id: int, audience: str) -> str:
    return f"live-{session_id}-{audience}"


def broadcast(session_id: int, version: int, payloads: dict[str, dict]) -> None:
    """Send the event to each audience's group: from a worker thread through the event loop that
    started it, from code running in an event loop's own thread as a task of that loop."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    for audience, payload in payloads.items():
        message = {"type": "live.event", "version": version, "event": payload}
        try:
            if loop is not None:
                loop.create_task(layer.group_send(group_name(session_id, audience), message))
            else:
                async_to_sync(layer.group_send)(group_name(session_id, audience), message)
        except Exception:  # noqa: BLE001 - delivery is at most once; clients resync from the database
            log.warning("live event %s v%s not delivered to %s", session_id, version, audience, exc_info=True)


def emit(session: ArenaSession | int, event_type: str, build: Callable[[str], dict | None]) -> int:
    """Store the event ``build(audience)`` gives each audience (``None`` = it may not see this
    change: a ``noop``; a body with its own ``type``, e.g. ``question.removed``, keeps it) at
    the session's next version; broadcast after the commit."""
    session_id = session if isinstance(session, int) else session.pk
    with transaction.atomic():
        version = ArenaSession.objects.select_for_update().values_list("version", flat=True).get(pk=session_id) + 1
        ArenaSession.objects.filter(pk=session_id).update(version=version)
        if not isinstance(session, int):
            session.version = version
        payloads = {}
        for audience in AUDIENCES:
            body = build(audience)
            payloads[audience] = NOOP if body is None else {"type": event_type, **body}
        LiveEvent.objects.create(session_id=session_id, version=version, type=event_type, payloads=payloads)
        transaction.on_commit(lambda: broadcast(session_id, version, payloads))
    return version


def everyone(body: dict) -> Callable[[str], dict]:
    return lambda audience: body


# --- one function per kind of change, used by the services of the pages and of the live layer ---------


def session_changed(session: ArenaSession) -> int:
    return emit(session, "session.updated", everyone({"session": state.session_data(session)}))


def agenda_changed(session: ArenaSession) -> int:
    return emit(session, "agenda.updated", everyone({"agenda": state.agenda_data(session)}))


def current_item_changed(session: ArenaSession, item_id: int | None) -> int:
    return emit(session, "agenda.current", everyone({"agenda_item": item_id}))


def note_changed(item) -> int:
    return emit(item.session_id, "note.updated",
                everyone({"agenda_item": item.pk, "notes": item.notes, "revision": item.notes_revision}))


def poll_changed(poll: Poll, *, created: bool = False) -> int:
    results = state.current_results(poll)

    def build(audience: str) -> dict | None:
        if not state.visible_to(audience, poll):
            return None
        return {"poll": state.poll_data(poll, audience, results=results)}

    return emit(poll.session_id, "poll.created" if created else "poll.updated", build)


def question_changed(question: Question, *, created: bool = False) -> int:
    data = state.question_data(question)

    def build(audience: str) -> dict | None:
        if state.visible_to(audience, question):
            return {"question": data}
        return None if created else {"type": "question.removed", "question": question.pk}

    return emit(question.session_id, "question.added" if created else "question.updated", build)


def decision_changed(decision: Decision, *, created: bool = False) -> int:
    data = state.decision_data(decision)

    def build(audience: str) -> dict | None:
        if state.visible_to(audience, decision):
            return {"decision": data}
        return None if created else {"type": "decision.removed", "decision": decision.pk}

    return emit(decision.session_id, "decision.added" if created else "decision.updated", build)


def action_changed(item: ActionItem, *, created: bool = False) -> int:
    data = state.action_data(item)
    return emit(item.session_id, "action.added" if created else "action.updated",
                lambda audience: {"action": data} if state.visible_to(audience, item) else None)


def tallies(session_id: int, polls: list[Poll], questions: list[Question], *, results: dict[int, dict]) -> list[int]:
    """Coalesced results (``poll.tally``, ``results`` by poll id) and upvote counts (``question.tally``)."""
    versions = []
    if polls:

        def build_polls(audience: str) -> dict | None:
            shown = [{"id": p.pk, "answers": results[p.pk]["answers"],
                      "results": results[p.pk] if state.results_shown_to(audience, p) else None}
                     for p in polls if state.visible_to(audience, p)]
            return {"polls": shown} if shown else None

        versions.append(emit(session_id, "poll.tally", build_polls))
    if questions:
        def build_questions(audience: str) -> dict | None:
            shown = {str(q.pk): q.upvotes for q in questions if state.visible_to(audience, q)}
            return {"upvotes": shown} if shown else None

        versions.append(emit(session_id, "question.tally", build_questions))
    return versions

