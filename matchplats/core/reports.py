"""Documents people download: a tiny document model rendered as PDF and as DOCX.

A ``Report`` is a title, a subtitle, a few facts (``meta``) and a list of blocks — ``Heading``,
``Paragraph``, ``Bullets``, ``Table``, ``Chart`` (a self-contained SVG string) and
``PageBreak``; each block names its ``kind``, so ``templates/includes/report.html`` previews the
same blocks as HTML. The evidence pack for a YH application and the regional status report build one
and call ``render_pdf`` or ``render_docx``; neither knows where the figures came from, so the
disclosure rule is applied before a block is made (docs/evidence.md).

Both renderers are pure Python and need nothing from the operating system:
- PDF through fpdf2 with DejaVu Sans (regular and bold) shipped in ``matchplats/core/fonts/``
  (Bitstream Vera licence, LICENSE.txt there), so å, ä, ö, é, – and ≥ render everywhere. Every
  page has the title and the date of generation at the top and "Sida X av Y" at the bottom;
  tables break across pages and repeat their header row; charts are embedded with fpdf2's SVG
  support, which draws rectangles, paths and ``<text>`` labels with the same font.
- DOCX through python-docx with Word's own styles (Title, Heading 1–3, List Bullet), tables
  with a header row that repeats on each page, and page numbers in the footer. A chart becomes
  its caption and a note that the figure is in the PDF (python-docx cannot draw SVG and no
  pure-Python rasteriser is installed).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu Sans"
"""The family name charts use in ``font-family``; fpdf2 looks SVG fonts up by this name."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True)
class Heading:
    kind = "heading"
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    kind = "paragraph"
    text: str


@dataclass(frozen=True)
class Bullets:
    kind = "bullets"
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    kind = "table"
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    caption: str = ""
    numeric_columns: frozenset[int] = frozenset()
    """Indexes of columns whose cells are right-aligned (figures)."""


@dataclass(frozen=True)
class Chart:
    kind = "chart"
    svg: str
    caption: str


@dataclass(frozen=True)
class PageBreak:
    kind = "pagebreak"


Block = Heading | Paragraph | Bullets | Table | Chart | PageBreak


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str = ""
    meta: Sequence[tuple[str, str]] = ()
    """Facts under the title, as (label, value) pairs: who it is for, the period, the source."""
    blocks: Sequence[Block] = ()
    generated_at: dt.datetime = field(default_factory=timezone.now)


def _clean(value: object) -> str:
    """A cell or paragraph as text: None as a dash, control characters removed (they cannot be
    drawn and python-docx refuses them)."""
    if value is None:
        return "–"
    return _CONTROL.sub("", str(value))


def _generated(report: Report) -> str:
    return timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")


# --- PDF -----------------------------------------------------------------------------------------

_HEADING_SIZES = {1: 15, 2: 12.5, 3: 11}
_BODY_SIZE = 10
_SMALL_SIZE = 8
_GREY = (90, 90, 90)
_HEADER_FILL = (225, 232, 240)
_TABLE_SIZE = 9
_CELL_PADDING_MM = 1.2
_MIN_SPACE_AFTER_HEADING_MM = 45
"""A heading with less room than this below it starts a new page, so it stays with its text."""
_MIN_SPACE_FOR_TABLE_MM = 25
_SVG_SIZE = re.compile(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"')


def _pdf_class():
    from fpdf import FPDF

    class _ReportPDF(FPDF):
        def __init__(self, report: Report):
            super().__init__(format="A4")
            self.report = report
            self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.set_margins(18, 20, 18)
            self.set_auto_page_break(True, margin=18)
            self.set_title(_clean(report.title))
            self.set_creator("Matchplats")
            self.set_lang(get_language() or "sv")

        def header(self):
            self.set_font(FONT_FAMILY, "", _SMALL_SIZE)
            self.set_text_color(*_GREY)
            self.set_y(9)
            generated = _("Generated %(date)s") % {"date": _generated(self.report)}
            room = self.epw - self.get_string_width(generated) - 6
            self.cell(room, 5, _fit(self, _clean(self.report.title), room), new_x="RIGHT", new_y="TOP")
            self.cell(self.epw - room, 5, generated, align="R")
            self.set_text_color(0, 0, 0)
            self.set_y(20)

        def footer(self):
            self.set_y(-13)
            self.set_font(FONT_FAMILY, "", _SMALL_SIZE)
            self.set_text_color(*_GREY)
            self.cell(0, 5, _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}, align="C")
            self.set_text_color(0, 0, 0)

    return _ReportPDF


def _fit(pdf, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _space_left(pdf) -> float:
    return pdf.h - pdf.b_margin - pdf.get_y()


def _pdf_heading(pdf, block: Heading) -> None:
    if _space_left(pdf) < _MIN_SPACE_AFTER_HEADING_MM:
        pdf.add_page()
    pdf.ln(3 if block.level > 1 else 5)
    pdf.set_font(FONT_FAMILY, "B", _HEADING_SIZES.get(block.level, _BODY_SIZE + 1))
    pdf.multi_cell(0, 7 if block.level == 1 else 6, _clean(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT_FAMILY, "", _BODY_SIZE)


def _pdf_paragraph(pdf, text: str) -> None:
    pdf.set_font(FONT_FAMILY, "", _BODY_SIZE)
    pdf.multi_cell(0, 5, _clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _pdf_bullets(pdf, block: Bullets) -> None:
    pdf.set_font(FONT_FAMILY, "", _BODY_SIZE)
    for item in block.items:
        pdf.set_x(pdf.l_margin + 2)
        pdf.cell(5, 5, "•")
        pdf.multi_cell(pdf.epw - 7, 5, _clean(item), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _pdf_caption(pdf, text: str) -> None:
    if text:
        pdf.set_font(FONT_FAMILY, "B", _BODY_SIZE - 1)
        pdf.multi_cell(0, 5, _clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def _column_widths(pdf, block: Table) -> list[float]:
    """Column widths in mm: every column is at least as wide as its longest word (no word is
    broken inside a cell), and the rest of the page width goes to the columns with most text."""
    padding = 2 * _CELL_PADDING_MM + 1
    minimum, wanted = [], []
    for index, column in enumerate(block.columns):
        texts = [_clean(column)] + [_clean(row[index]) for row in block.rows]
        pdf.set_font(FONT_FAMILY, "B", _TABLE_SIZE)
        header_words = max((pdf.get_string_width(word) for word in _clean(column).split()), default=0)
        pdf.set_font(FONT_FAMILY, "", _TABLE_SIZE)
        words = max([header_words] + [pdf.get_string_width(word) for text in texts[1:] for word in text.split()])
        minimum.append(words + padding)
        wanted.append(max(minimum[-1], min(max(pdf.get_string_width(text) for text in texts) + padding, 80)))
    spare = pdf.epw - sum(minimum)
    if spare <= 0:
        return [pdf.epw * width / sum(minimum) for width in minimum]
    extra = [want - least for want, least in zip(wanted, minimum)]
    if sum(extra) <= spare:
        return [want * pdf.epw / sum(wanted) for want in wanted]
    return [least + spare * more / sum(extra) for least, more in zip(minimum, extra)]


def _pdf_table(pdf, block: Table) -> None:
    from fpdf.fonts import FontFace

    if _space_left(pdf) < _MIN_SPACE_FOR_TABLE_MM:
        pdf.add_page()
    _pdf_caption(pdf, block.caption)
    widths = _column_widths(pdf, block)
    pdf.set_font(FONT_FAMILY, "", _TABLE_SIZE)
    align = tuple("RIGHT" if i in block.numeric_columns else "LEFT" for i in range(len(block.columns)))
    with pdf.table(col_widths=widths, width=pdf.epw, text_align=align, line_height=4.6, padding=_CELL_PADDING_MM,
                   headings_style=FontFace(emphasis="BOLD", fill_color=_HEADER_FILL), repeat_headings=1,
                   borders_layout="HORIZONTAL_LINES") as table:
        table.row([_clean(column) for column in block.columns])
        for row in block.rows:
            table.row([_clean(cell) for cell in row])
    pdf.ln(4)


def _svg_aspect(svg: str) -> float:
    match = _SVG_SIZE.search(svg)
    if not match or not float(match.group(1)):
        return 0.5
    return float(match.group(2)) / float(match.group(1))


def _pdf_chart(pdf, block: Chart) -> None:
    width = pdf.epw
    height = width * _svg_aspect(block.svg)
    if _space_left(pdf) < height + 12:
        pdf.add_page()
    _pdf_caption(pdf, block.caption)
    pdf.image(io.BytesIO(block.svg.encode("utf-8")), x=pdf.l_margin, w=width, h=height)
    pdf.ln(4)


def render_pdf(report: Report) -> bytes:
    """The report as an A4 PDF."""
    pdf = _pdf_class()(report)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 20)
    pdf.multi_cell(0, 9, _clean(report.title), align="L", new_x="LMARGIN", new_y="NEXT")
    if report.subtitle:
        pdf.set_font(FONT_FAMILY, "", 12)
        pdf.multi_cell(0, 6, _clean(report.subtitle), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "B", _BODY_SIZE)
    label_width = min(max([pdf.get_string_width(_clean(label)) for label, _value in report.meta] or [0]) + 4, 70)
    for label, value in report.meta:
        pdf.set_font(FONT_FAMILY, "B", _BODY_SIZE)
        pdf.cell(label_width, 5, _fit(pdf, _clean(label), label_width - 2))
        pdf.set_font(FONT_FAMILY, "", _BODY_SIZE)
        pdf.multi_cell(0, 5, _clean(value), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for block in report.blocks:
        if isinstance(block, Heading):
            _pdf_heading(pdf, block)
        elif isinstance(block, Paragraph):
            _pdf_paragraph(pdf, block.text)
        elif isinstance(block, Bullets):
            _pdf_bullets(pdf, block)
        elif isinstance(block, Table):
            _pdf_table(pdf, block)
        elif isinstance(block, Chart):
            _pdf_chart(pdf, block)
        elif isinstance(block, PageBreak):
            pdf.add_page()
        else:
            raise TypeError(f"Unknown report block {block!r}")
    return bytes(pdf.output())


# --- DOCX ----------------------------------------------------------------------------------------


def _docx_field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    end.set(qn("w:fldCharType"), "end")
    run._r.extend([begin, text, end])


def _docx_page_header_footer(document, report: Report) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{_clean(report.title)} · {_('Generated %(date)s') % {'date': _generated(report)}}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # "Sida X av Y" with X and Y as Word fields: the words around them are translated as a whole.
    before, _page, rest = (_("Page %(page)s of %(pages)s") % {"page": "\0", "pages": "\1"}).partition("\0")
    between, _pages, after = rest.partition("\1")
    footer.add_run(before)
    _docx_field(footer, "PAGE")
    footer.add_run(between)
    _docx_field(footer, "NUMPAGES")
    footer.add_run(after)


def _docx_table(document, block: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if block.caption:
        document.add_paragraph(_clean(block.caption), style="Caption")
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for index, column in enumerate(block.columns):
        paragraph = header.cells[index].paragraphs[0]
        paragraph.add_run(_clean(column)).bold = True
        if index in block.numeric_columns:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in block.rows:
        cells = table.add_row().cells
        for index, value in enumerate(row):
            cells[index].text = _clean(value)
            if index in block.numeric_columns:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def render_docx(report: Report) -> bytes:
    """The report as a Word document (DOCX)."""
    from docx import Document

    document = Document()
    document.core_properties.title = _clean(report.title)
    document.core_properties.author = "Matchplats"
    _docx_page_header_footer(document, report)
    document.add_heading(_clean(report.title), level=0)
    if report.subtitle:
        document.add_paragraph(_clean(report.subtitle), style="Subtitle")
    for label, value in report.meta:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{_clean(label)}: ").bold = True
        paragraph.add_run(_clean(value))
    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_heading(_clean(block.text), level=min(max(block.level, 1), 3))
        elif isinstance(block, Paragraph):
            document.add_paragraph(_clean(block.text))
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(_clean(item), style="List Bullet")
        elif isinstance(block, Table):
            _docx_table(document, block)
        elif isinstance(block, Chart):
            document.add_paragraph(_clean(block.caption), style="Caption")
            document.add_paragraph(_("The figure is in the PDF version of this document."))
        elif isinstance(block, PageBreak):
            document.add_page_break()
        else:
            raise TypeError(f"Unknown report block {block!r}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
