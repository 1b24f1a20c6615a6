"""One small function per arena event type (who changed what, when)."""

from __future__ import annotations

from dialogues.models import ActionItem, Arena, ArenaEvent, ArenaSession, Decision

T = ArenaEvent.Type


def arena_created_event(*, arena: Arena, actor) -> ArenaEvent:
    return ArenaEvent.objects.create(arena=arena, type=T.ARENA_CREATED, actor=actor,
                                     data={"name": arena.name, "stage": arena.stage})


def arena_updated_event(*, arena: Arena, actor, changes: dict) -> ArenaEvent:
    return ArenaEvent.objects.create(arena=arena, type=T.ARENA_UPDATED, actor=actor, data={"changes": changes})


def member_added_event(*, arena: Arena, actor, name: str, kind: str) -> ArenaEvent:
    return ArenaEvent.objects.create(arena=arena, type=T.MEMBER_ADDED, actor=actor, data={"name": name, "kind": kind})


def member_removed_event(*, arena: Arena, actor, name: str, kind: str) -> ArenaEvent:
    return ArenaEvent.objects.create(arena=arena, type=T.MEMBER_REMOVED, actor=actor,
                                     data={"name": name, "kind": kind})


def host_set_event(*, arena: Arena, actor, email: str, host: bool) -> ArenaEvent:
    return ArenaEvent.objects.create(arena=arena, type=T.HOST_SET, actor=actor, data={"email": email, "host": host})


def stage_changed_event(*, arena: Arena, actor, old: str, note: str) -> ArenaEvent:
    return ArenaEvent.objects.create(arena=arena, type=T.STAGE_CHANGED, actor=actor,
                                     data={"old": old, "new": arena.stage, "note": note})


def session_created_event(*, session: ArenaSession, actor) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=session.arena_id, session=session, type=T.SESSION_CREATED, actor=actor,
                                     data={"title": session.title, "starts_at": session.starts_at.isoformat()})


def session_updated_event(*, session: ArenaSession, actor, changes: dict) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=session.arena_id, session=session, type=T.SESSION_UPDATED, actor=actor,
                                     data={"changes": changes})


def session_state_changed_event(*, session: ArenaSession, actor, old: str) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=session.arena_id, session=session, type=T.SESSION_STATE_CHANGED,
                                     actor=actor, data={"old": old, "new": session.state, "version": session.version})


def session_invited_event(*, session: ArenaSession, actor, recipients: int) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=session.arena_id, session=session, type=T.SESSION_INVITED, actor=actor,
                                     data={"recipients": recipients})


def session_reminded_event(*, session: ArenaSession, recipients: int) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=session.arena_id, session=session, type=T.SESSION_REMINDED,
                                     data={"recipients": recipients})


def agenda_changed_event(*, session: ArenaSession, actor, action: str, title: str,
                         changes: dict | None = None) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=session.arena_id, session=session, type=T.AGENDA_CHANGED, actor=actor,
                                     data={"action": action, "title": title, "changes": changes or {}})


def decision_created_event(*, decision: Decision, actor) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=decision.arena_id, session_id=decision.session_id, decision=decision,
                                     type=T.DECISION_CREATED, actor=actor,
                                     data={"text": decision.text, "visibility": decision.visibility})


def decision_updated_event(*, decision: Decision, actor, changes: dict) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=decision.arena_id, session_id=decision.session_id, decision=decision,
                                     type=T.DECISION_UPDATED, actor=actor, data={"changes": changes})


def action_created_event(*, item: ActionItem, actor) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=item.arena_id, session_id=item.session_id, action_item=item,
                                     type=T.ACTION_CREATED, actor=actor,
                                     data={"text": item.text, "due_on": item.due_on.isoformat()})


def action_updated_event(*, item: ActionItem, actor, changes: dict) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=item.arena_id, session_id=item.session_id, action_item=item,
                                     type=T.ACTION_UPDATED, actor=actor, data={"changes": changes})


def action_reminded_event(*, item: ActionItem, recipients: int) -> ArenaEvent:
    return ArenaEvent.objects.create(arena_id=item.arena_id, session_id=item.session_id, action_item=item,
                                     type=T.ACTION_REMINDED,
                                     data={"recipients": recipients, "due_on": item.due_on.isoformat()})
