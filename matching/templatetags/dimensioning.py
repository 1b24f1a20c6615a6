"""The long tables of the dimensioning page, rendered in Python: a county can have several
hundred occupations with eight drill-down links each, which the template engine renders
several times slower than plain string building does (docs/dimensioning.md, Performance).
Every text is escaped with ``html.escape``; numbers use the page's decimal separator."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from matching.dimensioning import MARK

register = template.Library()


class _Numbers:
    """Head counts and ratios as the page shows them — whole numbers without decimals, others
    with one (``floatformat:"-1"``), ratios with two — with the active language's decimal
    separator, looked up once per table rather than once per figure."""

    def __init__(self):
        self.separator = get_format("DECIMAL_SEPARATOR")

    def figure(self, value: float) -> str:
        if abs(value - round(value)) < 0.05:
            return str(round(value))
        return f"{value:.1f}".replace(".", self.separator)

    def ratio(self, value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}".replace(".", self.separator)


def _mark_html() -> str:
    return f' <span class="mark" title="{escape(str(MARK))}">*</span>'


def _outlook(row, shortage: str) -> str:
    if not row.outlooks:
        return "–"
    return "; ".join(escape(str(outlook.job_opportunities)) + (shortage if outlook.shortage else "")
                     for outlook in row.outlooks)


def _link(href: str, text) -> str:
    return f'<a href="{escape(href)}">{escape(str(text))}</a>'


@register.simple_tag
def occupation_rows(rows) -> SafeString:
    """The body rows of the occupation table, a group header before each occupation field."""
    numbers, mark = _Numbers(), _mark_html()
    shortage = f' <span class="badge warning">{escape(_("shortage"))}</span>'
    parts, field = [], object()
    for row, links in rows:
        if row.occupation_field_label != field:
            field = row.occupation_field_label
            parts.append(f'<tr class="group"><th scope="rowgroup" colspan="11">'
                         f'{escape(field or _("No occupation field"))}</th></tr>')
        parts.append(
            f'<tr><th scope="row">{escape(row.ssyk4_code)} {escape(row.label)}</th>'
            f'<td>{_link(links["recruitment"], row.recruitment)}</td>'
            f'<td>{_link(links["upskilling"], row.upskilling)}</td>'
            f'<td>{_link(links["demand"], row.demand)}{mark if row.suppressed else ""}</td>'
            f'<td>{row.employers}</td>'
            f'<td>{_link(links["supply"], numbers.figure(row.supply))}</td>'
            f'<td>{_link(links["applied"], numbers.figure(row.supply_applied))}</td>'
            f'<td>{numbers.figure(row.gap)}</td><td>{numbers.ratio(row.ratio)}</td>'
            f'<td>{_outlook(row, shortage)}</td><td>{"–" if row.ads is None else row.ads}</td></tr>')
    return mark_safe("".join(parts))


@register.simple_tag
def equality_rows(rows) -> SafeString:
    mark = _mark_html()
    return mark_safe("".join(
        f'<tr><th scope="row">{escape(row.ssyk4_code)} {escape(row.label)}{mark if row.flags_suppressed else ""}</th>'
        f'<td>{_link(links["validation_accepted"], row.validation_accepted)}</td>'
        f'<td>{_link(links["language_integrated_welcome"], row.language_integrated_welcome)}</td>'
        f'<td>{_link(links["broadened_recruitment"], row.broadened_recruitment)}</td></tr>'
        for row, links in rows))
