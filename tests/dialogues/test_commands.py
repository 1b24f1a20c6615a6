"""``manage.py remind_arenas``: members are reminded of a session once, in the day before it;
owners of an action item once per due date, from three days before it; nothing is sent twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from dialogues import services
from dialogues.models import ArenaEvent
from tests.dialogues.conftest import at, make_session
from tests.factories import add_member

pytestmark = pytest.mark.django_db
BASE = "https://matchplats.example.se"


def remind(now: dt.datetime) -> str:
    out = StringIO()
    call_command("remind_arenas", "--base-url", BASE, "--now", now.isoformat(), stdout=out)
    return out.getvalue()


def test_members_are_reminded_once_in_the_day_before_the_session(world):
    session = make_session(world, days=3)
    assert "Reminded 0 sessions" in remind(session.starts_at - dt.timedelta(hours=30))
    assert mail.outbox == []
    output = remind(session.starts_at - dt.timedelta(hours=20))
    assert "Reminded 1 sessions in 3 e-mails" in output
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.employer_user.email, world.provider_user.email,
                                                           world.person.email])
    assert f"{BASE}/arenor/moten/{session.pk}/" in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][0].endswith(".ics")
    remind(session.starts_at - dt.timedelta(hours=2))
    assert len(mail.outbox) == 3
    assert ArenaEvent.objects.filter(type=ArenaEvent.Type.SESSION_REMINDED).count() == 1


def test_a_moved_session_is_reminded_again_and_a_started_one_not_at_all(world):
    session = make_session(world, days=3)
    remind(session.starts_at - dt.timedelta(hours=20))
    services.session_update(actor=world.coordinator, session=session, title=session.title, starts_at=at(5, 9),
                            ends_at=at(5, 11), place="", url="")
    remind(at(5, 9) - dt.timedelta(hours=1))
    assert len(mail.outbox) == 6
    live = make_session(world, days=7, title="Redan igång")
    services.session_state_set(actor=world.coordinator, session=live, state="live")
    remind(live.starts_at - dt.timedelta(hours=1))
    assert len(mail.outbox) == 6


def test_owners_are_reminded_once_per_due_date(world):
    session = make_session(world, days=60)
    extra = add_member(world.employer)
    item = services.action_item_create(actor=world.coordinator, session=session, text="Ta fram APL-platser",
                                       due_on=at(10).date(), owner_organisation=world.employer)
    remind(at(5))
    assert mail.outbox == []
    remind(at(7, 8))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.employer_user.email, extra.email])
    assert "Ta fram APL-platser" in mail.outbox[0].body
    remind(at(8, 8))
    remind(at(12, 8))
    assert len(mail.outbox) == 2
    services.action_item_update(actor=world.coordinator, item=item, text=item.text, due_on=at(20).date(),
                                status="in_progress", owner_organisation=None, owner_user=world.person,
                                agenda_item=None, needs=[], occupations=[], gaps=[])
    remind(at(18, 8))
    assert [m.to[0] for m in mail.outbox[2:]] == [world.person.email]


def test_done_action_items_are_not_reminded_about(world):
    session = make_session(world, days=60)
    item = services.action_item_create(actor=world.coordinator, session=session, text="Klart", due_on=at(1).date(),
                                       owner_user=world.person)
    services.action_item_update(actor=world.coordinator, item=item, text=item.text, due_on=item.due_on, status="done",
                                owner_organisation=None, owner_user=world.person, agenda_item=None, needs=[],
                                occupations=[], gaps=[])
    remind(at(0, 8))
    assert mail.outbox == []


def test_a_base_url_without_a_scheme_is_refused():
    with pytest.raises(CommandError):
        call_command("remind_arenas", "--base-url", "matchplats.example.se")
