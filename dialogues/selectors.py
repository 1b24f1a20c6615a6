"""Reads for branch arenas (docs/arenas.md). Everything a person is shown goes through
``arenas_visible_to`` (404 for the rest) and ``decisions_visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from dialogues.calendar import CalendarEvent
from dialogues.live.state import VISIBLE_QUESTION_STATES, current_results
from dialogues.models import (
    JOIN_CODE_LENGTH,
    ActionItem,
    AgendaItem,
    Arena,
    ArenaEvent,
    ArenaMember,
    ArenaSession,
    Decision,
    Participant,
    Poll,
    Question,
    Stage,
)
from employers.models import Need
from employers.rules import needs_in_demand_q
from matching.dimensioning import DEFAULT_HORIZON, DimensioningFilters, DimensioningRow, dimensioning_table
from matchplats import permissions
from matchplats.organisations.models import Membership
from matchplats.taxonomy.models import SsykGroup

CALENDAR_DOMAIN = "matchplats"
MINUTES_WORDS = 15
"""An open-words poll's most frequent words in the minutes."""


def arenas_visible_to(user) -> QuerySet[Arena]:
    """The arenas a person may see: as coordinator of its län or as a member (docs/permissions.md)."""
    if not user.is_authenticated:
        return Arena.objects.none()
    ids = Arena.objects.filter(permissions.arenas_visible_q(user)).values("pk")
    return Arena.objects.filter(pk__in=ids).select_related("lan")


def arena_visible_to(user, pk: int) -> Arena:
    arena = arenas_visible_to(user).prefetch_related("kommuner", "occupation_fields", "ssyk_groups").filter(pk=pk).first()
    if arena is None:
        raise Http404("No such arena.")
    return arena


def arena_list(user) -> list[Arena]:
    """The visible arenas with their counts of upcoming sessions and open action items."""
    return list(arenas_visible_to(user).annotate(
        upcoming=Count("sessions", filter=Q(sessions__state=ArenaSession.State.SCHEDULED), distinct=True),
        open_actions=Count("action_items", filter=~Q(action_items__status=ActionItem.Status.DONE), distinct=True),
    ).order_by("name"))


def open_action_items_of(user, *, limit: int = 10) -> tuple[list[ActionItem], int]:
    """The open action items of the arenas a person sees, soonest due first (the overdue on top),
    at most ``limit``, and how many there are in all."""
    items = ActionItem.objects.filter(arena__in=arenas_visible_to(user)).exclude(status=ActionItem.Status.DONE)
    return (list(items.select_related("arena", "owner_organisation", "owner_user").order_by("due_on", "pk")[:limit]),
            items.count())


def has_arenas(user) -> bool:
    return arenas_visible_to(user).exists()


def _in_visible_arena(queryset, user, pk: int, *, arena: str = "arena", what: str):
    """The row ``pk`` of ``queryset`` if its arena (reached through ``arena``) is one the user
    may see; otherwise 404, exactly as for a row that does not exist."""
    row = queryset.filter(pk=pk, **{f"{arena}__in": arenas_visible_to(user)}).first()
    if row is None:
        raise Http404(f"No such {what}.")
    return row


def session_visible_to(user, pk: int) -> ArenaSession:
    return _in_visible_arena(ArenaSession.objects.select_related("arena", "arena__lan"), user, pk, what="session")


def session_for_join_code(code: str) -> ArenaSession | None:
    """The session a short code names: case does not matter and spaces are ignored."""
    normalised = "".join(code.split()).upper()
    if len(normalised) != JOIN_CODE_LENGTH:
        return None
    return ArenaSession.objects.filter(join_code=normalised).first()


def decision_visible_to(user, pk: int) -> Decision:
    return _in_visible_arena(Decision.objects.select_related("session", "arena"), user, pk, what="decision")


def action_item_visible_to(user, pk: int) -> ActionItem:
    return _in_visible_arena(ActionItem.objects.select_related("session", "arena"), user, pk, what="action item")


def agenda_item_visible_to(user, pk: int) -> AgendaItem:
    return _in_visible_arena(AgendaItem.objects.select_related("session", "session__arena"), user, pk,
                             arena="session__arena", what="agenda item")


def member_visible_to(user, pk: int) -> ArenaMember:
    return _in_visible_arena(ArenaMember.objects.select_related("arena", "organisation", "user"), user, pk,
                             what="member")


def decisions_visible_to(user) -> QuerySet[Decision]:
    """Public decisions, and the members-only decisions of arenas the person may see."""
    return Decision.objects.filter(pk__in=Decision.objects.filter(permissions.decisions_visible_q(user)).values("pk"))


def need_decisions(*, user, need: Need) -> list[Decision]:
    """The decisions about a need that this person may read (the need page's fragment)."""
    return list(decisions_visible_to(user).filter(needs=need).select_related("arena", "session")
                .order_by("-created_at"))


def _with_links(queryset, user):
    """Prefetch the links; needs only as far as the viewer may list them (a decision may be read by
    someone who may not read every need it names)."""
    return queryset.prefetch_related(
        Prefetch("needs", queryset=Need.objects.filter(permissions.needs_listable_q(user)).select_related("organisation"),
                 to_attr="readable_needs"),
        "occupations", "gaps")


def decisions_with_links(user) -> QuerySet[Decision]:
    """The decisions a person may read (``decisions_visible_to``) with their links, needs only as
    far as the person may list them: the API's list of decisions."""
    return _with_links(decisions_visible_to(user).select_related("arena", "session"), user)


def action_items_visible_to(user) -> QuerySet[ActionItem]:
    """The action items of the arenas a person may see, with their links (needs only as far as the
    person may list them)."""
    return _with_links(ActionItem.objects.filter(arena__in=arenas_visible_to(user))
                       .select_related("arena", "session", "owner_organisation", "owner_user"), user)


def arena_people_emails(*, arena: Arena) -> list[str]:
    """The addresses of everyone taking part: persons added and members of organisations added."""
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(arena_memberships__arena=arena)
        | Q(memberships__organisation__arena_memberships__arena=arena))
    return sorted(set(users.values_list("email", flat=True)))


def action_item_owner_emails(*, item: ActionItem) -> list[str]:
    if item.owner_user_id:
        return [item.owner_user.email] if item.owner_user.is_active else []
    return sorted(set(Membership.objects.filter(organisation_id=item.owner_organisation_id, user__is_active=True)
                      .values_list("user__email", flat=True)))


def branch_groups(*, arena: Arena) -> QuerySet[SsykGroup]:
    """The SSYK4 groups of the arena's branch: those chosen one by one and those of its fields."""
    return SsykGroup.objects.filter(Q(pk__in=arena.ssyk_groups.values("pk"))
                                    | Q(occupation_field__in=arena.occupation_fields.values("pk")),
                                    level=4).order_by("code")


def linkable_needs(*, user, arena: Arena) -> QuerySet[Need]:
    """Needs a host may link a decision or action item to: needs of the arena's branch in its län
    that the host may list and that still count as demand (the disclosure rule of
    docs/permissions.md)."""
    return (Need.objects.filter(permissions.needs_listable_q(user), needs_in_demand_q(timezone.localdate()),
                                lan_id=arena.lan_id, ssyk4__in=branch_groups(arena=arena))
            .select_related("organisation", "ssyk4").order_by("title"))


def branch_public_needs(*, arena: Arena, today: dt.date) -> QuerySet[Need]:
    """The county's open needs in the arena's branch that anyone may read (public needs that
    still count as demand), most people first: what a live prioritisation may show guests."""
    return (Need.objects.filter(permissions.needs_listable_q(AnonymousUser()), needs_in_demand_q(today),
                                lan_id=arena.lan_id, ssyk4__in=branch_groups(arena=arena))
            .select_related("organisation").order_by("-headcount", "pk"))


def arena_events(*, arena: Arena, limit: int = 100) -> QuerySet[ArenaEvent]:
    return arena.events.select_related("actor", "session")[:limit]


@dataclass(frozen=True)
class StageChange:
    at: dt.datetime
    actor: object
    old: str
    new: str
    note: str


def _stage_label(value: str) -> str:
    return Stage(value).label if value in Stage.values else value


def stage_history(*, arena: Arena) -> list[StageChange]:
    """Every move on samverkanstrappan, newest first: who, when, from → to, and the note."""
    return [StageChange(at=event.created_at, actor=event.actor, old=_stage_label(event.data.get("old", "")),
                        new=_stage_label(event.data.get("new", "")), note=event.data.get("note", ""))
            for event in arena.events.filter(type=ArenaEvent.Type.STAGE_CHANGED).select_related("actor")]


# --- the overview page ----------------------------------------------------------------------------


@dataclass
class BranchFigures:
    """The dimensioning rows of the arena's branch in its län, as ``dimensioning_table`` gives them
    to this viewer: the released-cell rule is applied there, nothing is recomputed here."""

    rows: list[DimensioningRow] = field(default_factory=list)
    horizon_date: dt.date | None = None
    attribution: str = ""

    @property
    def suppressed(self) -> bool:
        return any(row.suppressed for row in self.rows)


def branch_figures(*, user, arena: Arena, today: dt.date, horizon: str = DEFAULT_HORIZON) -> BranchFigures:
    table = dimensioning_table(user=user, filters=DimensioningFilters(lan=arena.lan.code, horizon=horizon),
                               today=today)
    codes = {group.code for group in arena.ssyk_groups.all()}
    field_ids = {f.pk for f in arena.occupation_fields.all()}
    rows = [row for row in table.rows if row.ssyk4_code in codes or row.occupation_field_id in field_ids]
    return BranchFigures(rows=rows, horizon_date=table.horizon_date, attribution=table.attribution)


@dataclass
class ArenaOverview:
    arena: Arena
    members: list[ArenaMember]
    upcoming: list[ArenaSession]
    past: list[ArenaSession]
    decisions: list[Decision]
    open_actions: list[ActionItem]
    done_actions: int
    stage_history: list[StageChange]


def arena_overview(*, user, arena: Arena) -> ArenaOverview:
    sessions = list(arena.sessions.order_by("starts_at"))
    actions = _with_links(arena.action_items.select_related("owner_organisation", "owner_user", "session"), user)
    return ArenaOverview(
        arena=arena,
        members=list(arena.members.select_related("organisation", "user").order_by("organisation__name",
                                                                                   "user__email")),
        upcoming=[s for s in sessions if s.state != ArenaSession.State.CLOSED],
        past=[s for s in reversed(sessions) if s.state == ArenaSession.State.CLOSED],
        decisions=list(_with_links(arena.decisions.select_related("session"), user).order_by("-created_at")[:20]),
        open_actions=list(actions.exclude(status=ActionItem.Status.DONE).order_by("due_on", "pk")),
        done_actions=arena.action_items.filter(status=ActionItem.Status.DONE).count(),
        stage_history=list(stage_history(arena=arena)),
    )


# --- a session and its minutes -------------------------------------------------------------------


@dataclass
class AgendaEntry:
    item: AgendaItem
    decisions: list[Decision]
    action_items: list[ActionItem]


@dataclass
class PollSummary:
    """A poll's final results as the minutes show them: one line per option (or scale step, or
    word), most first for rankings, and how many answered from each side."""

    poll: Poll
    answers: int
    lines: list[tuple[str, str]]
    segments: list[tuple[str, int]]


def _share(count: int, total: int) -> str:
    return f"{count} ({round(100 * count / total)} %)" if total else "0"


def poll_summary(poll: Poll) -> PollSummary:
    results = current_results(poll)
    everyone = results["segments"]["all"]
    labels = {str(o.pk): o.label for o in poll.options.all()}
    total = everyone["answers"]
    if poll.kind in (Poll.Kind.SINGLE, Poll.Kind.MULTIPLE):
        lines = [(labels[o], _share(n, total)) for o, n in everyone["counts"].items()]
    elif poll.kind == Poll.Kind.RANKING:
        movement = results.get("movement") or {}
        lines = []
        for place, option in enumerate(everyone["order"], start=1):
            moved = movement.get(str(option))
            note = "" if not movement else (gettext("new") if moved is None else f"{moved:+d}" if moved else "±0")
            points = gettext("%(n)s points") % {"n": everyone["scores"][str(option)]}
            lines.append((f"{place}. {labels[str(option)]}", f"{points} {note}".strip()))
    elif poll.kind == Poll.Kind.SCALE:
        lines = [(step, _share(n, total)) for step, n in everyone["counts"].items()]
        if everyone["mean"] is not None:
            lines.append((gettext("Mean"), number_format(everyone["mean"], 1)))
    else:
        lines = [(word, str(n)) for word, n in everyone["words"][:MINUTES_WORDS]]
    segments = [(Participant.Kind(kind).label, results["segments"][kind]["answers"])
                for kind in Participant.Kind.values if results["segments"][kind]["answers"]]
    return PollSummary(poll=poll, answers=total, lines=lines, segments=segments)


@dataclass
class Minutes:
    """What the minutes of a session hold: the agenda with notes, decisions and action items,
    and from the live session its polls' results and the questions asked."""

    session: ArenaSession
    agenda: list[AgendaEntry]
    other_decisions: list[Decision]
    other_action_items: list[ActionItem]
    polls: list[PollSummary] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    @property
    def decisions(self) -> list[Decision]:
        return [d for entry in self.agenda for d in entry.decisions] + self.other_decisions

    @property
    def action_items(self) -> list[ActionItem]:
        return [a for entry in self.agenda for a in entry.action_items] + self.other_action_items


def session_minutes(*, user, session: ArenaSession) -> Minutes:
    """The session's agenda with its notes, and under each item its decisions and action items;
    decisions and action items without an item come last. Also the host's working view."""
    decisions = list(_with_links(session.decisions.all(), user).order_by("created_at", "pk"))
    actions = list(_with_links(session.action_items.select_related("owner_organisation", "owner_user"), user)
                   .order_by("created_at", "pk"))
    agenda = [AgendaEntry(item=item, decisions=[d for d in decisions if d.agenda_item_id == item.pk],
                          action_items=[a for a in actions if a.agenda_item_id == item.pk])
              for item in session.agenda_items.all()]
    polls = session.polls.exclude(state=Poll.State.DRAFT).prefetch_related("options").select_related("previous")
    questions = (session.questions.filter(state__in=VISIBLE_QUESTION_STATES).select_related("participant")
                 .order_by("-upvotes", "pk"))
    return Minutes(session=session, agenda=agenda,
                   other_decisions=[d for d in decisions if d.agenda_item_id is None],
                   other_action_items=[a for a in actions if a.agenda_item_id is None],
                   polls=[poll_summary(poll) for poll in polls], questions=list(questions))


def session_calendar_event(*, session: ArenaSession, link: str) -> CalendarEvent:
    description = session.arena.name + (f"\n{link}" if link else "")
    return CalendarEvent(uid=f"session-{session.pk}-{session.invite_token[:8]}@{CALENDAR_DOMAIN}",
                         starts_at=session.starts_at, ends_at=session.ends_at,
                         summary=session.title, stamp=timezone.now(),
                         location=session.place, url=session.url or link, description=description,
                         sequence=session.events.filter(type=ArenaEvent.Type.SESSION_UPDATED).count())


def possible_owners(*, arena: Arena) -> dict[str, tuple[str, object]]:
    """Who may own an action item: the member organisations, and every person taking part (added
    one by one or through an organisation), keyed ``org-<id>`` / ``user-<id>``."""
    owners: dict[str, tuple[str, object]] = {}
    for member in arena.members.filter(organisation__isnull=False).select_related("organisation"):
        owners[f"org-{member.organisation_id}"] = (member.organisation.name, member.organisation)
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(arena_memberships__arena=arena) | Q(memberships__organisation__arena_memberships__arena=arena)
    ).distinct().order_by("email")
    for user in users:
        owners[f"user-{user.pk}"] = (user.email, user)
    return owners


_CHOICE_LABELS = {"status": ActionItem.Status, "visibility": Decision.Visibility, "state": ArenaSession.State,
                  "stage": Stage}


def _label(field_name: str, value):
    choices = _CHOICE_LABELS.get(field_name)
    return choices(value).label if choices is not None and value in choices.values else value


@dataclass(frozen=True)
class EventRow:
    """An event as the history shows it: codes of states, statuses and stages as their labels."""

    event: ArenaEvent
    changes: list[tuple[str, object, object]]
    old: object
    new: object
    subject: str
    """What the event was about, in words: a member's name or address, an agenda item or session title."""


def _field_label(event: ArenaEvent, name: str) -> str:
    model = (ActionItem if event.action_item_id else Decision if event.decision_id
             else AgendaItem if event.type == ArenaEvent.Type.AGENDA_CHANGED
             else ArenaSession if event.session_id else Arena)
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field renamed or removed since the event was written
        return name


def event_rows(events) -> list[EventRow]:
    rows = []
    for event in events:
        data = event.data or {}
        kind = "stage" if event.type == ArenaEvent.Type.STAGE_CHANGED else "state"
        rows.append(EventRow(
            event=event,
            changes=[(_field_label(event, name), _label(name, old), _label(name, new))
                     for name, (old, new) in data.get("changes", {}).items()],
            old=_label(kind, data.get("old")), new=_label(kind, data.get("new")),
            subject=data.get("name") or data.get("email") or data.get("title") or ""))
    return rows


# --- the regional status report ------------------------------------------------------------------
# The report (reports/, docs/reports.md) reads the arenas of a county through ``arenas_for_report``
# alone: the arenas the reader may see (``arenas_visible_to``) with their details, and of every
# other arena only the decisions the reader may read (``decisions_visible_to``: the public ones).

ACTIVE_YEARS = 1
"""An arena is active with a session from this many years back onwards, or an open action item."""


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def active_arenas_q(*, since: dt.date) -> Q:
    """Arenas with a session starting on ``since`` or later (held, live or coming) or an action item
    that is not done: the definition of "active" in docs/reports.md."""
    return (Q(pk__in=ArenaSession.objects.filter(starts_at__gte=_start_of(since)).values("arena"))
            | Q(pk__in=ActionItem.objects.exclude(status=ActionItem.Status.DONE).values("arena")))


@dataclass(frozen=True)
class ReportAction:
    text: str
    owner: str
    due_on: dt.date
    status: str
    """The status's label."""
    overdue: bool


@dataclass(frozen=True)
class ReportArena:
    """An active arena the reader may see, with what the report says about it."""

    name: str
    branch: list[str]
    """Its occupation fields, then its SSYK4 groups as "code label"."""
    stage: str
    """The label of its step on samverkanstrappan."""
    stage_since: dt.date
    sessions_held: int
    """Sessions closed (held, with minutes) that started in the active period."""
    next_session: dt.date | None
    open_actions: list[ReportAction]

    @property
    def overdue(self) -> int:
        return sum(action.overdue for action in self.open_actions)


@dataclass(frozen=True)
class ReportDecision:
    arena: str
    held_on: dt.date
    text: str


@dataclass(frozen=True)
class ReportArenas:
    since: dt.date
    """The active period starts here (a year before the report's day)."""
    arenas: list[ReportArena]
    public_decisions: list[ReportDecision]
    """Decisions from the active period of the county's arenas the reader may not see: only public ones."""
    sees_every_arena: bool
    """The reader coordinates the county, so ``arenas`` holds every active arena of it."""


def _owner(item: ActionItem) -> str:
    if item.owner_organisation_id:
        return item.owner_organisation.name
    return item.owner_user.email if item.owner_user_id else "–"


def arenas_for_report(*, user, lan, today: dt.date) -> ReportArenas:
    """The arenas section of the regional status report of ``lan`` as ``user`` may read it."""
    since = _years_before(today, ACTIVE_YEARS)
    visible = arenas_visible_to(user).filter(lan=lan)
    open_items = (ActionItem.objects.exclude(status=ActionItem.Status.DONE)
                  .select_related("owner_organisation", "owner_user").order_by("due_on", "pk"))
    arenas = (visible.filter(active_arenas_q(since=since))
              .annotate(sessions_held=Count("sessions", filter=Q(sessions__state=ArenaSession.State.CLOSED,
                                                                 sessions__starts_at__gte=_start_of(since))),
                        next_session=Min("sessions__starts_at",
                                         filter=Q(sessions__starts_at__gte=_start_of(today))
                                         & ~Q(sessions__state=ArenaSession.State.CLOSED)),
                        stage_changed=Subquery(ArenaEvent.objects.filter(arena=OuterRef("pk"),
                                                                         type=ArenaEvent.Type.STAGE_CHANGED)
                                               .order_by("-created_at", "-pk").values("created_at")[:1]))
              .prefetch_related("occupation_fields", "ssyk_groups",
                                Prefetch("action_items", queryset=open_items, to_attr="open_items"))
              .order_by("name", "pk"))
    decisions = (decisions_visible_to(user).filter(arena__lan=lan, session__starts_at__gte=_start_of(since))
                 .exclude(arena__in=visible).select_related("arena", "session")
                 .order_by("-session__starts_at", "arena__name", "pk"))
    return ReportArenas(
        since=since,
        arenas=[ReportArena(
            name=arena.name,
            branch=[f.label for f in sorted(arena.occupation_fields.all(), key=lambda f: f.label)]
            + [f"{g.code} {g.label}" for g in sorted(arena.ssyk_groups.all(), key=lambda g: g.code)],
            stage=_stage_label(arena.stage),
            stage_since=timezone.localdate(arena.stage_changed or arena.created_at),
            sessions_held=arena.sessions_held,
            next_session=timezone.localdate(arena.next_session) if arena.next_session else None,
            open_actions=[ReportAction(text=item.text, owner=_owner(item), due_on=item.due_on,
                                       status=item.get_status_display(), overdue=item.due_on < today)
                          for item in arena.open_items],
        ) for arena in arenas],
        public_decisions=[ReportDecision(arena=d.arena.name, held_on=timezone.localdate(d.session.starts_at),
                                         text=d.text) for d in decisions],
        sees_every_arena=permissions.may_view_every_arena_in(user, lan.pk),
    )
