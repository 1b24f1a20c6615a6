"""The status report's selector (reports/selectors.py) on a hand-made fixture: its figures are the
dimensioning table's, its gaps, shortages and equality figures follow from them, and a hidden
need from one employer is left out and marked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from dialogues.models import ActionItem, Stage
from employers.models import Need
from matching.dimensioning import DimensioningFilters, dimensioning_table
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Lan
from matchplats.taxonomy.selectors import shortage_occupations
from reports.selectors import LARGEST_GAPS, people, regional_report, sentence
from tests.factories import make_organisation, make_region, make_user
from tests.reports.fixtures import CARE, MACHINIST, TEACHER, employers, need, programme

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def report(user=None, **kwargs):
    return regional_report(user=user or AnonymousUser(), lan_code=kwargs.pop("lan_code", "17"), today=TODAY, **kwargs)


def field_of(result, label_part: str):
    return next(row for row in result.fields if label_part in row.label)


@pytest.fixture
def provider(taxonomy):
    return make_organisation(Organisation.Kind.PROVIDER, name="Yrkeshögskolan Karlstad")


@pytest.fixture
def county(provider):
    """Care: 4 + 2 (upskilling) from two employers against 10 completing; teaching: 3 against
    none; machinists: 5 against 2."""
    a, b = employers(2)
    need(a, today=TODAY, ssyk4=CARE, headcount=4, validation_accepted=True)
    need(b, today=TODAY, ssyk4=CARE, headcount=2, purpose=Need.Purpose.UPSKILLING, language_integrated_welcome=True)
    need(a, today=TODAY, ssyk4=TEACHER, headcount=3, validation_accepted=True, language_integrated_welcome=True)
    need(b, today=TODAY, ssyk4=MACHINIST, headcount=5)
    programme(provider, today=TODAY, ssyk4=(CARE,), places=10)
    programme(provider, today=TODAY, ssyk4=(MACHINIST,), places=2)
    return a, b


def test_the_report_gives_demand_and_supply_per_occupation_field_from_the_dimensioning_table(county):
    result = report()
    care = field_of(result, "Hälso")
    assert (care.recruitment, care.upskilling, care.demand, care.employers, care.supply, care.gap) == (4, 2, 6, 2, 10, -4)
    teaching = field_of(result, "Pedagogik")
    assert (teaching.demand, teaching.supply, teaching.gap) == (3, 0, 3)
    assert (result.total.demand, result.total.supply, result.total.employers) == (14, 12, 2)
    table = dimensioning_table(user=AnonymousUser(), filters=DimensioningFilters(lan="17"), today=TODAY)
    assert [(f.key, f.demand, f.supply, f.gap, f.suppressed) for f in result.fields] == \
        [(f.key, f.demand, f.supply, f.gap, f.suppressed) for f in table.fields]
    assert (result.total.demand, result.total.supply) == (table.total.demand, table.total.supply)


def test_the_horizon_of_the_report_is_the_dimensioning_horizon(county):
    (a, _b) = county
    need(a, today=TODAY, ssyk4=CARE, headcount=100, months_ahead=30)  # needed in 2.5 years
    assert field_of(report(horizon="1y"), "Hälso").demand == 6
    assert field_of(report(horizon="1-3y"), "Hälso").demand == 106
    assert report(horizon="1y").horizon_date == dt.date(2027, 12, 1)


def test_the_largest_gaps_are_occupations_where_demand_exceeds_supply_largest_first(county):
    result = report()
    # equal gaps in SSYK order; care is not among them: its supply covers its demand
    assert [(row.ssyk4_code, row.gap) for row in result.largest_gaps] == [(TEACHER, 3), (MACHINIST, 3)]


def test_the_largest_gaps_are_ordered_by_gap_and_cut_at_the_limit(taxonomy):
    (a,) = employers(1)
    codes = ["5321", "2341", "7223", "2221", "2512", "5120", "7411", "3113", "2516", "4117"]
    for extra, code in enumerate(codes):
        need(a, today=TODAY, ssyk4=code, headcount=1 + extra)
    gaps = report().largest_gaps
    assert len(gaps) == LARGEST_GAPS < len(codes)
    assert [row.gap for row in gaps] == sorted((1 + extra for extra in range(len(codes))), reverse=True)[:LARGEST_GAPS]


def test_shortage_occupations_are_the_yrkesbarometers_with_the_counties_figures_and_attribution(county):
    result = report()
    expected = [s.ssyk4.code for s in shortage_occupations(lan=Lan.objects.get(code="17"))]
    assert [s.ssyk4_code for s in result.shortages] == expected
    assert TEACHER in expected and CARE not in expected and MACHINIST not in expected
    teaching = next(s for s in result.shortages if s.ssyk4_code == TEACHER)
    assert (teaching.figures.demand, teaching.figures.supply) == (3, 0)
    assert teaching.occupations == ["Grundskollärare"]
    without = [s for s in result.shortages if s.ssyk4_code not in (CARE, TEACHER, MACHINIST)]
    assert without and all(s.figures is None for s in without)
    assert result.attribution.startswith("Source: Arbetsförmedlingen, Yrkesbarometern")


def test_needs_open_to_validation_and_language_integrated_training_are_counted_per_field(county):
    result = report()
    care, teaching = field_of(result, "Hälso"), field_of(result, "Pedagogik")
    assert (care.validation_accepted, care.language_integrated_welcome) == (4, 2)
    assert (teaching.validation_accepted, teaching.language_integrated_welcome) == (3, 3)
    assert (result.total.validation_accepted, result.total.language_integrated_welcome) == (7, 5)


def test_a_hidden_need_from_one_employer_is_left_out_of_every_figure_and_marked(county):
    (hidden_employer,) = employers(1, prefix="Dold")
    need(hidden_employer, today=TODAY, ssyk4=CARE, headcount=40, visibility="aggregated", validation_accepted=True)
    result = report()
    care = field_of(result, "Hälso")
    assert (care.demand, care.validation_accepted, care.suppressed, care.flags_suppressed) == (6, 4, True, True)
    assert result.total.demand == 14 and result.total.suppressed
    assert "Some demand is left out of these figures: fewer than 3 employers." in result.summary
    owner = report(user=hidden_employer.memberships.first().user)
    assert field_of(owner, "Hälso").demand == 46 and not field_of(owner, "Hälso").suppressed


def test_hidden_needs_from_three_employers_of_one_cell_enter_the_figures(county):
    for hidden_employer in employers(3, prefix="Dold"):
        need(hidden_employer, today=TODAY, ssyk4=CARE, headcount=10, visibility="aggregated")
    care = field_of(report(), "Hälso")
    assert (care.demand, care.suppressed) == (36, False)


def test_a_coordinator_of_the_county_reads_coordinator_needs_that_another_countys_coordinator_does_not(county):
    (a, _b) = county
    need(a, today=TODAY, ssyk4=TEACHER, headcount=20, visibility="coordinators")
    own, other = make_user(), make_user()
    make_region("17", coordinator=own)
    make_region("18", coordinator=other)
    assert field_of(report(user=own), "Pedagogik").demand == 23
    neighbour = field_of(report(user=other), "Pedagogik")
    assert (neighbour.demand, neighbour.suppressed) == (3, True)


def test_the_summary_is_written_from_the_figures(county):
    summary = report().summary
    assert summary[0] == ("Registered demand in Värmlands län up to Dec. 1, 2029: 14 people from 2 employers; "
                          "planned programmes bring 12 people completing in the same period.")
    assert any(s.startswith("Largest shortage of trained people against the need: ") and "(3 more people" in s
               for s in summary)
    assert "Planned programmes cover the registered demand in: Hälso- och sjukvård." in summary


def test_a_county_without_demand_or_supply_says_so(taxonomy):
    result = report(lan_code="25")
    assert result.is_empty and result.largest_gaps == []
    assert result.summary == ["No registered demand and no planned programmes in Norrbottens län up to Dec. 1, 2029."]


def test_an_unknown_county_or_horizon_is_refused(taxonomy):
    with pytest.raises(ValueError, match="unknown län"):
        report(lan_code="99")
    with pytest.raises(ValueError, match="unknown horizon"):
        report(horizon="10y")


def test_split_places_show_one_decimal_and_whole_people_none():
    assert (people(12), people(12.0), people(7.5), people(10 / 3)) == ("12", "12", "7.5", "3.3")


def test_a_sentence_ending_in_an_abbreviation_keeps_one_full_stop():
    assert sentence("Bristyrken: Kockar, Restaurangbiträden m.fl..") == "Bristyrken: Kockar, Restaurangbiträden m.fl."
    assert sentence("Bristyrken: Kockar.") == "Bristyrken: Kockar."


# --- the branch arenas (dialogues.selectors.arenas_for_report) ----------------------------------------


def arenas_as(user, world):
    return regional_report(user=user, lan_code="17", today=world.today).arenas


def test_the_countys_coordinator_sees_every_active_arena_with_stage_sessions_and_open_action_items(arena_world):
    world = arena_world
    section = arenas_as(world.coordinator, world)
    assert section.sees_every_arena and section.since == world.today.replace(year=world.today.year - 1)
    assert [arena.name for arena in section.arenas] == ["Besöksnäring Värmland", "Industri Värmland",
                                                        "Vård och omsorg Värmland"]
    care = section.arenas[2]
    assert care.branch == ["Hälso- och sjukvård",
                           "5321 Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering"]
    assert care.stage == str(Stage.SAMSYN.label) and care.stage_since == world.stage_moved_on
    assert care.sessions_held == 1 and care.next_session == world.today + dt.timedelta(days=10)
    assert [(a.text, a.owner, a.status, a.overdue) for a in care.open_actions] == [
        ("Kartlägg praktikplatser i Karlstad", "Omsorg i Karlstad AB", "Open", True),
        ("Skriv ansökan om YH-utbildning", "samordnare@regionorebro.example", "In progress", False)]
    assert care.overdue == 1
    industry = section.arenas[1]  # active only through its open action item
    assert (industry.sessions_held, industry.next_session, industry.overdue, industry.stage_since) == \
        (0, None, 1, world.today)
    assert section.public_decisions == []


def test_an_arena_without_a_session_in_a_year_or_an_open_action_item_is_not_active(arena_world):
    names = [arena.name for arena in arenas_as(arena_world.coordinator, arena_world).arenas]
    assert "Skog Värmland" not in names and "Vård Örebro" not in names


def test_a_member_from_another_county_sees_the_arena_they_take_part_in_and_only_public_decisions_of_the_rest(
        arena_world):
    section = arenas_as(arena_world.neighbour, arena_world)
    assert not section.sees_every_arena
    assert [arena.name for arena in section.arenas] == ["Vård och omsorg Värmland"]
    assert [(d.arena, d.text) for d in section.public_decisions] == [("Besöksnäring Värmland",
                                                                       "Turistvägen skyltas om")]
    assert section.public_decisions[0].held_on == arena_world.today - dt.timedelta(days=30)


def test_outsiders_see_no_arena_and_no_count_only_public_decisions_of_the_last_year(arena_world):
    world = arena_world
    for reader in (world.stranger, world.staff, AnonymousUser()):
        section = arenas_as(reader, world)
        assert section.arenas == [] and not section.sees_every_arena, reader
        assert [(d.arena, d.text) for d in section.public_decisions] == [
            ("Besöksnäring Värmland", "Turistvägen skyltas om"),
            ("Vård och omsorg Värmland", "Komvux bjuds in till nästa möte")], reader


def test_an_arena_stops_being_active_when_its_last_open_action_item_is_done(arena_world):
    world = arena_world
    ActionItem.objects.filter(arena=world.industry).update(status=ActionItem.Status.DONE)
    assert "Industri Värmland" not in [arena.name for arena in arenas_as(world.coordinator, world).arenas]
