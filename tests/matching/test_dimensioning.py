"""Dimensioning (matching/dimensioning.py) on a hand-made fixture: demand, supply by completion
date, gap, horizon cut-offs, programme statuses, intakes counted once, the multi-occupation
split, stale needs, visibility and the released-cell disclosure rule with the differencing
attacks of issue 9 (complements, kommun against län, horizon windows as today moves, the trend)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from employers.models import Need, NeedEvent
from matching.dimensioning import (
    DimensioningFilters,
    completion_date,
    demand_trend,
    dimensioning_page,
    dimensioning_table,
    gap_by_lan,
    occupation_shares,
    programme_weeks,
)
from matching.models import MatchLink
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Kommun, SsykGroup
from providers.models import Intake, Programme
from tests.factories import admin_of, make_need, make_organisation, make_programme, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)
CARE, TEACHER = "5321", "2341"  # undersköterskor; grundskollärare


def need(employer, *, ssyk4=CARE, headcount=1, needed_by=dt.date(2027, 3, 1), visibility="public",
         purpose=Need.Purpose.RECRUITMENT, kommun_code="1780", valid_until=dt.date(2027, 5, 1),
         created_at=dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC), **flags) -> Need:
    created = make_need(employer, ssyk4=ssyk4, headcount=headcount, visibility=visibility, kommun_code=kommun_code)
    Need.objects.filter(pk=created.pk).update(needed_by=needed_by, purpose=purpose, valid_until=valid_until,
                                              created_at=created_at, **flags)
    return Need.objects.get(pk=created.pk)


def employers(count: int, prefix: str = "Arbetsgivare") -> list[Organisation]:
    return [make_organisation(Organisation.Kind.EMPLOYER, name=f"{prefix} {i}") for i in range(count)]


def programme(provider, *, ssyk4=(CARE,), status=Programme.Status.GRANTED, kommuner=("1780",), intakes=(),
              length_weeks=40, yh_points=None, pace_percent=None, form="yh", **fields) -> Programme:
    created = make_programme(provider, ssyk4=ssyk4, kommun_code=kommuner[0])
    created.kommuner.set(Kommun.objects.filter(code__in=kommuner))
    created.intakes.all().delete()
    for start, places in intakes:
        Intake.objects.create(programme=created, start_date=start, places=places)
    Programme.objects.filter(pk=created.pk).update(status=status, length_weeks=length_weeks, yh_points=yh_points,
                                                   pace_percent=pace_percent, form=form, **fields)
    return Programme.objects.get(pk=created.pk)


def table(user=None, today=TODAY, **filters):
    filters.setdefault("lan", "17")
    return dimensioning_table(user=user or AnonymousUser(), filters=DimensioningFilters(**filters), today=today)


def row(result, code):
    return next((r for r in result.rows if r.ssyk4_code == code), None)


@pytest.fixture
def provider(taxonomy):
    return make_organisation(Organisation.Kind.PROVIDER, name="Yrkeshögskolan Karlstad")


# --- demand -----------------------------------------------------------------------------------------


def test_demand_counts_head_counts_of_active_needs_with_recruitment_and_upskilling_apart(taxonomy):
    a, b = employers(2)
    need(a, headcount=4)
    need(a, headcount=2, purpose=Need.Purpose.UPSKILLING)
    need(b, headcount=3)
    care = row(table(), CARE)
    assert (care.recruitment, care.upskilling, care.demand, care.employers) == (7, 2, 9, 2)
    assert not care.suppressed


def test_filled_withdrawn_stale_and_other_county_needs_are_left_out(taxonomy):
    (a,) = employers(1)
    need(a, headcount=5)
    filled = need(a, headcount=100)
    Need.objects.filter(pk=filled.pk).update(status=Need.Status.FILLED)
    need(a, headcount=200, valid_until=TODAY - dt.timedelta(days=31))  # lapsed: 31 days past "gäller till"
    need(a, headcount=1000, kommun_code="1880")  # Örebro län
    assert row(table(), CARE).demand == 5 + 0
    still_stale_but_counted = need(a, headcount=7, valid_until=TODAY - dt.timedelta(days=30))
    assert row(table(), CARE).demand == 5 + still_stale_but_counted.headcount


def test_the_horizon_cuts_demand_at_its_date(taxonomy):
    (a,) = employers(1)
    need(a, headcount=1, needed_by=TODAY)
    need(a, headcount=10, needed_by=dt.date(2027, 12, 1))
    need(a, headcount=100, needed_by=dt.date(2027, 12, 2))
    need(a, headcount=1000, needed_by=dt.date(2031, 12, 1))
    figures = {h: row(table(horizon=h), CARE).demand for h in ("now", "1y", "1-3y", "3-5y")}
    assert figures == {"now": 1, "1y": 11, "1-3y": 111, "3-5y": 1111}


# --- supply ---------------------------------------------------------------------------------------


def test_completion_comes_from_weeks_else_yh_points_at_the_pace_else_one_school_year():
    assert programme_weeks(length_weeks=20, yh_points=400, pace_percent=None) == 20
    assert programme_weeks(length_weeks=None, yh_points=400, pace_percent=None) == 80
    assert programme_weeks(length_weeks=None, yh_points=400, pace_percent=50) == 160
    assert programme_weeks(length_weeks=None, yh_points=None, pace_percent=None) == 40
    assert completion_date(dt.date(2027, 1, 4), 2) == dt.date(2027, 1, 18)


def test_supply_counts_people_completing_between_today_and_the_horizon(provider):
    programme(provider, length_weeks=40, intakes=[
        (dt.date(2026, 1, 12), 1),      # completes 2026-10-19: before today, not counted
        (dt.date(2026, 8, 17), 10),     # 2027-05-24: within a year
        (dt.date(2027, 8, 16), 100),    # 2028-05-22: within three years
        (dt.date(2030, 8, 19), 1000),   # 2031-05-26: within five years
    ])
    figures = {h: row(table(horizon=h), CARE) for h in ("now", "1y", "1-3y", "3-5y")}
    assert figures["now"] is None
    assert [figures[h].supply for h in ("1y", "1-3y", "3-5y")] == [10, 110, 1110]
    assert figures["1-3y"].programmes == 1


def test_yh_points_and_pace_move_the_completion_past_the_horizon(provider):
    programme(provider, length_weeks=None, yh_points=200, pace_percent=50,
              intakes=[(dt.date(2026, 8, 17), 20)])  # 80 calendar weeks: 2028-02-28
    assert row(table(horizon="1y"), CARE) is None
    assert row(table(horizon="1-3y"), CARE).supply == 20


def test_granted_running_and_planned_count_applied_apart_and_the_rest_not_at_all(provider):
    start = [(dt.date(2026, 8, 17), 10)]
    for status in (Programme.Status.GRANTED, Programme.Status.RUNNING, Programme.Status.PLANNED):
        programme(provider, status=status, intakes=start)
    programme(provider, status=Programme.Status.APPLIED, intakes=[(dt.date(2026, 8, 17), 7)])
    for status in (Programme.Status.REJECTED, Programme.Status.WITHDRAWN, Programme.Status.ENDED):
        programme(provider, status=status, intakes=[(dt.date(2026, 8, 17), 1000)])
    care = row(table(horizon="1y"), CARE)
    assert (care.supply, care.supply_applied, care.programmes) == (30, 7, 3)


def test_an_intake_given_in_two_kommuner_of_the_county_counts_once(provider):
    programme(provider, kommuner=("1780", "1784"), intakes=[(dt.date(2026, 8, 17), 25)])
    assert row(table(horizon="1y"), CARE).supply == 25
    assert row(table(horizon="1y", kommuner=("1780", "1784")), CARE).supply == 25
    assert row(table(horizon="1y", kommuner=("1784",)), CARE).supply == 25
    assert row(table(horizon="1y", kommuner=("1715",)), CARE) is None


def test_distance_programmes_count_where_they_are_given_and_nowhere_without_a_kommun(provider):
    programme(provider, kommuner=("1880",), distance=True, intakes=[(dt.date(2026, 8, 17), 25)])
    nowhere = programme(provider, distance=True, intakes=[(dt.date(2026, 8, 17), 40)])
    nowhere.kommuner.clear()
    assert row(table(horizon="1y"), CARE) is None
    assert row(table(horizon="1y", lan="18"), CARE).supply == 25


def test_a_programme_with_two_target_occupations_splits_its_places_and_rolls_up_once(provider):
    programme(provider, ssyk4=(CARE, TEACHER), intakes=[(dt.date(2026, 8, 17), 30)])
    result = table(horizon="1y")
    assert row(result, CARE).supply == 15 and row(result, TEACHER).supply == 15
    assert sum(f.supply for f in result.fields) == 30 == result.total.supply
    assert result.total.programmes == 1


def test_a_programme_without_targets_counts_through_its_readable_links_above_the_threshold(provider, settings):
    settings.MATCHER_LINK_THRESHOLD = 0.3
    a, b = employers(2)
    care, teacher = need(a, ssyk4=CARE), need(a, ssyk4=TEACHER)
    hidden = need(b, ssyk4="2512", visibility="aggregated")
    untargeted = programme(provider, ssyk4=(), intakes=[(dt.date(2026, 8, 17), 40)])
    MatchLink.objects.create(need=care, programme=untargeted, score=0.6, rank=1)
    MatchLink.objects.create(need=teacher, programme=untargeted, score=0.3, rank=2)
    MatchLink.objects.create(need=hidden, programme=untargeted, score=0.9, rank=1)
    below = need(a, ssyk4="5311")
    MatchLink.objects.create(need=below, programme=untargeted, score=0.29, rank=3)
    result = table(horizon="1y")
    assert row(result, CARE).supply == pytest.approx(40 * 0.6 / 0.9)
    assert row(result, TEACHER).supply == pytest.approx(40 * 0.3 / 0.9)
    hidden_row, below_row = row(result, "2512"), row(result, "5311")
    assert (hidden_row.supply, hidden_row.demand, hidden_row.suppressed) == (0, 0, True)
    assert (below_row.supply, below_row.demand) == (0, 1)
    assert result.total.supply == pytest.approx(40)


def test_occupation_shares_are_equal_for_targets_and_proportional_for_links():
    assert occupation_shares(targets=[3, 1, 2], link_scores=[(9, 1.0)]) == {1: 1 / 3, 2: 1 / 3, 3: 1 / 3}
    assert occupation_shares(targets=[], link_scores=[(1, 0.5), (2, 0.25), (1, 0.25)]) == {1: 0.75, 2: 0.25}
    assert occupation_shares(targets=[], link_scores=[]) == {}


def test_gap_and_ratio_put_demand_against_supply_and_the_programme_form_filters_supply(provider):
    (a,) = employers(1)
    need(a, headcount=40)
    programme(provider, intakes=[(dt.date(2026, 8, 17), 10)])
    programme(provider, form="yrkesvux", intakes=[(dt.date(2026, 8, 17), 20)])
    care = row(table(horizon="1y"), CARE)
    assert (care.demand, care.supply, care.gap, care.ratio) == (40, 30, 10, 0.75)
    only_yh = row(table(horizon="1y", form="yh"), CARE)
    assert (only_yh.demand, only_yh.supply, only_yh.gap) == (40, 10, 30)


def test_the_occupation_field_filter_keeps_its_groups_and_rolls_them_up(provider):
    (a,) = employers(1)
    need(a, ssyk4=CARE, headcount=3)
    need(a, ssyk4=TEACHER, headcount=5)
    care_field = SsykGroup.objects.get(code=CARE).occupation_field_id
    result = table(occupation_field=care_field)
    assert [r.ssyk4_code for r in result.rows] == [CARE]
    assert [(f.occupation_field_id, f.demand) for f in result.fields] == [(care_field, 3)]


def test_equality_figures_and_gender_balance(provider):
    a, b = employers(2)
    need(a, headcount=4, validation_accepted=True, language_integrated_welcome=True)
    need(b, headcount=6, broadened_recruitment=True)
    programme(provider, intakes=[(dt.date(2026, 8, 17), 10)], last_intake_women=18, last_intake_men=6)
    result = table(horizon="1y")
    care = row(result, CARE)
    assert (care.validation_accepted, care.language_integrated_welcome, care.broadened_recruitment) == (4, 4, 6)
    assert [(g.women, g.men, g.share_women) for g in result.gender] == [(18, 6, 0.75)]


def test_unknown_county_kommun_horizon_or_form_is_refused(taxonomy):
    with pytest.raises(ValueError):
        table(lan="99")
    with pytest.raises(ValueError):
        table(kommuner=("1880",))  # Örebro, not in Värmland
    with pytest.raises(ValueError):
        DimensioningFilters(lan="17", horizon="10y")
    with pytest.raises(ValueError):
        DimensioningFilters(lan="17", form="circus")


# --- visibility and disclosure -----------------------------------------------------------------------


def test_each_viewer_reads_their_own_and_listed_needs_whole(taxonomy, region_a):
    (owner,) = employers(1)
    need(owner, headcount=2, visibility="aggregated")
    need(owner, headcount=3, visibility="coordinators")
    coordinator = admin_of(region_a)
    assert row(table(admin_of(owner)), CARE).demand == 5
    coordinator_view = row(table(coordinator), CARE)
    assert (coordinator_view.demand, coordinator_view.suppressed) == (3, True)
    outsider = row(table(make_user()), CARE)
    assert (outsider.demand, outsider.suppressed) == (0, True)
    assert row(table(make_user(staff=True)), CARE).demand == 0


def test_a_hidden_cell_from_two_employers_is_marked_and_from_three_is_released(taxonomy):
    hidden = employers(3, "Dold")
    for employer in hidden[:2]:
        need(employer, headcount=50, visibility="aggregated")
    care = row(table(), CARE)
    assert (care.demand, care.employers, care.suppressed) == (0, 0, True)
    need(hidden[2], headcount=50, visibility="aggregated")
    care = row(table(), CARE)
    assert (care.demand, care.employers, care.suppressed) == (150, 3, False)


def test_an_equality_figure_never_splits_a_released_cell_into_a_small_part(taxonomy):
    flagged, other = employers(3, "Validering"), employers(1, "Annan")[0]
    for employer in flagged:
        need(employer, headcount=10, visibility="aggregated", validation_accepted=True)
    need(other, headcount=7, visibility="aggregated")
    care = row(table(), CARE)
    # demand 37 is a released cell; validation 30 would leave 37 − 30 = 7 from one employer
    assert (care.demand, care.validation_accepted, care.flags_suppressed) == (37, 0, True)
    need(employers(2, "Fler")[0], headcount=1, visibility="aggregated")
    need(Organisation.objects.get(name="Fler 1"), headcount=1, visibility="aggregated")
    care = row(table(), CARE)
    assert (care.demand, care.validation_accepted, care.flags_suppressed) == (39, 30, False)


def test_an_equality_cell_lies_inside_one_purpose_so_it_cannot_uncover_the_other(taxonomy):
    recruiting = employers(3, "Rekryterar")
    for employer in recruiting:
        need(employer, headcount=10, visibility="aggregated", validation_accepted=True)
    need(employers(1, "Vidareutbildar")[0], headcount=7, visibility="aggregated", validation_accepted=True,
         purpose=Need.Purpose.UPSKILLING)
    care = row(table(), CARE)
    assert (care.recruitment, care.upskilling, care.suppressed) == (30, 0, True)
    assert care.validation_accepted == 30  # never 37: the upskilling 7 stays hidden


def _secret_fixture():
    """A public need, a released hidden cell (three employers, first half of 2027, 100 each) and a
    suppressed one (one employer, second half of 2027, 7 people) — the 7 must never be readable."""
    public, *others = employers(5)
    need(public, headcount=1, needed_by=dt.date(2027, 2, 1))
    for employer in others[:3]:
        need(employer, headcount=100, needed_by=dt.date(2027, 3, 1), visibility="aggregated", kommun_code="1784")
    need(others[3], headcount=7, needed_by=dt.date(2027, 9, 1), visibility="aggregated", kommun_code="1784")
    return {0, 300}  # every possible hidden contribution: sums of released cells


def test_complements_of_a_filter_add_up_without_revealing_a_suppressed_cell(taxonomy):
    released_sums = _secret_fixture()
    care_field = SsykGroup.objects.get(code=CARE).occupation_field_id
    whole = table()
    in_field = table(occupation_field=care_field)
    assert whole.total.demand - in_field.total.demand == sum(
        f.demand for f in whole.fields if f.occupation_field_id != care_field)
    assert whole.total.demand - 1 in released_sums and whole.total.suppressed


def test_kommun_figures_hold_only_the_readable_part_so_county_minus_kommuner_is_a_released_sum(taxonomy):
    released_sums = _secret_fixture()
    county = table().total.demand
    kommun_ids = Kommun.objects.filter(lan__code="17").values_list("code", flat=True)
    every_kommun = table(kommuner=tuple(kommun_ids))
    assert every_kommun.hidden_per_lan_only and not every_kommun.total.suppressed
    assert every_kommun.total.demand == 1
    for code in ("1780", "1784"):
        assert table(kommuner=(code,)).total.demand == (1 if code == "1780" else 0)
    assert county - every_kommun.total.demand in released_sums


def test_horizon_windows_as_today_moves_only_ever_differ_by_released_cells(taxonomy):
    released_sums = _secret_fixture()
    figures = []
    for today in (dt.date(2026, 12, 1) + dt.timedelta(days=d) for d in range(0, 500, 9)):
        for horizon in ("now", "1y", "1-3y", "3-5y"):
            result = table(today=today, horizon=horizon)
            readable = 1 if dt.date(2027, 2, 1) <= result.horizon_date and today <= dt.date(2027, 5, 31) else 0
            figures.append(result.total.demand - readable)
    assert set(figures) <= released_sums
    assert {a - b for a, b in itertools.product(figures, repeat=2)} <= {0, 300, -300}


def test_the_trend_is_built_from_the_same_released_cells(taxonomy):
    public, *others = employers(5)
    need(public, headcount=1, created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
    for month, employer in zip((3, 5, 7), others[:3]):
        need(employer, headcount=100, visibility="aggregated",
             created_at=dt.datetime(2026, month, 10, tzinfo=dt.UTC))
    need(others[3], headcount=7, visibility="aggregated", needed_by=dt.date(2027, 9, 1),
         created_at=dt.datetime(2026, 4, 10, tzinfo=dt.UTC))
    points = demand_trend(user=AnonymousUser(), filters=DimensioningFilters(lan="17"), today=TODAY)
    assert [p.day for p in points][-1] == TODAY and len(points) == 12
    by_month = {p.day.month: (p.demand, p.suppressed) for p in points}
    assert by_month[1] == (0, False)
    assert by_month[3] == (1, True)  # one hidden employer in the cell: marked, not counted
    assert by_month[6] == (1, True)
    assert by_month[7] == (301, True)  # the third employer releases the cell; the 7 stays out
    assert {p.demand - 1 for p in points if p.demand} <= {0, 300}


def test_the_trend_leaves_out_a_need_after_it_was_filled(taxonomy):
    (a,) = employers(1)
    filled = need(a, headcount=4, created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    Need.objects.filter(pk=filled.pk).update(status=Need.Status.FILLED)
    NeedEvent.objects.create(need=filled, type=NeedEvent.Type.STATUS_CHANGED, data={"old": "active", "new": "filled"},
                             created_at=dt.datetime(2026, 6, 15, tzinfo=dt.UTC))
    points = {p.day.month: p.demand for p in demand_trend(user=AnonymousUser(), filters=DimensioningFilters(lan="17"),
                                                           today=TODAY)}
    assert (points[2], points[3], points[5], points[6], points[7]) == (0, 4, 4, 0, 0)


def test_gap_by_county_applies_the_same_rule_to_every_county(provider):
    _secret_fixture()
    programme(provider, intakes=[(dt.date(2026, 8, 17), 10)])
    gaps = {g.lan_code: g for g in gap_by_lan(user=AnonymousUser(), filters=DimensioningFilters(lan="17"),
                                              today=TODAY)}
    varmland = table()
    assert (gaps["17"].demand, gaps["17"].supply, gaps["17"].suppressed) == (
        varmland.total.demand, varmland.total.supply, varmland.total.suppressed)
    assert gaps["18"].demand == 0 and len(gaps) == 21


def test_the_page_takes_the_countys_supply_from_every_countys_and_gets_the_same_table(provider):
    other = make_organisation(Organisation.Kind.PROVIDER, name="Annan anordnare")
    programme(provider, intakes=[(dt.date(2026, 8, 17), 10)], last_intake_women=18, last_intake_men=6)
    programme(provider, ssyk4=(CARE, "2221"), kommuner=("1780", "1880"), intakes=[(dt.date(2026, 9, 1), 30)])
    programme(provider, status=Programme.Status.APPLIED, intakes=[(dt.date(2026, 8, 17), 12)])
    programme(other, kommuner=("1880",), intakes=[(dt.date(2026, 8, 17), 40)], last_intake_women=1, last_intake_men=1)
    for horizon in ("1y", "3-5y"):
        filters = DimensioningFilters(lan="17", horizon=horizon)
        page = dimensioning_page(user=AnonymousUser(), filters=filters, today=TODAY)
        alone = dimensioning_table(user=AnonymousUser(), filters=filters, today=TODAY)
        assert [(r.ssyk4_code, r.supply, r.supply_applied, r.programmes) for r in page.table.rows] == [
            (r.ssyk4_code, r.supply, r.supply_applied, r.programmes) for r in alone.rows]
        assert page.table.gender == alone.gender and page.table.total.supply == alone.total.supply
    assert row(alone, CARE).supply == 10 + 15 and row(alone, CARE).supply_applied == 12
