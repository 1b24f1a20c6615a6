from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import AnonymousUser

from matching.dimensioning import DimensioningFilters, dimensioning_table
from matchplats.core.horizons import HORIZONS
from matchplats.organisations.models import Organisation
from opendata.dictionary import DEMAND_SUPPLY_COLUMNS
from opendata.models import OpenDataSnapshot
from opendata.selectors import snapshot_content
from opendata.services import open_data_publish_month
from tests.factories import admin_of, make_need, make_organisation, make_programme, make_region
from tests.opendata.conftest import MEMBERS_ONLY_IN_MONTH, PUBLIC_BEFORE_MONTH, PUBLIC_IN_MONTH

pytestmark = pytest.mark.django_db
Kind = OpenDataSnapshot.Kind


def _employer(name: str) -> Organisation:
    return make_organisation(Organisation.Kind.EMPLOYER, name=name)


def _publish(month, **kwargs):
    return open_data_publish_month(month=month.month, today=month.today, lans=[month.lan], **kwargs)


def _records(month, kind=Kind.DEMAND_SUPPLY) -> list[dict]:
    content = snapshot_content(OpenDataSnapshot.objects.get(lan=month.lan, month=month.month, kind=kind))
    return [dict(zip(content.columns, row)) for row in content.rows]


def _occupation(records, ssyk4: str, horizon: str = "1-3y") -> dict:
    return next(r for r in records if r["level"] == "occupation" and r["ssyk4"] == ssyk4 and r["horizon"] == horizon)


def test_a_hidden_need_from_one_employer_never_appears_with_numbers(month):
    make_need(_employer("Öppna AB"), visibility="public", headcount=3)
    make_need(_employer("Dolda AB"), visibility="aggregated", headcount=17)
    _publish(month)
    records = _records(month)
    for horizon in ("1y", "1-3y", "3-5y"):
        row = _occupation(records, "5321", horizon)
        assert (row["demand"], row["recruitment"], row["employers"], row["demand_suppressed"]) == (3, 3, 1, True)
        total = next(r for r in records if r["level"] == "total" and r["horizon"] == horizon)
        assert (total["demand"], total["demand_suppressed"]) == (3, True)
    assert not any(value in (17, 20) for r in records for key, value in r.items() if key != "programmes")


def test_hidden_needs_from_three_employers_are_counted_as_one_released_cell(month):
    for index, headcount in enumerate((4, 5, 6)):
        make_need(_employer(f"Dold {index} AB"), visibility="aggregated", headcount=headcount)
    _publish(month)
    row = _occupation(_records(month), "5321")
    assert (row["demand"], row["employers"], row["demand_suppressed"]) == (15, 3, False)


def test_a_coordinators_only_need_counts_only_as_an_outsider_may_see_it(month):
    coordinator_region = make_region("17")
    make_need(_employer("Öppna AB"), visibility="public", headcount=2)
    make_need(_employer("Regionens AB"), visibility="coordinators", headcount=40)
    _publish(month)
    row = _occupation(_records(month), "5321")
    assert (row["demand"], row["demand_suppressed"]) == (2, True)
    coordinators_view = dimensioning_table(user=admin_of(coordinator_region), filters=DimensioningFilters(lan="17"),
                                           today=month.today)
    assert coordinators_view.total.demand == 42


def test_the_rows_are_the_dimensioning_table_an_anonymous_visitor_sees(month):
    provider = make_organisation(Organisation.Kind.PROVIDER, name="Anordnare AB")
    make_programme(provider, ssyk4=("5321", "5323"))
    for index in range(3):
        make_need(_employer(f"Dold {index} AB"), visibility="aggregated", headcount=index + 1, ssyk4="5323")
    make_need(_employer("Öppna AB"), visibility="public", headcount=7, horizon="3-5y")
    make_need(_employer("Ensam AB"), visibility="coordinators", headcount=9, ssyk4="2221")
    _publish(month)
    records = _records(month)
    for horizon in HORIZONS:
        table = dimensioning_table(user=AnonymousUser(), filters=DimensioningFilters(lan="17", horizon=horizon),
                                   today=month.today)
        rows = {r["ssyk4"]: r for r in records if r["horizon"] == horizon and r["level"] == "occupation"}
        assert set(rows) == {row.ssyk4_code for row in table.rows}
        for row in table.rows:
            published = rows[row.ssyk4_code]
            assert (published["demand"], published["employers"], published["demand_suppressed"],
                    published["supply"], published["gap"]) == (
                row.demand, row.employers, row.suppressed, round(row.supply, 1), round(row.gap, 1))
        total = next(r for r in records if r["horizon"] == horizon and r["level"] == "total")
        assert (total["demand"], total["supply"]) == (table.total.demand, round(table.total.supply, 1))
        assert total["horizon_date"] == table.horizon_date.isoformat()
    assert _occupation(records, "5323")["supply"] == 12.5  # 25 places split between two occupations
    assert [key for key in records[0]] == [c.key for c in DEMAND_SUPPLY_COLUMNS]


def test_a_published_month_is_frozen_when_new_needs_arrive(month):
    make_need(_employer("Öppna AB"), visibility="public", headcount=3)
    first = _publish(month)
    assert len(first.published) == 2 and not first.kept
    before = {s.kind: (s.content, s.checksum, s.generated_at) for s in OpenDataSnapshot.objects.all()}
    make_need(_employer("Nya AB"), visibility="public", headcount=50)
    again = _publish(month)
    assert not again.published and len(again.kept) == 2
    assert {s.kind: (s.content, s.checksum, s.generated_at) for s in OpenDataSnapshot.objects.all()} == before
    assert _occupation(_records(month), "5321")["demand"] == 3
    replaced = _publish(month, replace=True)
    assert len(replaced.published) == 2 and OpenDataSnapshot.objects.count() == 2
    assert _occupation(_records(month), "5321")["demand"] == 53


def test_a_month_is_published_only_during_the_month_after_it(month):
    this_month = month.today.replace(day=1)
    with pytest.raises(ValueError, match="has not ended"):
        open_data_publish_month(month=this_month, today=month.today)
    two_back = (month.month - dt.timedelta(days=1)).replace(day=1)
    with pytest.raises(ValueError, match="can no longer be published"):
        open_data_publish_month(month=two_back, today=month.today)
    with pytest.raises(ValueError, match="first day"):
        open_data_publish_month(month=month.month + dt.timedelta(days=3), today=month.today)
    assert not OpenDataSnapshot.objects.exists()


def test_every_county_gets_both_files_with_a_checksum_and_row_count(month):
    result = open_data_publish_month(month=month.month, today=month.today)
    assert len(result.published) == 2 * 21
    empty = OpenDataSnapshot.objects.get(lan__code="25", kind=Kind.DEMAND_SUPPLY)
    assert empty.row_count == len(HORIZONS)  # a total row per horizon, all zero
    assert empty.as_of == month.today and len(empty.checksum) == 64
    assert json.loads(empty.content)["columns"][0] == "month"


def test_the_decisions_file_holds_the_public_decisions_of_the_month_only(month, decisions):
    _publish(month)
    records = _records(month, Kind.DECISIONS)
    assert [(r["arena"], r["decision"]) for r in records] == [("Vård och omsorg Värmland", PUBLIC_IN_MONTH)]
    assert records[0]["session_date"] == (month.month + dt.timedelta(days=9)).isoformat()
    content = OpenDataSnapshot.objects.get(kind=Kind.DECISIONS).content
    assert MEMBERS_ONLY_IN_MONTH not in content and PUBLIC_BEFORE_MONTH not in content
