"""Tabular downloads: the same header and rows as CSV or XLSX. Every export goes through
``table_response``, so every export is safe to open in a spreadsheet.

- CSV is UTF-8 with a byte-order mark and semicolon-separated, as Swedish Excel opens it.
- A text cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) is written with a leading apostrophe (``'=…``), in CSV
  and XLSX alike; numbers and dates stay numbers and dates. The importers remove that
  apostrophe again (``unneutralise``), so an export imports back unchanged.
- Characters XLSX cannot hold (control characters other than tab and line breaks) are replaced
  with U+FFFD, so stored data never makes an export fail.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
CSV_DELIMITER = ";"
FORMULA_PREFIX = "'"
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REPLACEMENT = "\ufffd"


def neutralise(value: str) -> str:
    """``value`` as a cell no spreadsheet runs as a formula. A value that already starts with
    apostrophes before a formula character gets one more, so ``unneutralise`` is its exact inverse."""
    value = _ILLEGAL.sub(REPLACEMENT, value)
    return FORMULA_PREFIX + value if _FORMULA_START.match(value) else value


def unneutralise(value: str) -> str:
    """The inverse of ``neutralise`` for an imported cell: one leading apostrophe before a
    formula character is removed."""
    return value[1:] if _NEUTRALISED.match(value) else value


def export_cell(value: object) -> object:
    """A cell as it is written: text neutralised, everything else as it is."""
    return neutralise(value) if isinstance(value, str) else value


def csv_bytes(*, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The CSV file of ``table_response`` as bytes: UTF-8 with BOM, semicolons, CRLF, formulas
    neutralised (also for files that are stored, like the open data snapshots)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([export_cell(cell) for cell in header])
    writer.writerows([export_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_response(*, header: Sequence[str], rows: Iterable[Sequence], file_stem: str, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        raise ValueError(f"Unknown export format {file_format!r}; use one of {FORMATS}.")
    if file_format == "csv":
        response = HttpResponse(csv_bytes(header=header, rows=rows), content_type="text/csv; charset=utf-8")
    else:
        header = [export_cell(cell) for cell in header]
        cleaned = ([export_cell(cell) for cell in row] for row in rows)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(file_stem[:31])
        sheet.append(header)
        for row in cleaned:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{file_format}"'
    return response
