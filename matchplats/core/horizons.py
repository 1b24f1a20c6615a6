"""A need's horizon and the date it stands for: the one rule, shared by the platform
(``employers.services``) and the matcher's engine. Plain Python with no Django imports, so the
engine, which must run without Django, can import it too.

A horizon is the end of the window in which the need arises, counted in whole years from the
day it is read: ``now`` = today, ``1y`` = one year, ``1-3y`` = three years, ``3-5y`` = five
years. A programme meets the need in time when it has an intake between today and that date.
"""

from __future__ import annotations

from datetime import date

HORIZON_YEARS = {"now": 0, "1y": 1, "1-3y": 3, "3-5y": 5}
HORIZONS = tuple(HORIZON_YEARS)


def needed_by_for_horizon(horizon: str | None, today: date) -> date | None:
    """``now``/``1y``/``1-3y``/``3-5y`` → the date it stands for; None for no horizon.

    29 February plus whole years falls on 28 February. Raises ValueError for an unknown
    horizon.
    """
    if not horizon:
        return None
    if horizon not in HORIZON_YEARS:
        raise ValueError(f"unknown horizon {horizon!r}; use one of {', '.join(HORIZONS)}")
    years = HORIZON_YEARS[horizon]
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)
