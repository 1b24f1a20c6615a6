"""The charts of the dimensioning page, built from the same figures as its tables."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from matching.dimensioning import MARK, DimensioningTable, LanGap, TrendPoint
from matchplats.core.charts import BarChart, LineChart, Series

TOP_OCCUPATIONS = 12


def _mark_note(marked: bool) -> tuple[str, ...]:
    return (_("* %(mark)s: a hidden part was left out of this figure.") % {"mark": MARK},) if marked else ()


def occupation_chart(table: DimensioningTable) -> BarChart:
    """Demand against supply for the occupations with the most demand or supply."""
    rows = sorted(table.rows, key=lambda r: (-max(r.demand, r.supply), r.ssyk4_code))[:TOP_OCCUPATIONS]
    return BarChart(
        title=_("Demand and supply per occupation"),
        description=_("People in demand and people completing a programme by %(date)s, %(count)s occupations "
                      "with the most demand or supply.") % {"date": table.horizon_date.isoformat(),
                                                             "count": len(rows)},
        categories=[f"{r.label}{' *' if r.suppressed else ''}" for r in rows],
        series=[Series(_("Demand"), [r.demand for r in rows]), Series(_("Supply"), [r.supply for r in rows])],
        unit=_("people"), chart_id="chart-occupations", label_width=250, notes=_mark_note(any(r.suppressed for r in rows)),
    )


def lan_chart(gaps: list[LanGap], *, current: str) -> BarChart:
    """The gap (demand minus supply) of every county; the chosen one is marked ◆."""
    return BarChart(
        title=_("Gap by county"),
        description=_("Demand minus supply in each county: above zero, more people are needed than planned "
                      "programmes bring."),
        categories=[f"{'◆ ' if g.lan_code == current else ''}{g.lan_label}{' *' if g.suppressed else ''}"
                    for g in gaps],
        series=[Series(_("Gap"), [g.gap for g in gaps], colour="#b03a2e")],
        unit=_("people"), chart_id="chart-lan", label_width=170, bar_height=16, group_gap=4,
        notes=_mark_note(any(g.suppressed for g in gaps)),
    )


def trend_chart(points: list[TrendPoint]) -> LineChart:
    return LineChart(
        title=_("Demand over the last 12 months"),
        description=_("Head count of needs in demand at the end of each month, every horizon."),
        x_labels=[date_format(p.day, "M Y") for p in points],
        series=[Series(_("Demand"), [p.demand for p in points])],
        unit=_("people"), chart_id="chart-trend", notes=_mark_note(any(p.suppressed for p in points)),
    )
