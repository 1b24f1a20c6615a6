"""When a need counts as demand: the staleness rule (docs/demand.md).

A need is valid until its ``valid_until`` date ("gäller till"), set ``NEED_VALID_FOR_MONTHS``
ahead whenever the employer registers, edits or confirms it. After that date it is *stale*
(flagged, the employer is asked to confirm it); more than ``LAPSE_AFTER_DAYS`` days after it, it
is *lapsed* and left out of demand until it is confirmed again. Reminders go out from
``REMIND_DAYS_BEFORE`` days before the date. These constants live here and nowhere else.

This module imports no models, so ``employers.models`` can use it for defaults.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Q
from django.utils import timezone

NEED_VALID_FOR_MONTHS = 6
LAPSE_AFTER_DAYS = 30
REMIND_DAYS_BEFORE = 14

CURRENT, STALE, LAPSED = "current", "stale", "lapsed"


def valid_until_from(day: dt.date) -> dt.date:
    """The "gäller till" date of a need registered, edited or confirmed on ``day``: six months
    later, on the last day of the month when that month is shorter (31 August → 28 February)."""
    month_index = day.month - 1 + NEED_VALID_FOR_MONTHS
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def need_valid_until_default() -> dt.date:
    return valid_until_from(timezone.localdate())


def lapses_on(valid_until: dt.date) -> dt.date:
    """The first day a need whose validity ended on ``valid_until`` is no longer counted."""
    return valid_until + dt.timedelta(days=LAPSE_AFTER_DAYS + 1)


def need_staleness(need, today: dt.date) -> str:
    """``"current"`` up to and including ``valid_until``, ``"stale"`` for the next
    ``LAPSE_AFTER_DAYS`` days, ``"lapsed"`` from then until the need is confirmed or edited."""
    if today <= need.valid_until:
        return CURRENT
    if today < lapses_on(need.valid_until):
        return STALE
    return LAPSED


def needs_in_demand_q(today: dt.date) -> Q:
    """The needs that count as demand on ``today``: active and not lapsed. Every demand figure
    (dimensioning, reports) filters with this, then applies the disclosure rule."""
    from employers.models import Need

    return Q(status=Need.Status.ACTIVE, valid_until__gte=today - dt.timedelta(days=LAPSE_AFTER_DAYS))


def needs_to_confirm_q(today: dt.date) -> Q:
    """Active needs past their ``valid_until`` date (stale or lapsed)."""
    from employers.models import Need

    return Q(status=Need.Status.ACTIVE, valid_until__lt=today)


def needs_due_for_reminder_q(today: dt.date) -> Q:
    """Active needs that are stale, lapsed or within ``REMIND_DAYS_BEFORE`` days of being stale
    and have not been reminded about in their current period (``reminded_at`` is cleared
    whenever ``valid_until`` moves)."""
    from employers.models import Need

    return Q(status=Need.Status.ACTIVE, reminded_at__isnull=True,
             valid_until__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE))
