"""A small arena world: Region Värmland's coordinator runs a care arena whose members are an
employer, a provider and one person; an employer outside it and another county's coordinator
look in from outside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import Arena, ArenaSession
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Lan, SsykGroup
from tests.factories import admin_of, make_organisation, make_region, make_user


@dataclass
class World:
    coordinator: object
    other_coordinator: object
    employer: Organisation
    employer_user: object
    provider: Organisation
    provider_user: object
    person: object
    outsider_org: Organisation
    outsider: object
    arena: Arena


@pytest.fixture
def world(taxonomy) -> World:
    coordinator, other_coordinator = make_user("koordinator@region17.se"), make_user("koordinator@region18.se")
    make_region("17", coordinator=coordinator)
    make_region("18", coordinator=other_coordinator)
    employer = make_organisation(Organisation.Kind.EMPLOYER, name="Omsorg AB")
    provider = make_organisation(Organisation.Kind.PROVIDER, name="Komvux Karlstad")
    outsider_org = make_organisation(Organisation.Kind.EMPLOYER, name="Utanför AB")
    arena = services.arena_create(actor=coordinator, name="Vård och omsorg", lan=Lan.objects.get(code="17"),
                                  ssyk_groups=[SsykGroup.objects.get(code="5321")])
    person = make_user("enskild@example.se")
    services.arena_member_add(actor=coordinator, arena=arena, organisation=employer)
    services.arena_member_add(actor=coordinator, arena=arena, organisation=provider)
    services.arena_member_add(actor=coordinator, arena=arena, user=person)
    return World(coordinator=coordinator, other_coordinator=other_coordinator, employer=employer,
                 employer_user=admin_of(employer), provider=provider, provider_user=admin_of(provider), person=person,
                 outsider_org=outsider_org, outsider=admin_of(outsider_org), arena=Arena.objects.get(pk=arena.pk))


def at(days: float, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=int(days))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def make_session(world: World, *, days: float = 7, title: str = "Höstmöte", agenda=("Läget", "Åtgärder"),
                 actor=None) -> ArenaSession:
    return services.session_create(actor=actor or world.coordinator, arena=world.arena, title=title,
                                   starts_at=at(days, 9), ends_at=at(days, 11), place="Karlstad", agenda=agenda)
