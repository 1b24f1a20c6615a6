"""The document machinery (matchplats/core/reports.py): the PDF opens and keeps Swedish text,
tables cross pages with their header, charts keep their labels; the DOCX has Word headings and
tables."""

import io

import pytest
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from matchplats.core.reports import (
    Bullets,
    Chart,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
    render_docx,
    render_pdf,
)

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160" viewBox="0 0 400 160" '
       'font-family="DejaVu Sans, sans-serif"><rect x="10" y="10" width="200" height="40" fill="#1f5f8b"/>'
       '<text x="10" y="80" font-size="14" fill="#222">Undersköterskor ≥ 12</text>'
       '<g transform="translate(200,100)"><title>Gruppens namn</title><rect x="0" y="0" width="80" height="20" '
       'fill="#e8a33d"/><text x="-4" y="14" text-anchor="end" font-weight="bold">CNC-operatörer</text></g></svg>')


def _report(rows: int = 3) -> Report:
    return Report(
        title="Underlag: Vård – äldreomsorg", subtitle="Komvux Karlstad", meta=[("Län", "Värmlands län")],
        blocks=[Heading("Behov i länet", 1), Paragraph("Åtta arbetsgivare i Säffle och Ämål, é ≥ 3."),
                Bullets(["Första punkten", "Andra punkten"]), Heading("Detaljer", 2),
                Table(["Yrke", "Antal"], [[f"Yrke {i}", i] for i in range(rows)], caption="Tabell över yrken",
                      numeric_columns=frozenset({1})),
                Chart(SVG, "Figur: efterfrågan"), PageBreak(), Paragraph("Sista sidan\x07")])


def _pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_pdf_opens_and_keeps_swedish_characters():
    text = "\n".join(_pdf_pages(render_pdf(_report())))
    for expected in ("Underlag: Vård – äldreomsorg", "Behov i länet", "Säffle och Ämål, é ≥ 3", "Första punkten",
                     "Tabell över yrken", "Sista sidan"):
        assert expected in text


def test_every_pdf_page_carries_the_title_and_its_page_number_in_swedish():
    with translation.override("sv"):
        pages = _pdf_pages(render_pdf(_report()))
    assert len(pages) == 2
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av 2" in text
        assert "Underlag: Vård – äldreomsorg" in text and "Skapad" in text


def test_a_long_table_breaks_across_pages_and_repeats_its_header_row():
    pages = _pdf_pages(render_pdf(_report(rows=150)))
    table_pages = [text for text in pages if "Yrke 1" in text or "Yrke 149" in text or "Yrke 80" in text]
    assert len(table_pages) >= 3
    assert all("Yrke Antal" in text for text in table_pages)
    assert "Yrke 149" in "\n".join(pages)


def test_a_chart_is_embedded_with_its_text_labels():
    text = "\n".join(_pdf_pages(render_pdf(_report())))
    assert "Undersköterskor ≥ 12" in text and "Figur: efterfrågan" in text
    assert "CNC-operatörer" in text


def test_a_charts_screen_reader_title_and_description_stay_out_of_the_pdf_without_warnings(caplog):
    described = SVG.replace("<rect", "<title>Skärmläsartitel</title><desc>Beskrivning</desc><rect", 1)
    report = Report(title="Diagram", blocks=[Chart(described, "")])
    with caplog.at_level("WARNING"):
        text = "\n".join(_pdf_pages(render_pdf(report)))
    assert "Undersköterskor ≥ 12" in text
    assert "Skärmläsartitel" not in text and "Beskrivning" not in text
    assert not [record for record in caplog.records if record.name.startswith("fpdf")]


def test_a_docx_has_word_headings_a_table_with_a_header_row_and_the_charts_caption():
    document = Document(io.BytesIO(render_docx(_report())))
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert ("Title", "Underlag: Vård – äldreomsorg") in styles
    assert ("Heading 1", "Behov i länet") in styles and ("Heading 2", "Detaljer") in styles
    assert ("List Bullet", "Första punkten") in styles
    assert ("Caption", "Figur: efterfrågan") in styles
    assert "Sista sidan" in [text for _style, text in styles]
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Yrke", "Antal"]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    assert [cell.text for cell in table.rows[3].cells] == ["Yrke 2", "2"]


def test_an_unknown_block_is_an_error_not_a_silent_gap():
    with pytest.raises(TypeError):
        render_pdf(Report(title="x", blocks=["not a block"]))
    with pytest.raises(TypeError):
        render_docx(Report(title="x", blocks=["not a block"]))
