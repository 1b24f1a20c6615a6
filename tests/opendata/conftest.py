"""Open data tests publish the month that ended last, as the monthly cron job does: on a day in
the month after it (today), with needs and programmes dated from today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from dialogues import services as arena_services
from dialogues.models import ArenaSession, Decision
from matchplats.taxonomy.models import Lan, SsykGroup
from opendata.services import month_to_publish
from tests.factories import make_region, make_user


@dataclass
class Month:
    today: dt.date
    month: dt.date
    lan: Lan

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


@pytest.fixture
def month(taxonomy) -> Month:
    today = timezone.localdate()
    return Month(today=today, month=month_to_publish(today), lan=Lan.objects.get(code="17"))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def held_session(*, actor, arena, day: dt.date, decisions) -> ArenaSession:
    session = arena_services.session_create(actor=actor, arena=arena, title="Möte", starts_at=_at(day, 9),
                                            ends_at=_at(day, 11))
    for text, visibility in decisions:
        arena_services.decision_create(actor=actor, session=session, text=text, visibility=visibility)
    arena_services.session_state_set(actor=actor, session=session, state=ArenaSession.State.LIVE)
    arena_services.session_state_set(actor=actor, session=session, state=ArenaSession.State.CLOSED)
    return session


PUBLIC_IN_MONTH = "=HYPERLINK(\"http://example.com\") Komvux bjuds in"
MEMBERS_ONLY_IN_MONTH = "Budgeten är hemlig"
PUBLIC_BEFORE_MONTH = "Ett äldre offentligt beslut"


@pytest.fixture
def decisions(month):
    """A Värmland arena with a session in the month (one public decision whose text starts like a
    spreadsheet formula, one for members only) and one in the month before (public)."""
    coordinator = make_user()
    make_region("17", coordinator=coordinator)
    arena = arena_services.arena_create(actor=coordinator, name="Vård och omsorg Värmland", lan=month.lan,
                                        ssyk_groups=[SsykGroup.objects.get(code="5321")])
    held_session(actor=coordinator, arena=arena, day=month.month + dt.timedelta(days=9),
                 decisions=[(PUBLIC_IN_MONTH, Decision.Visibility.PUBLIC),
                            (MEMBERS_ONLY_IN_MONTH, Decision.Visibility.MEMBERS)])
    held_session(actor=coordinator, arena=arena, day=month.month - dt.timedelta(days=5),
                 decisions=[(PUBLIC_BEFORE_MONTH, Decision.Visibility.PUBLIC)])
    return arena
