"""Open data: what a month's files contain, and the published files (docs/open-data.md).
Selectors only; nothing here writes.

The figures are the dimensioning table as an outsider — an anonymous visitor — sees it
(``matching.dimensioning.dimensioning_table`` with ``AnonymousUser``): public needs count whole,
every other need only inside a released cell (docs/permissions.md), so the files hold nothing a
visitor could not read off the platform's own figures. The decisions are the public decisions the
regional status report shows an outsider (``dialogues.selectors.arenas_for_report``). Nothing
here reads needs or decisions on its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from dialogues.selectors import arenas_for_report
from matching.dimensioning import DimensioningFilters, DimensioningRow, dimensioning_table
from matchplats.core.horizons import HORIZONS
from matchplats.taxonomy.models import Lan
from opendata.dictionary import COLUMNS
from opendata.models import OpenDataSnapshot

Kind = OpenDataSnapshot.Kind


def month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def parse_month(value: str) -> dt.date:
    """``YYYY-MM`` → the first day of that month. Raises ValueError for anything else."""
    try:
        parsed = dt.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        raise ValueError(f"not a month: {value!r}; write it as YYYY-MM, e.g. 2026-11") from None
    if month_label(parsed) != value:
        raise ValueError(f"not a month: {value!r}; write it as YYYY-MM, e.g. 2026-11")
    return parsed


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _round(value: float) -> float:
    return round(value, 1)


def _demand_supply_row(row: DimensioningRow, *, level: str, month: dt.date, lan: Lan, as_of: dt.date,
                       horizon: str, horizon_date: dt.date) -> list:
    is_occupation = level == "occupation"
    return [
        month_label(month), lan.code, as_of.isoformat(), horizon, horizon_date.isoformat(), level,
        row.ssyk4_code if is_occupation else "", row.label if is_occupation else "",
        row.occupation_field_label if level != "total" else "",
        row.recruitment, row.upskilling, row.demand, row.employers, row.suppressed,
        _round(row.supply), _round(row.supply_applied), _round(row.gap), row.programmes,
        row.validation_accepted, row.language_integrated_welcome, row.broadened_recruitment, row.flags_suppressed,
    ]


def demand_supply_rows(*, lan: Lan, month: dt.date, as_of: dt.date) -> list[list]:
    """Demand and supply per occupation, occupation field and in all, for every horizon, as an
    outsider sees them on ``as_of``: the rows of the file ``efterfragan-och-utbud``."""
    outsider = AnonymousUser()
    rows = []
    for horizon in HORIZONS:
        table = dimensioning_table(user=outsider, filters=DimensioningFilters(lan=lan.code, horizon=horizon),
                                   today=as_of)
        context = {"month": month, "lan": lan, "as_of": as_of, "horizon": horizon,
                   "horizon_date": table.horizon_date}
        by_field = sorted(table.fields, key=lambda r: r.label)
        occupations = sorted(table.rows, key=lambda r: (r.occupation_field_label, r.ssyk4_code))
        rows += [_demand_supply_row(r, level="occupation", **context) for r in occupations]
        rows += [_demand_supply_row(r, level="occupation_field", **context) for r in by_field]
        rows.append(_demand_supply_row(table.total, level="total", **context))
    return rows


def decision_rows(*, lan: Lan, month: dt.date, as_of: dt.date) -> list[list]:
    """The public decisions of the county's branch arenas taken at sessions within ``month``, as
    the status report lists them for a reader outside the arenas: the rows of the file ``beslut``."""
    decisions = arenas_for_report(user=AnonymousUser(), lan=lan, today=as_of).public_decisions
    last = month_end(month)
    return [[month_label(month), lan.code, d.arena, d.held_on.isoformat(), d.text]
            for d in sorted(decisions, key=lambda d: (d.held_on, d.arena, d.text)) if month <= d.held_on <= last]


ROWS = {Kind.DEMAND_SUPPLY: demand_supply_rows, Kind.DECISIONS: decision_rows}


def file_rows(*, kind: str, lan: Lan, month: dt.date, as_of: dt.date) -> tuple[list[str], list[list]]:
    """The header (column keys, in the dictionary's order) and rows of one file."""
    return [column.key for column in COLUMNS[kind]], ROWS[kind](lan=lan, month=month, as_of=as_of)


# --- the published files ------------------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotContent:
    columns: list[str]
    rows: list[list]


def snapshot_content(snapshot: OpenDataSnapshot) -> SnapshotContent:
    content = json.loads(snapshot.content)
    return SnapshotContent(columns=content["columns"], rows=content["rows"])


def snapshots_without_content() -> QuerySet[OpenDataSnapshot]:
    return OpenDataSnapshot.objects.defer("content").select_related("lan")


@dataclass(frozen=True)
class PublishedMonth:
    month: dt.date
    as_of: dt.date
    generated_at: dt.datetime
    files: list[OpenDataSnapshot]

    @property
    def label(self) -> str:
        return month_label(self.month)


def published_months(*, lan: Lan) -> list[PublishedMonth]:
    """The months published for a county, latest first, each with its files."""
    by_month: dict[dt.date, list[OpenDataSnapshot]] = defaultdict(list)
    for snapshot in snapshots_without_content().filter(lan=lan).order_by("-month", "kind"):
        by_month[snapshot.month].append(snapshot)
    return [PublishedMonth(month=month, as_of=files[0].as_of, generated_at=max(f.generated_at for f in files),
                           files=files) for month, files in by_month.items()]


def published_index() -> list[tuple[Lan, list[dt.date]]]:
    """Every county with the months published for it, latest first (an empty list: none yet)."""
    months: dict[int, set[dt.date]] = defaultdict(set)
    for lan_id, month in OpenDataSnapshot.objects.values_list("lan_id", "month"):
        months[lan_id].add(month)
    return [(lan, sorted(months[lan.pk], reverse=True)) for lan in Lan.objects.order_by("code")]


def published_snapshot(*, lan_code: str, month: dt.date, kind: str) -> OpenDataSnapshot | None:
    return OpenDataSnapshot.objects.select_related("lan").filter(lan__code=lan_code, month=month, kind=kind).first()
