"""Writes for branch arenas, sessions, decisions and action items (docs/arenas.md).

Every function checks permission (``matchplats.permissions``) and validates before it writes,
runs in one transaction and appends an event row (``dialogues/events.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogues import events, selectors
from dialogues.calendar import ics_document
from dialogues.live import publish
from dialogues.live.state import compute_results
from dialogues.models import ActionItem, AgendaItem, Arena, ArenaMember, ArenaSession, Decision, Poll, Stage
from employers.models import Need
from matchplats import permissions
from matchplats.accounts import audit
from matchplats.core.validators import single_line
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Kommun, Lan, OccupationField, SsykGroup

SESSION_REMIND_HOURS_BEFORE = 24
"""Members get a reminder e-mail once, in the last 24 hours before a session starts."""
ACTION_REMIND_DAYS_BEFORE = 3
"""Owners get a reminder once per due date, from 3 days before it (and when it has passed)."""

S = ArenaSession.State
TRANSITIONS = {S.SCHEDULED: S.LIVE, S.LIVE: S.CLOSED}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_manager(actor, arena: Arena) -> None:
    _require(permissions.may_manage_arena(actor, arena),
             _("Only the county's regional coordinators manage this arena."))


def _require_host(actor, arena: Arena) -> None:
    _require(permissions.may_host_arena(actor, arena),
             _("Only the arena's hosts and the county's coordinators run its sessions."))


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _changes(obj, values: dict) -> dict:
    """Set the fields and return {field: [old, new]} for those that changed (as text)."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [None if old is None else str(old), None if new is None else str(new)]
            setattr(obj, name, new)
    return changes


def _set_changes(label: str, old: Iterable, new: Iterable) -> dict:
    old_labels, new_labels = sorted(str(o) for o in old), sorted(str(n) for n in new)
    return {label: [", ".join(old_labels), ", ".join(new_labels)]} if old_labels != new_labels else {}


# --- arenas ------------------------------------------------------------------------------------------


def _check_branch(*, lan: Lan, kommuner, occupation_fields, ssyk_groups) -> None:
    stray = [k for k in kommuner if k.lan_id != lan.pk]
    if stray:
        raise ValidationError({"kommuner": _("%(kommun)s is not in %(lan)s.") % {"kommun": stray[0], "lan": lan}})
    if not occupation_fields and not ssyk_groups:
        raise ValidationError({"occupation_fields": _("Choose the branch: at least one occupation field or "
                                                      "occupation group.")})


@transaction.atomic
def arena_create(*, actor, name: str, lan: Lan, description: str = "", kommuner: Iterable[Kommun] = (),
                 occupation_fields: Iterable[OccupationField] = (), ssyk_groups: Iterable[SsykGroup] = (),
                 stage: str = Stage.SAMTAL) -> Arena:
    _require(permissions.may_create_arena(actor, lan.pk),
             _("Only regional coordinators of %(lan)s create arenas there.") % {"lan": lan})
    kommuner, occupation_fields, ssyk_groups = list(kommuner), list(occupation_fields), list(ssyk_groups)
    name = _text(name, "name", _("Give the arena a name."))
    _check_branch(lan=lan, kommuner=kommuner, occupation_fields=occupation_fields, ssyk_groups=ssyk_groups)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage of collaboration.")})
    arena = Arena.objects.create(name=name, lan=lan, description=description.strip(), stage=stage, created_by=actor)
    arena.kommuner.set(kommuner)
    arena.occupation_fields.set(occupation_fields)
    arena.ssyk_groups.set(ssyk_groups)
    events.arena_created_event(arena=arena, actor=actor)
    return arena


@transaction.atomic
def arena_update(*, actor, arena: Arena, name: str, description: str, kommuner: Iterable[Kommun],
                 occupation_fields: Iterable[OccupationField], ssyk_groups: Iterable[SsykGroup]) -> Arena:
    _require_manager(actor, arena)
    kommuner, occupation_fields, ssyk_groups = list(kommuner), list(occupation_fields), list(ssyk_groups)
    name = _text(name, "name", _("Give the arena a name."))
    _check_branch(lan=arena.lan, kommuner=kommuner, occupation_fields=occupation_fields, ssyk_groups=ssyk_groups)
    changes = _changes(arena, {"name": name, "description": description.strip()})
    changes |= _set_changes("kommuner", arena.kommuner.all(), kommuner)
    changes |= _set_changes("occupation_fields", arena.occupation_fields.all(), occupation_fields)
    changes |= _set_changes("ssyk_groups", [g.code for g in arena.ssyk_groups.all()], [g.code for g in ssyk_groups])
    if not changes:
        return arena
    arena.save()
    arena.kommuner.set(kommuner)
    arena.occupation_fields.set(occupation_fields)
    arena.ssyk_groups.set(ssyk_groups)
    events.arena_updated_event(arena=arena, actor=actor, changes=changes)
    return arena


@transaction.atomic
def arena_member_add(*, actor, arena: Arena, organisation: Organisation | None = None, user=None) -> ArenaMember:
    """Add an organisation (all its members take part) or one person."""
    _require_manager(actor, arena)
    if (organisation is None) == (user is None):
        raise ValidationError(_("Add either an organisation or a person."))
    if organisation is not None:
        if arena.members.filter(organisation=organisation).exists():
            raise ValidationError({"organisation": _("%(name)s is already a member.") % {"name": organisation.name}})
        member = ArenaMember.objects.create(arena=arena, organisation=organisation, added_by=actor)
        events.member_added_event(arena=arena, actor=actor, name=organisation.name, kind="organisation")
        audit.arena_access_changed(arena=arena, actor=actor, change="member_added", organisation=organisation)
    else:
        if arena.members.filter(user=user).exists():
            raise ValidationError({"email": _("%(email)s is already a member.") % {"email": user.email}})
        member = ArenaMember.objects.create(arena=arena, user=user, added_by=actor)
        events.member_added_event(arena=arena, actor=actor, name=user.email, kind="person")
        audit.arena_access_changed(arena=arena, actor=actor, change="member_added", user=user)
    arena.__dict__.pop("_member_rows", None)
    return member


@transaction.atomic
def arena_member_remove(*, actor, member: ArenaMember) -> None:
    arena = member.arena
    _require_manager(actor, arena)
    name, kind = (member.organisation.name, "organisation") if member.organisation_id else (member.user.email, "person")
    audit.arena_access_changed(arena=arena, actor=actor, change="member_removed", user=member.user,
                               organisation=member.organisation)
    member.delete()
    arena.__dict__.pop("_member_rows", None)
    events.member_removed_event(arena=arena, actor=actor, name=name, kind=kind)


@transaction.atomic
def arena_host_set(*, actor, arena: Arena, user, host: bool) -> None:
    """Delegate hosting to a member of the arena (``host=True``) or take it back. Someone made host
    through their organisation is added as a person too, so taking hosting back keeps them a
    member either way."""
    _require_manager(actor, arena)
    if host and not permissions.may_be_arena_host(user, arena):
        raise ValidationError({"user": _("Only a member of the arena can host it; add the person or their "
                                         "organisation first.")})
    row = arena.members.filter(user=user).first()
    role = ArenaMember.Role.HOST if host else ArenaMember.Role.MEMBER
    if row is None and not host:
        return
    if row is None:
        ArenaMember.objects.create(arena=arena, user=user, role=role, added_by=actor)
    elif row.role == role:
        return
    else:
        row.role = role
        row.save(update_fields=["role"])
    arena.__dict__.pop("_member_rows", None)
    events.host_set_event(arena=arena, actor=actor, email=user.email, host=host)
    audit.arena_access_changed(arena=arena, actor=actor, change="host_given" if host else "host_taken", user=user)


@transaction.atomic
def arena_stage_set(*, actor, arena: Arena, stage: str, note: str = "") -> Arena:
    """Move the arena on samverkanstrappan (either way: a step back is history too)."""
    _require_manager(actor, arena)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage of collaboration.")})
    if stage == arena.stage:
        raise ValidationError({"stage": _("The arena is already at this stage.")})
    old = arena.stage
    arena.stage = stage
    arena.save(update_fields=["stage", "updated_at"])
    events.stage_changed_event(arena=arena, actor=actor, old=old, note=note.strip())
    return arena


# --- sessions -----------------------------------------------------------------------------------


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})


def _require_open(session: ArenaSession) -> None:
    """The session, as stored now (its row locked until the transaction ends), is not closed."""
    session.state = ArenaSession.objects.select_for_update().values_list("state", flat=True).get(pk=session.pk)
    if session.state == S.CLOSED:
        raise ValidationError(_("The session is closed; its minutes can no longer change."))


@transaction.atomic
def session_create(*, actor, arena: Arena, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                   place: str = "", url: str = "", agenda: Iterable[str] = ()) -> ArenaSession:
    _require_host(actor, arena)
    title = _text(title, "title", _("Give the session a title."))
    _check_times(starts_at, ends_at)
    session = ArenaSession.objects.create(arena=arena, title=title, starts_at=starts_at, ends_at=ends_at,
                                          place=place.strip(), url=url.strip(), created_by=actor)
    AgendaItem.objects.bulk_create([AgendaItem(session=session, position=position, title=item.strip())
                                    for position, item in enumerate((a for a in agenda if a.strip()), start=1)])
    events.session_created_event(session=session, actor=actor)
    return session


@transaction.atomic
def session_update(*, actor, session: ArenaSession, title: str, starts_at: dt.datetime, ends_at: dt.datetime,
                   place: str, url: str) -> ArenaSession:
    _require_host(actor, session.arena)
    session = ArenaSession.objects.select_for_update().select_related("arena").get(pk=session.pk)
    if session.state != S.SCHEDULED:
        raise ValidationError(_("Only a scheduled session can be moved or renamed."))
    title = _text(title, "title", _("Give the session a title."))
    _check_times(starts_at, ends_at)
    changes = _changes(session, {"title": title, "starts_at": starts_at, "ends_at": ends_at,
                                 "place": place.strip(), "url": url.strip()})
    if changes:
        if "starts_at" in changes:
            session.reminded_at = None
        session.save()
        events.session_updated_event(session=session, actor=actor, changes=changes)
    return session


@transaction.atomic
def session_state_set(*, actor, session: ArenaSession, state: str) -> ArenaSession:
    """scheduled → live → closed, one step at a time, by a host. Bumps the live version."""
    session = ArenaSession.objects.select_for_update().select_related("arena").get(pk=session.pk)
    _require_host(actor, session.arena)
    if TRANSITIONS.get(session.state) != state:
        raise ValidationError({"state": _("A session goes from scheduled to live to closed; it cannot go from "
                                          "%(old)s to %(new)s.") % {"old": S(session.state).label,
                                                                   "new": S(state).label if state in S.values
                                                                   else state}})
    old = session.state
    now = timezone.now()
    session.state = state
    if state == S.LIVE:
        session.opened_at = now
    else:
        session.closed_at = now
        for poll in session.polls.select_for_update().filter(state=Poll.State.OPEN):
            poll_close(poll, now=now)
    session.save(update_fields=["state", "opened_at", "closed_at"])
    events.session_state_changed_event(session=session, actor=actor, old=old)
    publish.session_changed(session)
    return session


def poll_close(poll: Poll, *, now: dt.datetime) -> None:
    """Close an open poll: its final results are computed once and kept with it."""
    poll.state = Poll.State.CLOSED
    poll.closed_at = now
    poll.results = compute_results(poll)
    poll.save(update_fields=["state", "closed_at", "results"])
    publish.poll_changed(poll)


@transaction.atomic
def agenda_item_add(*, actor, session: ArenaSession, title: str, notes: str = "") -> AgendaItem:
    _require_host(actor, session.arena)
    _require_open(session)
    title = _text(title, "title", _("Give the agenda item a title."))
    last = session.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0
    item = AgendaItem.objects.create(session=session, position=last + 1, title=title, notes=notes.strip())
    events.agenda_changed_event(session=session, actor=actor, action="added", title=title)
    publish.agenda_changed(session)
    return item


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, title: str, notes: str) -> AgendaItem:
    session = item.session
    _require_host(actor, session.arena)
    _require_open(session)
    title = _text(title, "title", _("Give the agenda item a title."))
    changes = _changes(item, {"title": title, "notes": notes.strip()})
    if changes:
        if "notes" in changes:
            item.notes_revision += 1
        item.save()
        events.agenda_changed_event(session=session, actor=actor, action="changed", title=title, changes=changes)
        publish.agenda_changed(session)
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    session = item.session
    _require_host(actor, session.arena)
    _require_open(session)
    title = item.title
    item.delete()
    for position, remaining in enumerate(session.agenda_items.order_by("position", "pk"), start=1):
        if remaining.position != position:
            remaining.position = position
            remaining.save(update_fields=["position"])
    events.agenda_changed_event(session=session, actor=actor, action="removed", title=title)
    publish.agenda_changed(session)


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, up: bool) -> AgendaItem:
    """Swap the item with the one before it (``up``) or after it; at either end nothing changes."""
    session = item.session
    _require_host(actor, session.arena)
    _require_open(session)
    items = list(session.agenda_items.select_for_update().order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(items):
        return item
    items[index], items[other_index] = items[other_index], items[index]
    for position, each in enumerate(items, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    events.agenda_changed_event(session=session, actor=actor, action="moved", title=item.title)
    publish.agenda_changed(session)
    return item


# --- decisions and action items ---------------------------------------------------------------------


def _check_links(*, actor, session: ArenaSession, agenda_item: AgendaItem | None, needs: list[Need]) -> None:
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this session's agenda.")})
    allowed = set(selectors.linkable_needs(user=actor, arena=session.arena).filter(pk__in=[n.pk for n in needs])
                  .values_list("pk", flat=True))
    if any(need.pk not in allowed for need in needs):
        raise ValidationError({"needs": _("Link only needs of the arena's branch and county that you may read.")})


def _set_links(obj, *, needs, occupations, gaps) -> dict:
    changes = (_set_changes("needs", obj.needs.all(), needs) | _set_changes("occupations", obj.occupations.all(),
                                                                            occupations)
               | _set_changes("gaps", obj.gaps.all(), gaps)) if obj.pk else {}
    obj.needs.set(needs)
    obj.occupations.set(occupations)
    obj.gaps.set(gaps)
    return changes


@transaction.atomic
def decision_create(*, actor, session: ArenaSession, text: str, visibility: str = Decision.Visibility.MEMBERS,
                    agenda_item: AgendaItem | None = None, needs: Iterable[Need] = (),
                    occupations: Iterable[SsykGroup] = (), gaps: Iterable[SsykGroup] = ()) -> Decision:
    _require_host(actor, session.arena)
    _require_open(session)
    needs = list(needs)
    text = _text(text, "text", _("Write what was decided."))
    if visibility not in Decision.Visibility.values:
        raise ValidationError({"visibility": _("Choose who may read the decision.")})
    _check_links(actor=actor, session=session, agenda_item=agenda_item, needs=needs)
    decision = Decision.objects.create(arena_id=session.arena_id, session=session, agenda_item=agenda_item, text=text,
                                       visibility=visibility, created_by=actor)
    _set_links(decision, needs=needs, occupations=list(occupations), gaps=list(gaps))
    events.decision_created_event(decision=decision, actor=actor)
    publish.decision_changed(decision, created=True)
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, text: str, visibility: str, agenda_item: AgendaItem | None,
                    needs: Iterable[Need], occupations: Iterable[SsykGroup], gaps: Iterable[SsykGroup]) -> Decision:
    session = decision.session
    _require_host(actor, session.arena)
    needs = list(needs)
    text = _text(text, "text", _("Write what was decided."))
    if visibility not in Decision.Visibility.values:
        raise ValidationError({"visibility": _("Choose who may read the decision.")})
    _check_links(actor=actor, session=session, agenda_item=agenda_item, needs=needs)
    changes = _changes(decision, {"text": text, "visibility": visibility, "agenda_item": agenda_item})
    changes |= _set_links(decision, needs=needs, occupations=list(occupations), gaps=list(gaps))
    if changes:
        decision.save()
        events.decision_updated_event(decision=decision, actor=actor, changes=changes)
        publish.decision_changed(decision)
    return decision


def _check_owner(*, arena: Arena, owner_organisation: Organisation | None, owner_user) -> None:
    if (owner_organisation is None) == (owner_user is None):
        raise ValidationError({"owner": _("Choose one owner: an organisation or a person.")})
    if owner_organisation is not None and not arena.members.filter(organisation=owner_organisation).exists():
        raise ValidationError({"owner": _("The owner must be a member of the arena.")})
    if owner_user is not None and not permissions.is_arena_member(owner_user, arena):
        raise ValidationError({"owner": _("The owner must be a member of the arena.")})


@transaction.atomic
def action_item_create(*, actor, session: ArenaSession, text: str, due_on: dt.date,
                       owner_organisation: Organisation | None = None, owner_user=None,
                       agenda_item: AgendaItem | None = None, needs: Iterable[Need] = (),
                       occupations: Iterable[SsykGroup] = (), gaps: Iterable[SsykGroup] = ()) -> ActionItem:
    arena = session.arena
    _require_host(actor, arena)
    _require_open(session)
    needs = list(needs)
    text = _text(text, "text", _("Write what is to be done."))
    _check_owner(arena=arena, owner_organisation=owner_organisation, owner_user=owner_user)
    _check_links(actor=actor, session=session, agenda_item=agenda_item, needs=needs)
    item = ActionItem.objects.create(arena=arena, session=session, agenda_item=agenda_item, text=text, due_on=due_on,
                                     owner_organisation=owner_organisation, owner_user=owner_user, created_by=actor)
    _set_links(item, needs=needs, occupations=list(occupations), gaps=list(gaps))
    events.action_created_event(item=item, actor=actor)
    publish.action_changed(item, created=True)
    return item


@transaction.atomic
def action_item_update(*, actor, item: ActionItem, text: str, due_on: dt.date, status: str,
                       owner_organisation: Organisation | None, owner_user, agenda_item: AgendaItem | None,
                       needs: Iterable[Need], occupations: Iterable[SsykGroup],
                       gaps: Iterable[SsykGroup]) -> ActionItem:
    """Change an action item — also after its session closed: it stays open on the arena page
    until it is done."""
    arena = item.arena
    _require_host(actor, arena)
    needs = list(needs)
    text = _text(text, "text", _("Write what is to be done."))
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    _check_owner(arena=arena, owner_organisation=owner_organisation, owner_user=owner_user)
    _check_links(actor=actor, session=item.session, agenda_item=agenda_item, needs=needs)
    changes = _changes(item, {"text": text, "due_on": due_on, "status": status, "agenda_item": agenda_item,
                              "owner_organisation": owner_organisation, "owner_user": owner_user})
    changes |= _set_links(item, needs=needs, occupations=list(occupations), gaps=list(gaps))
    if changes:
        item.save()
        events.action_updated_event(item=item, actor=actor, changes=changes)
        publish.action_changed(item)
    return item


# --- invitation and reminders ----------------------------------------------------------------------


def _send(*, subject: str, template: str, context: dict, email: str, ics: bytes | None = None) -> None:
    with translation.override("sv"):
        message = EmailMessage(subject=single_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject),
                               body=render_to_string(template, context), to=[email])
        if ics is not None:
            message.attach("motet.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
        message.send()


@transaction.atomic
def session_invite(*, actor, session: ArenaSession, link_for: Callable[[ArenaSession], str]) -> int:
    """E-mail every member of the arena an invitation with the calendar file; returns the number
    of recipients. Sending again (after a change) sends the updated invitation."""
    _require_host(actor, session.arena)
    if session.state != S.SCHEDULED:
        raise ValidationError(_("Invitations go out before the session starts."))
    emails = selectors.arena_people_emails(arena=session.arena)
    if not emails:
        raise ValidationError(_("The arena has no members to invite yet."))
    session.invited_at = timezone.now()
    session.save(update_fields=["invited_at"])
    events.session_invited_event(session=session, actor=actor, recipients=len(emails))
    link = link_for(session)
    ics = ics_document([selectors.session_calendar_event(session=session, link=link)])
    with translation.override("sv"):
        subject = _("Invitation: %(title)s") % {"title": session.title}
    for email in emails:
        _send(subject=subject, template="dialogues/email/invitation.txt",
              context={"session": session, "arena": session.arena, "link": link}, email=email, ics=ics)
    return len(emails)


def session_remind_upcoming(*, now: dt.datetime, link_for: Callable[[ArenaSession], str]) -> dict[str, int]:
    """Remind the members of every scheduled session starting within
    ``SESSION_REMIND_HOURS_BEFORE`` hours, once per session (``reminded_at``; moving the session
    clears it). Each session is marked and mailed in its own transaction."""
    due = ArenaSession.objects.filter(state=S.SCHEDULED, reminded_at__isnull=True, starts_at__gt=now,
                                      starts_at__lte=now + dt.timedelta(hours=SESSION_REMIND_HOURS_BEFORE))
    sent = {"sessions": 0, "emails": 0}
    for pk in due.order_by("starts_at").values_list("pk", flat=True):
        with transaction.atomic():
            session = (ArenaSession.objects.select_for_update(of=("self",)).select_related("arena")
                       .filter(pk=pk, reminded_at__isnull=True).first())
            if session is None:
                continue
            emails = selectors.arena_people_emails(arena=session.arena)
            session.reminded_at = now
            session.save(update_fields=["reminded_at"])
            events.session_reminded_event(session=session, recipients=len(emails))
            link = link_for(session)
            ics = ics_document([selectors.session_calendar_event(session=session, link=link)])
            with translation.override("sv"):
                subject = _("Reminder: %(title)s") % {"title": session.title}
            for email in emails:
                _send(subject=subject, template="dialogues/email/session_reminder.txt",
                      context={"session": session, "arena": session.arena, "link": link}, email=email, ics=ics)
        sent["sessions"] += 1
        sent["emails"] += len(emails)
    return sent


def action_item_remind_due(*, today: dt.date, link_for: Callable[[ActionItem], str]) -> dict[str, int]:
    """Remind the owners of every action item not done and due within ``ACTION_REMIND_DAYS_BEFORE``
    days (or overdue), once per due date (``reminded_for``; a new due date is reminded again)."""
    due = (ActionItem.objects.exclude(status=ActionItem.Status.DONE)
           .filter(due_on__lte=today + dt.timedelta(days=ACTION_REMIND_DAYS_BEFORE))
           .exclude(reminded_for=F("due_on")))
    sent = {"action_items": 0, "emails": 0}
    for pk in due.order_by("due_on", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            item = (ActionItem.objects.select_for_update(of=("self",)).select_related("arena", "owner_organisation",
                                                                                      "owner_user")
                    .filter(pk=pk).exclude(status=ActionItem.Status.DONE).first())
            if item is None or item.reminded_for == item.due_on:
                continue
            emails = selectors.action_item_owner_emails(item=item)
            item.reminded_for = item.due_on
            item.save(update_fields=["reminded_for"])
            events.action_reminded_event(item=item, recipients=len(emails))
            with translation.override("sv"):
                subject = _("Action item due %(date)s: %(arena)s") % {"date": item.due_on.isoformat(),
                                                                     "arena": item.arena.name}
            for email in emails:
                _send(subject=subject, template="dialogues/email/action_reminder.txt",
                      context={"item": item, "arena": item.arena, "link": link_for(item), "today": today},
                      email=email)
        sent["action_items"] += 1
        sent["emails"] += len(emails)
    return sent
