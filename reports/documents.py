"""The regional status report as a document: ``RegionalReport`` → ``matchplats.core.reports.Report``
(headings, paragraphs, tables and SVG charts), rendered as PDF by ``render_pdf`` and as Word by
``render_docx``, and shown as HTML by the report page from the same blocks, so page and files
always say the same. A chart carries its own title (the section heading is right above it), so
its block has no caption.

Made on request from live data; nothing is stored. Each chart has the table with its figures
right after it. A figure with a hidden part left out carries "*" and the section ends with the
note "* färre än 3 arbetsgivare: …" (the mark of the dimensioning page).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from employers.forms import BY_HORIZON_CHOICES
from matching.dimensioning import MARK, DimensioningRow
from matchplats.core.charts import BarChart, Series
from matchplats.core.reports import Block, Bullets, Chart, Heading, Paragraph, Report, Table, render_docx, render_pdf
from reports.selectors import RegionalReport, people, sentence


def _starred(value: str, marked: bool) -> str:
    return f"{value} *" if marked else value


def _category(label: str, marked: bool) -> str:
    """A chart's category label, the mark first so that shortening a long label keeps it."""
    return f"* {label}" if marked else label


def _mark_note() -> Paragraph:
    return Paragraph(_("* %(mark)s: needs you may not read from fewer than 3 employers are left out of this "
                       "figure.") % {"mark": MARK})


def _demand(row: DimensioningRow) -> str:
    return _starred(people(row.demand), row.suppressed)


def _summary(report: RegionalReport) -> list[Block]:
    return [Heading(_("Summary")), Bullets(report.summary)]


def _demand_and_supply(report: RegionalReport) -> list[Block]:
    blocks: list[Block] = [Heading(_("Demand and supply by occupation field"))]
    if not report.fields:
        return blocks + [Paragraph(_("No registered demand and no planned programmes for this horizon."))]
    fields = report.fields
    chart = BarChart(
        title=_("People in demand and completing by %(date)s") % {"date": date_format(report.horizon_date)},
        description=_("People in demand and people completing a programme by %(date)s, per occupation field.")
        % {"date": date_format(report.horizon_date)},
        categories=[_category(row.label or _("No occupation field"), row.suppressed) for row in fields],
        series=[Series(_("Demand"), [row.demand for row in fields]),
                Series(_("Supply"), [row.supply for row in fields])],
        unit=_("people"), chart_id="chart-fields", label_width=270, bar_height=13, group_gap=8,
    )
    blocks.append(Chart(chart.to_svg(), caption=""))
    rows = [[row.label or _("No occupation field"), people(row.recruitment), people(row.upskilling), _demand(row),
             row.employers, people(row.supply), people(row.gap)] for row in fields]
    total = report.total
    rows.append([_("In total"), people(total.recruitment), people(total.upskilling), _demand(total), total.employers,
                 people(total.supply), people(total.gap)])
    blocks.append(Table(
        columns=[_("Occupation field"), _("New recruits"), _("Upskilling"), _("Demand"), _("Employers"), _("Supply"),
                 _("Gap")],
        rows=rows, numeric_columns=frozenset(range(1, 7)),
        caption=_("Needed and completing by %(date)s") % {"date": date_format(report.horizon_date)},
    ))
    if total.suppressed:
        blocks.append(_mark_note())
    return blocks


def _largest_gaps(report: RegionalReport) -> list[Block]:
    blocks: list[Block] = [Heading(_("Largest gaps"))]
    gaps = report.largest_gaps
    if not gaps:
        return blocks + [Paragraph(_("In no occupation is the registered demand larger than the planned supply."))]
    chart = BarChart(
        title=_("Demand minus supply by %(date)s") % {"date": date_format(report.horizon_date)},
        description=_("Demand minus supply by %(date)s for the occupations where it is largest.")
        % {"date": date_format(report.horizon_date)},
        categories=[_category(row.label, row.suppressed) for row in gaps],
        series=[Series(_("Gap"), [row.gap for row in gaps], colour="#b03a2e")],
        unit=_("people"), chart_id="chart-gaps", label_width=300, bar_height=16, group_gap=4,
    )
    blocks.append(Chart(chart.to_svg(), caption=""))
    blocks.append(Table(
        columns=[_("Occupation (SSYK)"), _("Demand"), _("Supply"), _("Gap"), _("Shortage (Yrkesbarometer)")],
        rows=[[f"{row.ssyk4_code} {row.label}", _demand(row), people(row.supply), people(row.gap),
               _("yes") if row.shortage else _("no")] for row in gaps],
        numeric_columns=frozenset({1, 2, 3}),
    ))
    if any(row.suppressed for row in gaps):
        blocks.append(_mark_note())
    return blocks


def _shortages(report: RegionalReport) -> list[Block]:
    blocks: list[Block] = [Heading(_("Shortage occupations (Yrkesbarometer)"))]
    if not report.shortages:
        blocks.append(Paragraph(_("The Yrkesbarometer judges no occupation short of workers in %(lan)s.")
                                % {"lan": report.lan.label}))
    with_figures = [s for s in report.shortages if s.figures]
    others = [s for s in report.shortages if not s.figures]
    if with_figures:
        blocks.append(Paragraph(_("Occupations where the Yrkesbarometer sees large job opportunities in %(lan)s "
                                  "(a sign of shortage of workers), with the registered demand and the planned "
                                  "supply.") % {"lan": report.lan.label}))
        blocks.append(Table(
            columns=[_("Occupation (SSYK)"), _("Yrkesbarometer occupations"), _("Demand"), _("Supply")],
            rows=[[f"{s.ssyk4_code} {s.label}", ", ".join(s.occupations), _demand(s.figures),
                   people(s.figures.supply)] for s in with_figures],
            numeric_columns=frozenset({2, 3}),
        ))
        if any(s.figures.suppressed for s in with_figures):
            blocks.append(_mark_note())
    if others:
        text = _("Shortage occupations without registered demand or planned programmes in %(lan)s (%(count)s): "
                 "%(occupations)s.") % {"lan": report.lan.label, "count": len(others),
                                        "occupations": ", ".join(s.label for s in others)}
        blocks.append(Paragraph(sentence(text)))
    if report.attribution:
        blocks.append(Paragraph(report.attribution + "."))
    return blocks


def _equality(report: RegionalReport) -> list[Block]:
    blocks: list[Block] = [Heading(_("Open to validation and language-integrated training"))]
    rows = [row for row in report.fields if row.demand or row.flags_suppressed]
    if not rows:
        return blocks + [Paragraph(_("No registered demand for this horizon."))]
    blocks.append(Paragraph(_("People in demand whose employers accept validation of prior learning, and whose "
                              "employers welcome language-integrated training (for example Swedish alongside "
                              "vocational training).")))
    total = report.total
    table_rows = [[row.label or _("No occupation field"), _demand(row),
                   _starred(people(row.validation_accepted), row.flags_suppressed),
                   _starred(people(row.language_integrated_welcome), row.flags_suppressed)]
                  for row in rows + [total]]
    table_rows[-1][0] = _("In total")
    blocks.append(Table(
        columns=[_("Occupation field"), _("Demand"), _("Validation accepted"), _("Language-integrated welcome")],
        rows=table_rows, numeric_columns=frozenset({1, 2, 3}),
    ))
    if total.suppressed or total.flags_suppressed:
        blocks.append(_mark_note())
    return blocks


def _short_date(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _arenas(report: RegionalReport) -> list[Block]:
    section, lan = report.arenas, report.lan.label
    blocks: list[Block] = [Heading(_("Branch arenas")), Paragraph(_(
        "Active branch arenas of %(lan)s: those with a session since %(date)s (held or coming) or with an open "
        "action item.") % {"lan": lan, "date": _short_date(section.since)})]
    if not section.sees_every_arena:
        blocks.append(Paragraph(_(
            "An arena is shown only to its members and to the coordinators of %(lan)s: this section lists the "
            "active arenas you take part in, and of the others only their public decisions.") % {"lan": lan}))
    if not section.arenas:
        blocks.append(Paragraph(_("No active branch arenas in %(lan)s.") % {"lan": lan} if section.sees_every_arena
                                else _("You take part in no active branch arena in %(lan)s.") % {"lan": lan}))
    else:
        blocks.append(Table(
            columns=[_("Arena"), _("Stage of collaboration"), _("At this stage since"), _("Next session"),
                     _("Open action items"), _("Of which overdue")],
            rows=[[arena.name, arena.stage, _short_date(arena.stage_since),
                   _short_date(arena.next_session) if arena.next_session else _("none planned"),
                   len(arena.open_actions), arena.overdue] for arena in section.arenas],
            numeric_columns=frozenset({4, 5})))
    for arena in section.arenas:
        blocks.append(Heading(arena.name, level=2))
        blocks.append(Bullets([
            _("Branch: %(branch)s") % {"branch": ", ".join(arena.branch) or _("not given")},
            _("Sessions held since %(date)s: %(count)s") % {"date": _short_date(section.since),
                                                             "count": arena.sessions_held}]))
        if not arena.open_actions:
            blocks.append(Paragraph(_("No open action items.")))
            continue
        blocks.append(Table(
            columns=[_("Action item"), _("Owner"), _("Due date"), _("Status")],
            rows=[[action.text, action.owner, _short_date(action.due_on),
                   _("%(status)s, overdue") % {"status": action.status} if action.overdue else action.status]
                  for action in arena.open_actions],
            caption=_("Open action items")))
    if not section.sees_every_arena:
        blocks.append(Heading(_("Public decisions of other arenas"), level=2))
        if section.public_decisions:
            blocks.append(Table(columns=[_("Arena"), _("Session"), _("Decision")],
                                rows=[[d.arena, _short_date(d.held_on), d.text] for d in section.public_decisions]))
        else:
            blocks.append(Paragraph(_("No public decisions since %(date)s.") % {"date": _short_date(section.since)}))
    return blocks


def _about(report: RegionalReport) -> list[Block]:
    return [Heading(_("About the figures")), Paragraph(_(
        "Demand: people in the active needs employers have registered on Matchplats that count as demand "
        "(confirmed within the last six months and 30 days), needed by %(date)s. Supply: places of intakes of "
        "granted, running and planned programmes given in the county that complete between today and %(date)s; a "
        "programme with several occupations splits its places equally, so no place is counted twice. Gap: demand "
        "minus supply. Needs the reader may not read one by one are counted only in whole groups from at least 3 "
        "employers; a smaller hidden part is left out and marked. The same figures are on the dimensioning page.")
        % {"date": date_format(report.horizon_date)})]


SECTIONS: tuple[Callable[[RegionalReport], list[Block]], ...] = (
    _summary, _demand_and_supply, _largest_gaps, _shortages, _equality, _arenas, _about,
)


def regional_report_document(report: RegionalReport) -> Report:
    horizon = _("%(horizon)s (until %(date)s)") % {"horizon": dict(BY_HORIZON_CHOICES)[report.horizon],
                                                   "date": date_format(report.horizon_date)}
    return Report(
        title=_("Status report, %(lan)s") % {"lan": report.lan.label},
        subtitle=_("Regional status report: competence demand and planned programmes"),
        meta=[(_("County"), report.lan.label),
              (_("Horizon"), horizon),
              (_("As of"), date_format(report.today)),
              (_("Source"), "Matchplats")],
        blocks=[block for section in SECTIONS for block in section(report)],
    )


def regional_report_pdf(report: RegionalReport) -> bytes:
    return render_pdf(regional_report_document(report))


def regional_report_docx(report: RegionalReport) -> bytes:
    return render_docx(regional_report_document(report))
