from datetime import date

import pytest

from matchplats.core.horizons import HORIZONS, needed_by_for_horizon


def test_a_horizon_is_the_end_of_its_window_in_whole_years_from_today():
    today = date(2026, 3, 15)
    assert [needed_by_for_horizon(h, today) for h in HORIZONS] == [
        date(2026, 3, 15), date(2027, 3, 15), date(2029, 3, 15), date(2031, 3, 15)
    ]


def test_a_horizon_read_on_29_february_ends_on_28_february():
    assert needed_by_for_horizon("1y", date(2028, 2, 29)) == date(2029, 2, 28)


def test_no_horizon_means_no_date_and_an_unknown_one_is_refused():
    assert needed_by_for_horizon(None, date(2026, 1, 1)) is None
    with pytest.raises(ValueError, match="unknown horizon 'soon'"):
        needed_by_for_horizon("soon", date(2026, 1, 1))


def test_the_need_form_the_services_and_the_engine_share_one_horizon_rule():
    from employers.models import Need
    from employers.services import needed_by_for

    assert tuple(Need.Horizon.values) == HORIZONS
    today = date(2026, 11, 30)
    for horizon in HORIZONS:
        assert needed_by_for(horizon=horizon, today=today) == needed_by_for_horizon(horizon, today)
