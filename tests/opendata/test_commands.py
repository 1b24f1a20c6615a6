from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from opendata.models import OpenDataSnapshot
from tests.factories import make_need, make_organisation

pytestmark = pytest.mark.django_db


def test_the_command_publishes_the_month_that_ended_and_a_second_run_changes_nothing(month, capsys):
    make_need(make_organisation("employer", name="Öppna AB"), visibility="public", headcount=3)
    call_command("publish_open_data")
    assert f"{month.label}: 42 files published for 21 counties" in capsys.readouterr().out
    before = list(OpenDataSnapshot.objects.order_by("pk").values_list("pk", "content", "checksum", "generated_at"))
    assert {m for (m,) in OpenDataSnapshot.objects.values_list("month")} == {month.month}
    make_need(make_organisation("employer", name="Nya AB"), visibility="public", headcount=9)
    call_command("publish_open_data", "--month", month.label)
    out = capsys.readouterr().out
    assert "42 files were already published" in out and "--replace" in out
    after = list(OpenDataSnapshot.objects.order_by("pk").values_list("pk", "content", "checksum", "generated_at"))
    assert after == before


def test_replace_writes_the_month_again(month, capsys):
    call_command("publish_open_data")
    checksum = OpenDataSnapshot.objects.get(lan__code="17", kind="demand_supply").checksum
    make_need(make_organisation("employer", name="Nya AB"), visibility="public", headcount=9)
    call_command("publish_open_data", "--replace")
    assert "42 files published" in capsys.readouterr().out
    assert OpenDataSnapshot.objects.count() == 42
    assert OpenDataSnapshot.objects.get(lan__code="17", kind="demand_supply").checksum != checksum


@pytest.mark.parametrize("value, message", [
    ("2026-13", "not a month"), ("26-11", "not a month"), ("2026-11-01", "not a month"),
    ("current", "not a month"), ("next", "not a month"),
])
def test_a_malformed_month_is_refused_before_anything_is_written(month, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("publish_open_data", "--month", value)
    assert not OpenDataSnapshot.objects.exists()


def test_the_running_month_and_months_long_past_are_refused(month):
    with pytest.raises(CommandError, match="has not ended"):
        call_command("publish_open_data", "--month", f"{month.today:%Y-%m}")
    earlier = (month.month - dt.timedelta(days=1)).replace(day=1)
    with pytest.raises(CommandError, match="can no longer be published"):
        call_command("publish_open_data", "--month", f"{earlier:%Y-%m}")
    assert not OpenDataSnapshot.objects.exists()
