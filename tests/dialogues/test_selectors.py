"""Reads for arenas: the overview's dimensioning figures come from ``dimensioning_table`` for the
arena's län, filtered to its branch, so the released-cell rule holds there too; the minutes put
decisions and action items under their agenda items."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.selectors import arena_list, branch_figures, session_minutes
from matching.dimensioning import DimensioningFilters, dimensioning_table
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import SsykGroup
from tests.dialogues.conftest import at, make_session
from tests.factories import make_organisation
from tests.reports.fixtures import CARE, TEACHER, employers, need, programme

pytestmark = pytest.mark.django_db


def test_the_branch_figures_are_the_dimensioning_rows_of_the_arenas_occupations(world):
    today = timezone.localdate()
    a, b = employers(2)
    need(a, today=today, ssyk4=CARE, headcount=4)
    need(b, today=today, ssyk4=TEACHER, headcount=3)
    programme(make_organisation(Organisation.Kind.PROVIDER), today=today, ssyk4=(CARE,), places=10)
    figures = branch_figures(user=world.employer_user, arena=world.arena, today=today)
    table = dimensioning_table(user=world.employer_user, filters=DimensioningFilters(lan="17"), today=today)
    assert [row.ssyk4_code for row in figures.rows] == [CARE]
    assert figures.rows[0] == next(row for row in table.rows if row.ssyk4_code == CARE)
    assert (figures.rows[0].demand, figures.rows[0].supply) == (4, 10)


def test_a_hidden_need_from_one_employer_is_marked_and_not_counted(world):
    today = timezone.localdate()
    (lonely,) = employers(1, prefix="Ensam")
    need(lonely, today=today, ssyk4=CARE, headcount=7, visibility="coordinators")
    member_view = branch_figures(user=world.employer_user, arena=world.arena, today=today)
    assert member_view.rows[0].demand == 0 and member_view.rows[0].suppressed and member_view.suppressed
    coordinator_view = branch_figures(user=world.coordinator, arena=world.arena, today=today)
    assert coordinator_view.rows[0].demand == 7 and not coordinator_view.suppressed


def test_an_occupation_field_takes_in_every_occupation_of_the_field(world):
    today = timezone.localdate()
    (employer,) = employers(1)
    need(employer, today=today, ssyk4=TEACHER, headcount=2)
    teachers = SsykGroup.objects.get(code=TEACHER).occupation_field
    assert teachers is not None
    services.arena_update(actor=world.coordinator, arena=world.arena, name=world.arena.name, description="",
                          kommuner=[], occupation_fields=[teachers], ssyk_groups=world.arena.ssyk_groups.all())
    codes = [row.ssyk4_code for row in branch_figures(user=world.coordinator, arena=world.arena, today=today).rows]
    assert TEACHER in codes


def test_the_minutes_group_decisions_and_action_items_under_their_agenda_items(world):
    session = make_session(world, agenda=["Ett", "Två"])
    one, two = session.agenda_items.all()
    services.decision_create(actor=world.coordinator, session=session, text="Under två", agenda_item=two)
    services.decision_create(actor=world.coordinator, session=session, text="Utanför")
    services.action_item_create(actor=world.coordinator, session=session, text="Gör under ett", agenda_item=one,
                                due_on=at(5).date(), owner_user=world.person)
    minutes = session_minutes(user=world.person, session=session)
    assert [[d.text for d in e.decisions] for e in minutes.agenda] == [[], ["Under två"]]
    assert [[a.text for a in e.action_items] for e in minutes.agenda] == [["Gör under ett"], []]
    assert [d.text for d in minutes.other_decisions] == ["Utanför"]
    assert [d.text for d in minutes.decisions] == ["Under två", "Utanför"]
    assert minutes.polls == [] and minutes.questions == []


def test_the_arena_list_counts_coming_sessions_and_open_action_items(world):
    session = make_session(world)
    services.action_item_create(actor=world.coordinator, session=session, text="Öppen", due_on=at(5).date(),
                                owner_user=world.person)
    (row,) = arena_list(world.person)
    assert (row.upcoming, row.open_actions) == (1, 1)
