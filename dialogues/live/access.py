"""Who may open which view of a live session, and how a guest is recognised after a reload
(docs/live-protocol.md, *Connecting*; docs/permissions.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from dialogues.live.services import Viewer, participant_for_member
from dialogues.live.state import GUEST, HOST, MEMBER
from dialogues.models import ArenaSession, Participant
from matchplats import permissions

GUEST_SALT = "dialogues.live.guest"
GUEST_COOKIE_AGE = 60 * 60 * 24 * 2
"""A guest's cookie outlives a long session day, not more."""
VIEWS = ("participant", "host", "projector")

CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_CLOSED = 4403, 4404, 4410
CLOSE_UNAVAILABLE = 4503
"""The channel layer (Redis) is unreachable: the client reconnects, as after any other close."""


def guest_cookie_name(session_id: int) -> str:
    return f"mp_live_{session_id}"


def guest_token(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk, "s": participant.session_id}, salt=GUEST_SALT)


def guest_from_token(token: str | None, session_id: int) -> Participant | None:
    """The guest participant a signed token names, if it is valid and for this session."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=GUEST_SALT, max_age=GUEST_COOKIE_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != session_id:
        return None
    return Participant.objects.filter(pk=data.get("p"), session_id=session_id, user__isnull=True).first()


@dataclass(frozen=True)
class Refusal:
    code: int
    reason: str


def open_view(*, user, session_id: int, view: str, guest_token_value: str | None) -> Viewer | Refusal:
    """The viewer a socket becomes, or why it is refused. A member's participant row is created
    here, on their first connection to the live session (one per person). Participants of a
    scheduled session are refused; of a closed one they get the final state (the consumer then
    closes the socket)."""
    session = ArenaSession.objects.select_related("arena").filter(pk=session_id).first()
    if session is None or view not in VIEWS:
        return Refusal(CLOSE_NOT_FOUND, "no such session or view")
    arena = session.arena
    if view in ("host", "projector"):
        if not permissions.may_host_arena(user, arena):
            return Refusal(CLOSE_FORBIDDEN, "hosts only")
        return Viewer(session_id=session.pk, audience=HOST if view == "host" else GUEST, user=user,
                      participant_id=None)
    if session.state == ArenaSession.State.SCHEDULED:
        return Refusal(CLOSE_FORBIDDEN, "the session has not started")
    live = session.state == ArenaSession.State.LIVE
    if user.is_authenticated and permissions.may_view_arena(user, arena):
        participant = (participant_for_member(user=user, session=session) if live
                       else Participant.objects.filter(session=session, user=user).first())
        return Viewer(session_id=session.pk, audience=MEMBER, user=user,
                      participant_id=participant.pk if participant else None)
    guest = guest_from_token(guest_token_value, session.pk)
    if guest is None:
        return Refusal(CLOSE_FORBIDDEN, "join through the invitation first")
    return Viewer(session_id=session.pk, audience=GUEST, user=user, participant_id=guest.pk)
