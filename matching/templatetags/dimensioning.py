"""The long tables of the dimensioning page, rendered in Python: a county can have several
hundred occupations with eight drill-down links each, which the template engine renders
several times slower than ``format_html`` does (docs/dimensioning.md, Performance)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from matching.dimensioning import MARK

register = template.Library()


def figure(value: float) -> str:
    """A head count as the page shows it: whole numbers without decimals, others with one
    (``floatformat:"-1"``), in the page's locale."""
    if abs(value - round(value)) < 0.05:
        return number_format(round(value), use_l10n=True)
    return number_format(value, 1, use_l10n=True)


def _mark(marked: bool) -> SafeString:
    return format_html(' <span class="mark" title="{}">*</span>', MARK) if marked else mark_safe("")


def _outlook(row) -> SafeString:
    if not row.outlooks:
        return mark_safe("–")
    shortage = format_html(' <span class="badge warning">{}</span>', _("shortage"))
    return mark_safe("; ".join(
        format_html("{}{}", outlook.job_opportunities, shortage if outlook.shortage else "")
        for outlook in row.outlooks))


@register.simple_tag
def occupation_rows(rows) -> SafeString:
    """The body rows of the occupation table, a group header before each occupation field."""
    parts, field = [], object()
    for row, links in rows:
        if row.occupation_field_label != field:
            field = row.occupation_field_label
            parts.append(format_html('<tr class="group"><th scope="rowgroup" colspan="11">{}</th></tr>',
                                     field or _("No occupation field")))
        parts.append(format_html(
            '<tr><th scope="row">{} {}</th><td><a href="{}">{}</a></td><td><a href="{}">{}</a></td>'
            '<td><a href="{}">{}</a>{}</td><td>{}</td><td><a href="{}">{}</a></td><td><a href="{}">{}</a></td>'
            '<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            row.ssyk4_code, row.label, links["recruitment"], row.recruitment, links["upskilling"], row.upskilling,
            links["demand"], row.demand, _mark(row.suppressed), row.employers, links["supply"], figure(row.supply),
            links["applied"], figure(row.supply_applied), figure(row.gap),
            number_format(row.ratio, 2, use_l10n=True) if row.ratio is not None else "–", _outlook(row),
            "–" if row.ads is None else row.ads))
    return mark_safe("".join(parts))


@register.simple_tag
def equality_rows(rows) -> SafeString:
    return format_html_join("", '<tr><th scope="row">{} {}{}</th><td><a href="{}">{}</a></td>'
                                '<td><a href="{}">{}</a></td><td><a href="{}">{}</a></td></tr>', (
        (row.ssyk4_code, row.label, _mark(row.flags_suppressed), links["validation_accepted"], row.validation_accepted,
         links["language_integrated_welcome"], row.language_integrated_welcome, links["broadened_recruitment"],
         row.broadened_recruitment) for row, links in rows))
