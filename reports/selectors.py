"""The regional status report (lägesrapport) for a län: what it says, gathered from every app
(docs/reports.md). Selectors only; nothing here writes.

Every figure built from needs comes from ``matching.dimensioning.dimensioning_table`` — demand,
supply, gap and the equality figures — so it has gone through the released-cell rule for the
viewer; nothing here reads needs on its own. The shortage occupations come from the
Yrkesbarometer (``matchplats.taxonomy.selectors.shortage_occupations``) with its attribution. The
branch arenas come from ``dialogues.selectors.arenas_for_report``, which applies the arenas'
visibility rule for the reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from dialogues.selectors import ReportArenas, arenas_for_report
from matching.dimensioning import DEFAULT_HORIZON, DimensioningFilters, DimensioningRow, dimensioning_table
from matchplats.taxonomy.models import Lan
from matchplats.taxonomy.selectors import shortage_occupations

LARGEST_GAPS = 8
"""How many occupations the "largest gaps" section lists."""


@dataclass(frozen=True)
class ShortageRow:
    """An SSYK4 group the Yrkesbarometer judges short of workers in the län, with the barometer
    occupations behind that judgement and the group's row of the table (None: no registered
    demand and no planned supply for it)."""

    ssyk4_code: str
    label: str
    occupations: list[str]
    figures: DimensioningRow | None


@dataclass
class RegionalReport:
    lan: Lan
    today: dt.date
    horizon: str
    horizon_date: dt.date
    fields: list[DimensioningRow]
    """Demand and supply per occupation field, largest gap first (the table's roll-ups)."""
    total: DimensioningRow
    largest_gaps: list[DimensioningRow]
    """The occupations (SSYK4) where demand exceeds supply the most, at most ``LARGEST_GAPS``."""
    shortages: list[ShortageRow]
    attribution: str
    """The source of the labour-market figures, to be shown beside them."""
    arenas: ReportArenas
    """The county's active branch arenas the reader may see, and the public decisions of the others."""
    summary: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.fields


def people(value: float) -> str:
    """A head count as text: whole numbers as they are, a split place with one decimal."""
    rounded = round(value, 1)
    return number_format(rounded, decimal_pos=0 if rounded == int(rounded) else 1, use_l10n=True)


def sentence(text: str) -> str:
    """A sentence whose last word already ends with a full stop ("m.fl.") keeps only one."""
    return text[:-1] if text.endswith("..") else text


def _summary(report: RegionalReport) -> list[str]:
    """A few sentences in words, generated from the figures of the report."""
    total = report.total
    if report.is_empty:
        return [_("No registered demand and no planned programmes in %(lan)s up to %(date)s.")
                % {"lan": report.lan.label, "date": date_format(report.horizon_date)}]
    sentences = [
        _("Registered demand in %(lan)s up to %(date)s: %(demand)s people from %(employers)s employers; "
          "planned programmes bring %(supply)s people completing in the same period.")
        % {"lan": report.lan.label, "date": date_format(report.horizon_date), "demand": people(total.demand),
           "employers": total.employers, "supply": people(total.supply)}]
    if total.suppressed:
        sentences.append(_("Some demand is left out of these figures: fewer than 3 employers."))
    if report.largest_gaps:
        largest = report.largest_gaps[0]
        sentences.append(_("Largest shortage of trained people against the need: %(occupation)s "
                           "(%(gap)s more people needed than programmes bring).")
                         % {"occupation": largest.label, "gap": people(largest.gap)})
    covered = [row.label for row in report.fields if row.demand and row.gap <= 0]
    if covered:
        sentences.append(_("Planned programmes cover the registered demand in: %(fields)s.")
                         % {"fields": ", ".join(covered)})
    unmet = [s.label for s in report.shortages if s.figures and s.figures.demand and not s.figures.supply]
    if unmet:
        sentences.append(_("Shortage occupations with registered demand but no planned programmes: %(occupations)s.")
                         % {"occupations": ", ".join(unmet)})
    return [sentence(text) for text in sentences]


def regional_report(*, user, lan_code: str, today: dt.date, horizon: str = DEFAULT_HORIZON) -> RegionalReport:
    """The status report of a län as ``user`` may see it. Raises ValueError for a län or horizon
    that does not exist."""
    table = dimensioning_table(user=user, filters=DimensioningFilters(lan=lan_code, horizon=horizon), today=today)
    gaps = sorted((row for row in table.rows if row.gap > 0), key=lambda row: (-row.gap, row.ssyk4_code))
    by_code = {row.ssyk4_code: row for row in table.rows}
    shortages = [ShortageRow(ssyk4_code=s.ssyk4.code, label=s.ssyk4.label, occupations=s.occupations,
                             figures=by_code.get(s.ssyk4.code))
                 for s in shortage_occupations(lan=table.lan)]
    report = RegionalReport(lan=table.lan, today=today, horizon=horizon, horizon_date=table.horizon_date,
                            fields=table.fields, total=table.total, largest_gaps=gaps[:LARGEST_GAPS],
                            shortages=shortages, attribution=table.attribution,
                            arenas=arenas_for_report(user=user, lan=table.lan, today=today))
    report.summary = _summary(report)
    return report
