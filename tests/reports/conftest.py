"""Branch arenas of Värmland for the report's arenas section, made through the services, and the
people who read the report: the county's coordinator, a neighbouring county's coordinator who is
a member of one arena, a third county's coordinator and platform staff, who are members of none.

- *Vård och omsorg Värmland* (active: a closed session two months back, one ten days ahead): a
  public and a members-only decision, an overdue action item, one in progress and one done; moved
  to samsyn 100 days ago. The neighbour is a member.
- *Besöksnäring Värmland* (active: a closed session a month back): a public and a members-only
  decision and an open action item.
- *Industri Värmland* (active only through an open action item from a session 500 days back),
  with an old public decision.
- *Skog Värmland* (not active: a session 400 days back, its only action item done).
- *Vård Örebro* in Örebro län, with a public decision a week back: never in Värmland's report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import ActionItem, Arena, ArenaEvent, ArenaSession, Decision, Stage
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Lan, SsykGroup
from tests.factories import make_organisation, make_region, make_user

PUBLIC = Decision.Visibility.PUBLIC
MEMBERS_ONLY_TEXTS = ("Budgeten 2027 är 400 000 kronor", "Vi söker Leaderstöd för skyltningen",
                      "Industrins hemliga omställningsplan", "Skogens interna beslut")
ACTION_TEXTS = ("Kartlägg praktikplatser i Karlstad", "Skriv ansökan om YH-utbildning", "Boka lokal till mötet",
                "Ring Visit Värmland om säsongen", "Ta fram en kompetensplan för industrin", "Kalla till skogsdag")
PUBLIC_TEXTS = {"care": "Komvux bjuds in till nästa möte", "tourism": "Turistvägen skyltas om",
                "industry": "Industrins gamla offentliga beslut", "orebro": "Örebros offentliga beslut"}


@dataclass
class ArenaWorld:
    today: dt.date
    coordinator: object
    neighbour: object
    """Coordinator of Örebro län, a member of the care arena."""
    stranger: object
    """Coordinator of Västmanlands län, a member of no arena."""
    staff: object
    employer: Organisation
    care: Arena
    tourism: Arena
    industry: Arena
    forest: Arena
    orebro: Arena
    stage_moved_on: dt.date


def _at(today: dt.date, days: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))


def _session(actor, arena: Arena, *, days: int, close: bool = True, decisions=(), actions=()) -> ArenaSession:
    """A session ``days`` from today (negative: back) with its decisions (text, visibility) and
    action items (text, due in days, owner as keyword arguments, status), closed if ``close``."""
    today = timezone.localdate()
    session = services.session_create(actor=actor, arena=arena, title=f"Möte {arena.name}",
                                      starts_at=_at(today, days), ends_at=_at(today, days, 11))
    for text, visibility in decisions:
        services.decision_create(actor=actor, session=session, text=text, visibility=visibility)
    for text, due_in, owner, status in actions:
        item = services.action_item_create(actor=actor, session=session, text=text,
                                           due_on=today + dt.timedelta(days=due_in), **owner)
        ActionItem.objects.filter(pk=item.pk).update(status=status)
    if close:
        services.session_state_set(actor=actor, session=session, state=ArenaSession.State.LIVE)
        services.session_state_set(actor=actor, session=session, state=ArenaSession.State.CLOSED)
    return session


@pytest.fixture
def arena_world(taxonomy) -> ArenaWorld:
    today = timezone.localdate()
    coordinator, neighbour, stranger = (make_user("samordnare@regionvarmland.example"),
                                        make_user("samordnare@regionorebro.example"),
                                        make_user("samordnare@regionvastmanland.example"))
    make_region("17", coordinator=coordinator)
    make_region("18", coordinator=neighbour)
    make_region("19", coordinator=stranger)
    employer = make_organisation(Organisation.Kind.EMPLOYER, name="Omsorg i Karlstad AB")
    varmland, care_group = Lan.objects.get(code="17"), SsykGroup.objects.get(code="5321")

    def arena(name: str, ssyk4: str, *, lan=varmland, actor=coordinator, **branch) -> Arena:
        group = SsykGroup.objects.get(code=ssyk4)
        return services.arena_create(actor=actor, name=name, lan=lan, ssyk_groups=[group], **branch)

    care = arena("Vård och omsorg Värmland", "5321", occupation_fields=[care_group.occupation_field])
    services.arena_member_add(actor=coordinator, arena=care, organisation=employer)
    services.arena_member_add(actor=coordinator, arena=care, user=neighbour)
    services.arena_stage_set(actor=coordinator, arena=care, stage=Stage.SAMSYN, note="Vi är överens om målen")
    stage_moved_on = today - dt.timedelta(days=100)
    ArenaEvent.objects.filter(arena=care, type=ArenaEvent.Type.STAGE_CHANGED).update(
        created_at=_at(stage_moved_on, 0))
    _session(coordinator, care, days=-60,
             decisions=[(PUBLIC_TEXTS["care"], PUBLIC), (MEMBERS_ONLY_TEXTS[0], Decision.Visibility.MEMBERS)],
             actions=[(ACTION_TEXTS[0], -5, {"owner_organisation": employer}, ActionItem.Status.OPEN),
                      (ACTION_TEXTS[1], 20, {"owner_user": neighbour}, ActionItem.Status.IN_PROGRESS),
                      (ACTION_TEXTS[2], -50, {"owner_organisation": employer}, ActionItem.Status.DONE)])
    _session(coordinator, care, days=10, close=False)

    tourism = arena("Besöksnäring Värmland", "5120")
    services.arena_member_add(actor=coordinator, arena=tourism, organisation=employer)
    _session(coordinator, tourism, days=-30,
             decisions=[(PUBLIC_TEXTS["tourism"], PUBLIC), (MEMBERS_ONLY_TEXTS[1], Decision.Visibility.MEMBERS)],
             actions=[(ACTION_TEXTS[3], 30, {"owner_organisation": employer}, ActionItem.Status.OPEN)])

    industry = arena("Industri Värmland", "7223")
    services.arena_member_add(actor=coordinator, arena=industry, organisation=employer)
    _session(coordinator, industry, days=-500,
             decisions=[(PUBLIC_TEXTS["industry"], PUBLIC), (MEMBERS_ONLY_TEXTS[2], Decision.Visibility.MEMBERS)],
             actions=[(ACTION_TEXTS[4], -400, {"owner_organisation": employer}, ActionItem.Status.OPEN)])

    forest = arena("Skog Värmland", "6210")
    services.arena_member_add(actor=coordinator, arena=forest, organisation=employer)
    _session(coordinator, forest, days=-400, decisions=[(MEMBERS_ONLY_TEXTS[3], Decision.Visibility.MEMBERS)],
             actions=[(ACTION_TEXTS[5], -390, {"owner_organisation": employer}, ActionItem.Status.DONE)])

    orebro = arena("Vård Örebro", "5321", lan=Lan.objects.get(code="18"), actor=neighbour)
    _session(neighbour, orebro, days=-7, decisions=[(PUBLIC_TEXTS["orebro"], PUBLIC)])

    return ArenaWorld(today=today, coordinator=coordinator, neighbour=neighbour, stranger=stranger,
                      staff=make_user("personal@matchplats.example", staff=True), employer=employer,
                      care=care, tourism=tourism, industry=industry, forest=forest, orebro=orebro,
                      stage_moved_on=stage_moved_on)
