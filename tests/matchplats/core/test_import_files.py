"""Reading import files: malformed workbooks are refused with a specific error, never a 500."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from matchplats.core import importing
from matchplats.core.importing import ImportFileError, read_table


def _workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["title", "headcount"])
    workbook.active.append(["Svetsare", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rezipped(change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return buffer.getvalue()


def _sheet(change):
    return _rezipped(lambda name, data: change(data) if name == "xl/worksheets/sheet1.xml" else data)


def _refused(data: bytes) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(data=data, file_name="behov.xlsx")
    return "\n".join(caught.value.messages)


def test_a_well_formed_workbook_is_read():
    assert [row.values for row in read_table(data=_workbook(), file_name="behov.xlsx").rows] == [
        {"title": "Svetsare", "headcount": "3"}]


def test_a_workbook_with_broken_xml_is_refused_naming_the_damage():
    message = _refused(_sheet(lambda data: data[: len(data) // 2]))
    assert "not a readable XLSX workbook" in message and "XML is damaged" in message


def test_a_workbook_with_an_external_entity_is_refused_before_it_is_parsed():
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    message = _refused(_sheet(lambda data: xxe + data))
    assert "document type declaration" in message and "sheet1.xml" in message


def test_a_workbook_with_an_entity_expansion_is_refused():
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    assert "document type declaration" in _refused(_sheet(lambda data: laughs + data))


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hej")
    assert "zip archive, but not an Excel workbook" in _refused(buffer.getvalue())


def test_a_truncated_workbook_is_refused():
    assert "not a zip archive" in _refused(_workbook()[:300])


def test_a_zip_bomb_is_refused_by_its_unpacked_size(monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 1024 * 1024)
    bomb = _sheet(lambda data: data.replace(b"Svetsare", b"S" * (3 * 1024 * 1024)))
    assert len(bomb) < 100 * 1024
    assert "unpacks to 3 MB; the limit is 1 MB" in _refused(bomb)


def test_an_apostrophe_before_a_formula_character_is_removed_on_import():
    data = b"title;note\n'=HYPERLINK(\"x\");'@home\n''=x;it's\n"
    assert read_table(data=data, file_name="x.csv").rows[0].values == {"title": '=HYPERLINK("x")', "note": "@home"}
    assert read_table(data=data, file_name="x.csv").rows[1].values == {"title": "'=x", "note": "it's"}
