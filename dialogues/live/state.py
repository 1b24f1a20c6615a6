"""The live state of a session as each audience sees it (docs/live-protocol.md, *The state*).

One function per object turns a row into what a client holds; the snapshot and every event
are built from these, so an event applied to a snapshot gives the next snapshot. ``visible_to``
says per audience whether a row is shown at all — the one place of that rule."""

from __future__ import annotations

import re
from collections import Counter

from dialogues.models import ActionItem, Answer, ArenaSession, Decision, LiveSettings, Participant, Poll, Question

HOST, MEMBER, GUEST = "host", "member", "guest"
AUDIENCES = (HOST, MEMBER, GUEST)
SEGMENTS = ("all", *Participant.Kind.values)
TOP_WORDS = 50

P, Q = Poll.State, Question.State
VISIBLE_QUESTION_STATES = (Q.VISIBLE, Q.ANSWERED)


def visible_to(audience: str, row) -> bool:
    """Whether ``audience`` sees ``row`` (a poll, question, decision or action item) at all."""
    if audience == HOST:
        return True
    if isinstance(row, Poll):
        return row.state != P.DRAFT
    if isinstance(row, Question):
        return row.state in VISIBLE_QUESTION_STATES
    if isinstance(row, Decision):
        return audience == MEMBER or row.visibility == Decision.Visibility.PUBLIC
    if isinstance(row, ActionItem):
        return audience == MEMBER
    raise TypeError(f"no visibility rule for {type(row).__name__}")


def results_shown_to(audience: str, poll: Poll) -> bool:
    return audience == HOST or poll.revealed


def live_settings(session: ArenaSession) -> LiveSettings:
    found = getattr(session, "_live_settings", None)
    if found is None:
        found = LiveSettings.objects.filter(session=session).first() or LiveSettings(session=session)
        session._live_settings = found
    return found


def session_data(session: ArenaSession) -> dict:
    live = live_settings(session)
    return {"id": session.pk, "title": session.title, "state": session.state,
            "current_agenda_item": live.current_agenda_item_id, "premoderate": live.premoderate,
            "allow_anonymous": live.allow_anonymous,
            "arena": {"id": session.arena_id, "name": session.arena.name}}


def agenda_data(session: ArenaSession) -> list[dict]:
    return [{"id": item.pk, "title": item.title, "notes": item.notes, "revision": item.notes_revision}
            for item in session.agenda_items.all()]


# --- polls and their results ---------------------------------------------------------------------------


def normalise_word(word: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", "", word.casefold())).strip()


def _segment_results(kind: str, values: list, option_ids: list[int]) -> dict:
    result: dict = {"answers": len(values)}
    if kind in (Poll.Kind.SINGLE, Poll.Kind.MULTIPLE):
        counts = Counter(option for value in values for option in value)
        result["counts"] = {str(o): counts.get(o, 0) for o in option_ids}
    elif kind == Poll.Kind.RANKING:
        scores = Counter()
        for value in values:
            for place, option in enumerate(value):
                scores[option] += len(option_ids) - place
        result["scores"] = {str(o): scores.get(o, 0) for o in option_ids}
        result["order"] = sorted(option_ids, key=lambda o: (-scores.get(o, 0), option_ids.index(o)))
    elif kind == Poll.Kind.SCALE:
        counts = Counter(values)
        result["counts"] = {str(n): counts.get(n, 0) for n in range(1, 6)}
        result["mean"] = round(sum(values) / len(values), 2) if values else None
    else:
        counts = Counter(normalise_word(word) for value in values for word in value)
        counts.pop("", None)
        result["words"] = [[word, n] for word, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_WORDS]]
    return result


def _movement(poll: Poll, order: list[int], keys: dict[int, str]) -> dict | None:
    """Places each option rose (+) or fell (−) since the same prioritisation last time."""
    previous = poll.previous
    if previous is None or not previous.results:
        return None
    before = previous.results["segments"]["all"].get("order", [])
    previous_keys = dict(previous.options.values_list("pk", "key"))
    old_place = {previous_keys.get(option): place for place, option in enumerate(before)}
    return {str(option): (old_place[keys[option]] - place if keys.get(option) in old_place else None)
            for place, option in enumerate(order)}


def compute_results(poll: Poll) -> dict:
    """The results of ``poll`` from its stored answers, overall and per kind of participant."""
    options = list(poll.options.all())
    option_ids = [o.pk for o in options]
    by_kind: dict[str, list] = {segment: [] for segment in SEGMENTS}
    for value, kind in Answer.objects.filter(poll=poll).order_by("pk").values_list("value", "participant__kind"):
        by_kind["all"].append(value)
        by_kind[kind].append(value)
    results = {"answers": len(by_kind["all"]),
               "segments": {segment: _segment_results(poll.kind, values, option_ids)
                            for segment, values in by_kind.items()}}
    if poll.kind == Poll.Kind.RANKING:
        results["movement"] = _movement(poll, results["segments"]["all"]["order"], {o.pk: o.key for o in options})
    return results


def current_results(poll: Poll) -> dict:
    return poll.results if poll.state == P.CLOSED and poll.results else compute_results(poll)


def poll_data(poll: Poll, audience: str, *, results: dict | None = None) -> dict:
    shown = results_shown_to(audience, poll)
    if shown and results is None:
        results = current_results(poll)
    return {"id": poll.pk, "kind": poll.kind, "question": poll.question, "state": poll.state,
            "revealed": poll.revealed, "agenda_item": poll.agenda_item_id, "max_choices": poll.max_choices,
            "source": poll.source, "options": [{"id": o.pk, "label": o.label} for o in poll.options.all()],
            "answers": poll.answers.count() if results is None else results["answers"],
            "results": results if shown else None}


def question_data(question: Question) -> dict:
    return {"id": question.pk, "text": question.text, "state": question.state, "upvotes": question.upvotes,
            "agenda_item": question.agenda_item_id, "author": str(question.participant)}


def decision_data(decision: Decision) -> dict:
    return {"id": decision.pk, "text": decision.text, "visibility": decision.visibility,
            "agenda_item": decision.agenda_item_id}


def owner_label(item: ActionItem) -> str:
    if item.owner_organisation_id:
        return item.owner_organisation.name
    if item.owner_user_id:
        user = item.owner_user
        return user.get_full_name() or user.email
    return ""


def action_data(item: ActionItem) -> dict:
    return {"id": item.pk, "text": item.text, "owner": owner_label(item), "due_on": item.due_on.isoformat(),
            "status": item.status, "agenda_item": item.agenda_item_id}


# --- the snapshot ------------------------------------------------------------------------------------------


def presence_count(session_id: int) -> int:
    """Participants connected now (one however many sockets), host and projector views not counted."""
    return Participant.objects.filter(session_id=session_id, connections__gt=0).count()


def snapshot(session: ArenaSession, audience: str) -> dict:
    """The whole state of ``session`` for ``audience``; its version is ``session.version`` read
    in the same transaction (callers hold one)."""
    polls = session.polls.select_related("previous").prefetch_related("options")
    questions = session.questions.select_related("participant")
    decisions = session.decisions.order_by("pk")
    actions = session.action_items.select_related("owner_organisation", "owner_user").order_by("pk")
    return {
        "session": session_data(session),
        "agenda": agenda_data(session),
        "polls": [poll_data(p, audience) for p in polls if visible_to(audience, p)],
        "questions": [question_data(q) for q in questions if visible_to(audience, q)],
        "decisions": [decision_data(d) for d in decisions if visible_to(audience, d)],
        "actions": [action_data(a) for a in actions if visible_to(audience, a)],
        "presence": presence_count(session.pk),
    }


def me_data(participant: Participant | None, audience: str) -> dict:
    """Who this client is and what it has done: its answers, upvotes, the questions it asked (only
    this client learns which they are) and those still waiting for moderation."""
    if participant is None:
        return {"participant": None, "name": "", "kind": "", "audience": audience, "votes": {}, "upvoted": [],
                "asked": [], "questions": []}
    return {
        "participant": participant.pk, "name": str(participant), "kind": participant.kind, "audience": audience,
        "votes": {str(poll): value for poll, value in participant.answers.values_list("poll_id", "value")},
        "upvoted": sorted(participant.upvotes.values_list("question_id", flat=True)),
        "asked": sorted(participant.questions.values_list("pk", flat=True)),
        "questions": [question_data(q) for q in participant.questions.filter(state=Q.PENDING)],
    }
