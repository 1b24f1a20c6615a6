"""Writes of the live layer: participants, presence, commands and the coalesced tallies
(docs/live-protocol.md). Each command is validated, applied in one transaction together with
its acknowledgement (so a retry is answered the same and applied once), and what others may see
goes out through ``dialogues.live.publish``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues import selectors
from dialogues import services as arena_services
from dialogues.live import publish, state
from dialogues.live.state import HOST
from dialogues.models import (
    ActionItem,
    AgendaItem,
    Answer,
    ArenaSession,
    Command,
    Decision,
    LiveSettings,
    Participant,
    Poll,
    PollOption,
    Question,
    Upvote,
)
from employers.models import Need
from matchplats import permissions
from matchplats.core.params import is_plain_number
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import SsykGroup

COMMAND_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_OPTIONS, MIN_OPTIONS = 20, 2
MAX_WORDS, MAX_WORD_LENGTH = 3, 40
MAX_QUESTION, MAX_NOTES, MAX_LABEL, MAX_POLL_QUESTION = 500, 10_000, 200, 300
DATA_POLL_LIMITS = (2, 10)
NAME_LENGTH = 60


class LiveError(Exception):
    """A refused command: a stable ``code`` for programs and a translated ``message`` for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Viewer:
    """Who is behind a socket: its session, audience, person (if logged in) and participant."""

    session_id: int
    audience: str
    user: object
    participant_id: int | None

    @property
    def is_host(self) -> bool:
        return self.audience == HOST


# --- participants and presence -----------------------------------------------------------------------


def _kind_of(user, session: ArenaSession) -> str:
    """The participant's side, for segmented results: the kind of the person's organisation
    that is in the arena (else any of theirs); people without one count as the region's."""
    kinds = dict(Organisation.objects.filter(memberships__user=user).values_list("pk", "kind"))
    in_arena = session.arena.members.filter(organisation_id__in=kinds).values_list("organisation_id", flat=True)
    kind = next((kinds[pk] for pk in in_arena), None) or next(iter(kinds.values()), None)
    return kind if kind in Participant.Kind.values else Participant.Kind.REGION


def participant_for_member(*, user, session: ArenaSession) -> Participant:
    """The person's participant row in ``session`` (one per person however many tabs)."""
    found = Participant.objects.filter(session=session, user=user).first()
    if found:
        return found
    name = (user.get_full_name() or user.email.split("@")[0])[:NAME_LENGTH]
    try:
        with transaction.atomic():
            return Participant.objects.create(session=session, user=user, display_name=name,
                                              kind=_kind_of(user, session))
    except IntegrityError:
        return Participant.objects.get(session=session, user=user)


def participant_join_guest(*, session: ArenaSession, display_name: str, anonymous: bool = False) -> Participant:
    """A guest joins a live session with a display name, or anonymously where the host allows."""
    if session.state != ArenaSession.State.LIVE:
        raise ValidationError(_("The session is not live; guests can join while it is."))
    name = " ".join((display_name or "").split())
    if anonymous:
        if not state.live_settings(session).allow_anonymous:
            raise ValidationError({"display_name": _("The host asks everyone to give a name.")})
        name = ""
    elif not name:
        raise ValidationError({"display_name": _("Write the name the others will see.")})
    elif len(name) > NAME_LENGTH:
        raise ValidationError({"display_name": _("Keep the name to %(n)s characters.") % {"n": NAME_LENGTH}})
    elif any(ord(c) < 32 for c in name):
        raise ValidationError({"display_name": _("The name contains characters that cannot be shown.")})
    return Participant.objects.create(session=session, display_name=name, kind=Participant.Kind.GUEST,
                                      anonymous=anonymous)


def presence_connect(participant_id: int) -> None:
    Participant.objects.filter(pk=participant_id).update(connections=F("connections") + 1)


def presence_disconnect(participant_id: int) -> None:
    Participant.objects.filter(pk=participant_id, connections__gt=0).update(connections=F("connections") - 1)


# --- validation helpers --------------------------------------------------------------------------------


def _invalid(message: str) -> LiveError:
    return LiveError("invalid", message)


def _int(message: dict, field: str, *, optional: bool = False) -> int | None:
    value = message.get(field)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(_("“%(field)s” must be a whole number.") % {"field": field})
    return value


def _str(message: dict, field: str, *, max_length: int, required: bool = True) -> str:
    value = message.get(field, "")
    if not isinstance(value, str):
        raise _invalid(_("“%(field)s” must be text.") % {"field": field})
    value = value.strip()
    if required and not value:
        raise _invalid(_("“%(field)s” is empty.") % {"field": field})
    if len(value) > max_length:
        raise _invalid(_("“%(field)s” is longer than %(n)s characters.") % {"field": field, "n": max_length})
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise _invalid(_("“%(field)s” contains control characters.") % {"field": field})
    return value


def _bool(message: dict, field: str) -> bool:
    value = message.get(field)
    if not isinstance(value, bool):
        raise _invalid(_("“%(field)s” must be true or false.") % {"field": field})
    return value


def _choice(message: dict, field: str, choices) -> str:
    value = message.get(field)
    if value not in choices:
        raise _invalid(_("“%(field)s” must be one of: %(choices)s.") % {"field": field,
                                                                     "choices": ", ".join(map(str, choices))})
    return value


def _agenda_item(session: ArenaSession, message: dict) -> AgendaItem | None:
    item_id = _int(message, "agenda_item", optional=True)
    if item_id is None:
        return None
    item = AgendaItem.objects.filter(session=session, pk=item_id).first()
    if item is None:
        raise LiveError("not_found", _("There is no such agenda item in this session."))
    return item


def _row(model, session: ArenaSession, message: dict, field: str, what: str, *, lock: bool = False):
    queryset = model.objects.select_for_update() if lock else model.objects
    row = queryset.filter(session=session, pk=_int(message, field)).first()
    if row is None:
        raise LiveError("not_found", _("There is no such %(what)s in this session.") % {"what": what})
    return row


def _participant(viewer: Viewer) -> Participant:
    if viewer.participant_id is None:
        raise LiveError("forbidden", _("Join the session as a participant to do this."))
    return Participant.objects.get(pk=viewer.participant_id)


# --- participants' commands ----------------------------------------------------------------------------


_option_ids: dict[int, list[int]] = {}
"""A poll's option ids, which never change once it is created: read once per process."""


def _options_of(poll: Poll) -> list[int]:
    found = _option_ids.get(poll.pk)
    if found is None:
        if len(_option_ids) > 10_000:
            _option_ids.clear()
        found = _option_ids[poll.pk] = list(poll.options.values_list("pk", flat=True))
    return found


def _answer_value(poll: Poll, answer) -> list | int:
    option_ids = _options_of(poll)
    kind = poll.kind
    if kind == Poll.Kind.SCALE:
        if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 5:
            raise _invalid(_("Answer with a whole number from 1 to 5."))
        return answer
    if not isinstance(answer, list):
        raise _invalid(_("The answer must be a list."))
    if kind == Poll.Kind.WORDS:
        if not 1 <= len(answer) <= MAX_WORDS or not all(isinstance(w, str) for w in answer):
            raise _invalid(_("Answer with one to %(n)s words.") % {"n": MAX_WORDS})
        words = [" ".join(w.split()) for w in answer]
        if any(not w or len(w) > MAX_WORD_LENGTH or not state.normalise_word(w) for w in words):
            raise _invalid(_("Each word must be 1 to %(n)s characters, letters or digits.") % {"n": MAX_WORD_LENGTH})
        return words
    if any(isinstance(o, bool) or not isinstance(o, int) for o in answer) or len(set(answer)) != len(answer):
        raise _invalid(_("The answer must list distinct options."))
    if any(o not in option_ids for o in answer):
        raise _invalid(_("The answer names an option that is not in this poll."))
    if kind == Poll.Kind.SINGLE and len(answer) != 1:
        raise _invalid(_("Choose exactly one option."))
    if kind == Poll.Kind.MULTIPLE and not 1 <= len(answer) <= (poll.max_choices or len(option_ids)):
        raise _invalid(_("Choose between 1 and %(n)s options.") % {"n": poll.max_choices or len(option_ids)})
    if kind == Poll.Kind.RANKING and len(answer) != len(option_ids):
        raise _invalid(_("Rank every option, most important first."))
    return answer


def _poll_to_answer(session: ArenaSession, poll_id: int) -> Poll | None:
    """The poll, read with a shared lock on PostgreSQL (``FOR KEY SHARE``): votes do not wait
    for each other, but a poll closing (``FOR UPDATE``) waits until the votes in flight are
    committed, so its final results count every acknowledged answer, and a vote arriving while
    it closes waits and then finds it closed."""
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    table = Poll._meta.db_table
    return next(iter(Poll.objects.raw(
        f"SELECT id, kind, state, max_choices, session_id FROM {table} WHERE id = %s AND session_id = %s{lock}",
        [poll_id, session.pk])), None)


def vote(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    """Store the participant's answer (one statement, an insert that replaces an earlier answer).
    Nothing else is written: the results reach the others through the next tally."""
    if viewer.participant_id is None:
        raise LiveError("forbidden", _("Join the session as a participant to do this."))
    poll = _poll_to_answer(session, _int(message, "poll"))
    if poll is None:
        raise LiveError("not_found", _("There is no such %(what)s in this session.") % {"what": _("poll")})
    if poll.state != Poll.State.OPEN:
        raise LiveError("poll_closed", _("The poll is not open for answers."))
    value = _answer_value(poll, message.get("answer"))
    Answer.objects.bulk_create([Answer(poll=poll, participant_id=viewer.participant_id, value=value,
                                       updated_at=timezone.now())],
                               update_conflicts=True, unique_fields=["poll", "participant"],
                               update_fields=["value", "updated_at"])
    return {"poll": poll.pk, "answer": value}


def question_ask(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    participant = _participant(viewer)
    text = _str(message, "text", max_length=MAX_QUESTION)
    pending = state.live_settings(session).premoderate and not viewer.is_host
    question = Question.objects.create(session=session, participant=participant, text=text,
                                       agenda_item=_agenda_item(session, message),
                                       state=Question.State.PENDING if pending else Question.State.VISIBLE)
    publish.question_changed(question, created=True)
    return {"question": state.question_data(question)}


def question_upvote(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    """Support someone else's visible question, once; one's own question is refused."""
    participant = _participant(viewer)
    question = _row(Question, session, message, "question", _("question"))
    if question.state not in state.VISIBLE_QUESTION_STATES:
        raise LiveError("not_found", _("There is no such question in this session."))
    if question.participant_id == participant.pk:
        raise LiveError("own_question", _("This is your own question; only the others can support it."))
    _upvote, created = Upvote.objects.get_or_create(question=question, participant=participant)
    if created:
        Question.objects.filter(pk=question.pk).update(upvotes=F("upvotes") + 1)
    return {"question": question.pk, "upvoted": True}


# --- the host's commands -------------------------------------------------------------------------------


def agenda_goto(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    if "agenda_item" not in message:
        raise _invalid(_("“%(field)s” is missing.") % {"field": "agenda_item"})
    item = _agenda_item(session, message)
    live, _created = LiveSettings.objects.get_or_create(session=session)
    live.current_agenda_item = item
    live.save(update_fields=["current_agenda_item"])
    session._live_settings = live
    publish.current_item_changed(session, item.pk if item else None)
    return {"agenda_item": item.pk if item else None}


def note_set(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    item = _row(AgendaItem, session, message, "agenda_item", _("agenda item"), lock=True)
    text = _str(message, "text", max_length=MAX_NOTES, required=False)
    if _int(message, "revision") != item.notes_revision:
        raise LiveError("conflict", _("Someone changed the notes meanwhile; read them again and redo your change."))
    item.notes = text
    item.notes_revision += 1
    item.save(update_fields=["notes", "notes_revision"])
    publish.note_changed(item)
    return {"agenda_item": item.pk, "revision": item.notes_revision}


def _new_poll(session: ArenaSession, *, kind: str, question: str, labels: list[tuple[str, str]],
              agenda_item: AgendaItem | None, max_choices: int | None = None, source: str = "",
              previous: Poll | None = None) -> Poll:
    poll = Poll.objects.create(session=session, kind=kind, question=question, agenda_item=agenda_item,
                               max_choices=max_choices, source=source, previous=previous)
    PollOption.objects.bulk_create([PollOption(poll=poll, position=i, label=label, key=key)
                                    for i, (label, key) in enumerate(labels, start=1)])
    publish.poll_changed(poll, created=True)
    return poll


def poll_create(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    kind = _choice(message, "kind", Poll.Kind.values)
    question = _str(message, "question", max_length=MAX_POLL_QUESTION)
    labels: list[tuple[str, str]] = []
    max_choices = None
    if kind in (Poll.Kind.SINGLE, Poll.Kind.MULTIPLE, Poll.Kind.RANKING):
        options = message.get("options")
        if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise _invalid(_("Give %(min)s to %(max)s options.") % {"min": MIN_OPTIONS, "max": MAX_OPTIONS})
        labels = [(_str({"option": o}, "option", max_length=MAX_LABEL), "") for o in options]
        if len({label.casefold() for label, _key in labels}) != len(labels):
            raise _invalid(_("Two options are the same."))
        if kind == Poll.Kind.MULTIPLE:
            max_choices = _int(message, "max_choices", optional=True) or len(labels)
            if not 1 <= max_choices <= len(labels):
                raise _invalid(_("“max_choices” must be between 1 and the number of options."))
    poll = _new_poll(session, kind=kind, question=question, labels=labels, max_choices=max_choices,
                     agenda_item=_agenda_item(session, message))
    return {"poll": poll.pk}


def data_options(session: ArenaSession, source: str, limit: int, *, today: dt.date) -> list[tuple[str, str]]:
    """The options of a prioritisation straight from the data, as anyone outside the arena may
    see it: the branch's largest gaps from released dimensioning cells, or the county's open
    public needs in the branch (the disclosure rule of docs/permissions.md applies to both)."""
    outsider = AnonymousUser()
    arena = session.arena
    if source == Poll.Source.GAPS:
        rows = selectors.branch_figures(user=outsider, arena=arena, today=today).rows
        gaps = sorted((r for r in rows if not r.is_field and r.ssyk4_code and r.gap > 0), key=lambda r: -r.gap)
        return [(f"{r.label} ({r.ssyk4_code})", f"ssyk:{r.ssyk4_code}") for r in gaps[:limit]]
    needs = selectors.branch_public_needs(arena=arena, today=today)[:limit]
    return [(f"{need.title} – {need.organisation.name}"[:MAX_LABEL], f"need:{need.pk}") for need in needs]


def poll_create_from_data(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    source = _choice(message, "source", [Poll.Source.GAPS, Poll.Source.NEEDS])
    limit = _int(message, "limit", optional=True) or 5
    if not DATA_POLL_LIMITS[0] <= limit <= DATA_POLL_LIMITS[1]:
        raise _invalid(_("“limit” must be between %(min)s and %(max)s.") % dict(zip(("min", "max"),
                                                                                   DATA_POLL_LIMITS)))
    labels = data_options(session, source, limit, today=timezone.localdate())
    if len(labels) < MIN_OPTIONS:
        raise _invalid(_("There are too few gaps or open public needs in the arena's branch to prioritise."))
    previous = (Poll.objects.filter(session__arena_id=session.arena_id, source=source, kind=Poll.Kind.RANKING,
                                    state=Poll.State.CLOSED).exclude(session=session)
                .order_by("-closed_at", "-pk").first())
    question = (_("Which gaps matter most?") if source == Poll.Source.GAPS
                else _("Which needs matter most?"))
    poll = _new_poll(session, kind=Poll.Kind.RANKING, question=question, labels=labels, source=source,
                     previous=previous, agenda_item=_agenda_item(session, message))
    return {"poll": poll.pk}


def poll_open(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    poll = _row(Poll, session, message, "poll", _("poll"), lock=True)
    if poll.state != Poll.State.DRAFT:
        raise LiveError("poll_closed", _("Only a draft poll can be opened."))
    poll.state, poll.opened_at = Poll.State.OPEN, timezone.now()
    poll.save(update_fields=["state", "opened_at"])
    publish.poll_changed(poll)
    return {"poll": poll.pk, "state": poll.state}


def poll_close(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    poll = _row(Poll, session, message, "poll", _("poll"), lock=True)
    if poll.state != Poll.State.OPEN:
        raise LiveError("poll_closed", _("The poll is not open."))
    arena_services.poll_close(poll, now=timezone.now())
    return {"poll": poll.pk, "state": poll.state}


def poll_reveal(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    poll = _row(Poll, session, message, "poll", _("poll"), lock=True)
    revealed = _bool(message, "revealed")
    if poll.state == Poll.State.DRAFT:
        raise _invalid(_("Open the poll before showing its results."))
    if poll.revealed != revealed:
        poll.revealed = revealed
        poll.save(update_fields=["revealed"])
        publish.poll_changed(poll)
    return {"poll": poll.pk, "revealed": revealed}


MODERATION = {"approve": Question.State.VISIBLE, "hide": Question.State.HIDDEN, "answered": Question.State.ANSWERED}


def question_moderate(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    question = _row(Question, session, message, "question", _("question"), lock=True)
    new = MODERATION[_choice(message, "action", list(MODERATION))]
    if question.state != new:
        question.state = new
        question.save(update_fields=["state"])
        publish.question_changed(question)
    return {"question": question.pk, "state": new}


def session_settings(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    live, _created = LiveSettings.objects.get_or_create(session=session)
    live.premoderate = _bool(message, "premoderate")
    live.allow_anonymous = _bool(message, "allow_anonymous")
    live.save(update_fields=["premoderate", "allow_anonymous"])
    session._live_settings = live
    publish.session_changed(session)
    return {"premoderate": live.premoderate, "allow_anonymous": live.allow_anonymous}


def _ids(message: dict, field: str) -> list[int]:
    value = message.get(field, [])
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise _invalid(_("“%(field)s” must be a list of ids.") % {"field": field})
    return value


def _links(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    links = {}
    for field, model in (("needs", Need), ("occupations", SsykGroup), ("gaps", SsykGroup)):
        ids = _ids(message, field)
        rows = list(model.objects.filter(pk__in=ids))
        if len(rows) != len(set(ids)):
            raise LiveError("not_found", _("“%(field)s” names something that does not exist.") % {"field": field})
        links[field] = rows
    return links


def _validation_message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def decision_add(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    decision = arena_services.decision_create(
        actor=viewer.user, session=session, text=_str(message, "text", max_length=MAX_NOTES),
        visibility=_choice(message, "visibility", Decision.Visibility.values),
        agenda_item=_agenda_item(session, message), **_links(viewer, session, message))
    return {"decision": decision.pk}


def _owner(session: ArenaSession, message: dict) -> dict:
    owner = message.get("owner")
    kind, _sep, pk = owner.partition(":") if isinstance(owner, str) else ("", "", "")
    if kind not in ("org", "user") or not is_plain_number(pk):
        raise _invalid(_("“owner” must be “org:<id>” or “user:<id>”."))
    row = (Organisation if kind == "org" else get_user_model()).objects.filter(pk=int(pk)).first()
    if row is None:
        raise LiveError("not_found", _("The owner does not exist."))
    return {"owner_organisation": row} if kind == "org" else {"owner_user": row}


def action_add(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    try:
        due_on = dt.date.fromisoformat(_str(message, "due_on", max_length=10))
    except ValueError:
        raise _invalid(_("“due_on” must be a date, YYYY-MM-DD.")) from None
    item = arena_services.action_item_create(
        actor=viewer.user, session=session, text=_str(message, "text", max_length=MAX_NOTES), due_on=due_on,
        agenda_item=_agenda_item(session, message), **_owner(session, message), **_links(viewer, session, message))
    return {"action": item.pk}


def action_status(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    item = ActionItem.objects.filter(arena_id=session.arena_id, pk=_int(message, "action")).first()
    if item is None:
        raise LiveError("not_found", _("There is no such action item in this arena."))
    status = _choice(message, "status", ActionItem.Status.values)
    arena_services.action_item_update(
        actor=viewer.user, item=item, text=item.text, due_on=item.due_on, status=status,
        owner_organisation=item.owner_organisation, owner_user=item.owner_user, agenda_item=item.agenda_item,
        needs=item.needs.all(), occupations=item.occupations.all(), gaps=item.gaps.all())
    return {"action": item.pk, "status": status}


def session_close(viewer: Viewer, session: ArenaSession, message: dict) -> dict:
    arena_services.session_state_set(actor=viewer.user, session=session, state=ArenaSession.State.CLOSED)
    return {"state": ArenaSession.State.CLOSED}


Handler = Callable[[Viewer, ArenaSession, dict], dict]
PARTICIPANT_COMMANDS: dict[str, Handler] = {
    "vote": vote, "question.ask": question_ask, "question.upvote": question_upvote,
}
HOST_COMMANDS: dict[str, Handler] = {
    "agenda.goto": agenda_goto, "note.set": note_set, "poll.create": poll_create,
    "poll.create_from_data": poll_create_from_data, "poll.open": poll_open, "poll.close": poll_close,
    "poll.reveal": poll_reveal, "question.moderate": question_moderate, "session.settings": session_settings,
    "decision.add": decision_add, "action.add": action_add, "action.status": action_status,
    "session.close": session_close,
}
TALLIED = {"vote", "question.upvote"}


def _stored_ack(viewer: Viewer, command_id: str) -> dict | None:
    who = ({"participant_id": viewer.participant_id} if viewer.participant_id
           else {"participant__isnull": True, "user": viewer.user})
    return Command.objects.filter(session_id=viewer.session_id, command_id=command_id, **who) \
        .values_list("ack", flat=True).first()


def execute(viewer: Viewer, message: dict) -> dict:
    """Apply one command (already parsed: a dict with a known ``type``, a valid ``id`` and the
    right ``session``) and return its acknowledgement, or raise ``LiveError``. A command id seen
    before returns the stored acknowledgement and changes nothing."""
    command_id = message["id"]
    handler = HOST_COMMANDS.get(message["type"]) or PARTICIPANT_COMMANDS[message["type"]]
    stored = _stored_ack(viewer, command_id)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            sessions = ArenaSession.objects.select_related("arena")
            if message["type"] not in TALLIED:
                # Commands that publish take the session's row first, as every writer does before
                # it locks a poll (the one lock order that cannot deadlock); votes and upvotes
                # publish nothing and leave it free.
                sessions = sessions.select_for_update(of=("self",))
            session = sessions.get(pk=viewer.session_id)
            if message["type"] in HOST_COMMANDS and not (viewer.is_host and
                                                         permissions.may_host_arena(viewer.user, session.arena)):
                raise LiveError("forbidden", _("Only the session's host may do this."))
            if session.state == ArenaSession.State.CLOSED:
                raise LiveError("session_closed", _("The session is closed."))
            if session.state != ArenaSession.State.LIVE and message["type"] in PARTICIPANT_COMMANDS:
                raise LiveError("session_closed", _("The session has not started yet."))
            try:
                result = handler(viewer, session, message)
            except ValidationError as error:
                raise _invalid(_validation_message(error)) from None
            except PermissionDenied as error:
                raise LiveError("forbidden", str(error) or _("You may not do this.")) from None
            version = (session.version if message["type"] in TALLIED  # acknowledged only: no event
                       else ArenaSession.objects.values_list("version", flat=True).get(pk=session.pk))
            ack = {"type": "ack", "id": command_id, "version": version, "result": result}
            Command.objects.create(session=session, command_id=command_id, ack=ack,
                                   participant_id=viewer.participant_id,
                                   user=None if viewer.participant_id else viewer.user)
    except IntegrityError:
        stored = _stored_ack(viewer, command_id)
        if stored is None:
            raise
        return stored
    return ack


_tallied: dict[int, dict] = {}
"""The results this process last broadcast per open poll."""


def tally(session_id: int) -> list[int]:
    """Broadcast the open polls' results and the upvote counts that changed since this process's
    last tally. A process tallies after every answer it acknowledged, so each answer is in a
    tally that starts after its commit; another process's tally may send the same results again
    (harmless). The session's row is locked first, so results and versions go in one order."""
    with transaction.atomic():
        ArenaSession.objects.select_for_update().filter(pk=session_id).values_list("pk").first()
        results = {}
        polls = []
        for poll in (Poll.objects.filter(session_id=session_id, state=Poll.State.OPEN)
                     .prefetch_related("options").select_related("previous")):
            results[poll.pk] = state.compute_results(poll)
            if _tallied.get(poll.pk) != results[poll.pk]:
                polls.append(poll)
        questions = list(Question.objects.select_for_update().filter(session_id=session_id)
                         .exclude(upvotes=F("tallied_upvotes")))
        if not polls and not questions:
            return []
        for question in questions:
            Question.objects.filter(pk=question.pk).update(tallied_upvotes=question.upvotes)
        sent = {poll.pk: results[poll.pk] for poll in polls}

        def remember() -> None:
            if len(_tallied) > 10_000:
                _tallied.clear()
            _tallied.update(sent)

        transaction.on_commit(remember)
        return publish.tallies(session_id, polls, questions, results=results)
