"""Malformed files fed to the need and programme importers: random bytes, CSV with wrong
delimiters, unbalanced quotes, BOMs, NULs, enormous cells, wrong column sets and random Unicode,
and XLSX that is random zip bytes, truncated, or holds cells of the wrong types. The reader only
ever raises ImportFileError (a clear message), a real import that is refused writes nothing, and
the upload page never answers with a server error."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from employers.importing import NEED_HEADERS, need_import_file
from matchplats.core.importing import ImportFileError, read_table
from providers.importing import PROGRAMME_HEADERS, programme_import_file
from tests.badinput.conftest import client_for
from tests.badinput.support import count_input, field_value, hostile_text, row_counts, tried

pytestmark = [pytest.mark.django_db, pytest.mark.badinput]

HEADERS = sorted(set(NEED_HEADERS) | set(PROGRAMME_HEADERS))
GOOD_CELLS = ["5321", "Undersköterska", "3", "1y", "1 år", "Karlstad", "1780", "17", "ja", "nej", "public",
              "2027-08-30", "2027-08-30:25", "yh", "Yrkeshögskola", "active"]

cell = st.one_of(st.sampled_from(GOOD_CELLS), field_value(), st.text(max_size=5))


@st.composite
def csv_files(draw) -> bytes:
    headers = draw(st.lists(st.one_of(st.sampled_from(HEADERS), hostile_text), min_size=0, max_size=12))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", ":", " ", ";;"]))
    rows = [headers] + draw(st.lists(st.lists(cell, max_size=len(headers) + 2), max_size=6))
    quote = draw(st.sampled_from(['"', "", "'"]))
    lines = []
    for row in rows:
        cells = [f"{quote}{value}{quote}" if draw(st.booleans()) else value for value in row]
        if draw(st.integers(0, 7)) == 0:
            cells.append('"unbalanced')
        lines.append(delimiter.join(cells))
    text = draw(st.sampled_from(["\n", "\r\n", "\r", "\x00"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
    return data


xlsx_cell = st.one_of(
    st.sampled_from(GOOD_CELLS), st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=20),
    st.integers(min_value=-(10 ** 15), max_value=10 ** 15), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(), st.dates(min_value=dt.date(1900, 3, 1)), st.datetimes(min_value=dt.datetime(1900, 3, 1)),
)


@st.composite
def xlsx_files(draw) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    headers = draw(st.lists(st.one_of(st.sampled_from(HEADERS), xlsx_cell), max_size=10))
    sheet.append(headers)
    for row in draw(st.lists(st.lists(xlsx_cell, max_size=len(headers) + 2), max_size=5)):
        sheet.append(row)
    if draw(st.booleans()):
        workbook.create_sheet("Andra").append(["x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    damage = draw(st.sampled_from(["none", "none", "truncate", "flip", "zip-prefix"]))
    # Positions drawn independently of the file's length (which varies with its timestamps), so
    # replaying an example draws the same choices.
    if damage == "truncate":
        data = data[:draw(st.integers(0, 10 ** 6)) % len(data)]
    elif damage == "flip":
        at = draw(st.integers(0, 10 ** 6)) % len(data)
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]
    elif damage == "zip-prefix":
        data = b"PK\x03\x04" + draw(st.binary(max_size=200))
    return data


any_file = st.one_of(
    st.tuples(csv_files(), st.sampled_from(["behov.csv", "utbildningar.csv", "fil.txt", "utan-filändelse"])),
    st.tuples(xlsx_files(), st.sampled_from(["behov.xlsx", "fil.csv"])),
    st.tuples(st.binary(max_size=300), st.sampled_from(["slump.csv", "slump.xlsx"])),
)


@settings(max_examples=2800)
@given(upload=any_file)
def test_the_reader_answers_any_file_with_a_table_or_a_clear_file_error(upload):
    data, file_name = upload
    count_input()
    try:
        table = read_table(data=data, file_name=file_name)
    except ImportFileError as error:
        assert error.messages and all(str(message).strip() for message in error.messages)
    else:
        assert table.rows and all(len(row.values) == len(table.columns) for row in table.rows)


@settings(max_examples=200)
@given(upload=any_file)
def test_a_refused_need_import_writes_nothing(objects, upload):
    data, file_name = upload
    count_input()
    before = row_counts()
    try:
        need_import_file(actor=objects.world.employer_user, organisation=objects.world.employer, data=data,
                         file_name=file_name)
    except ImportFileError:
        assert row_counts() == before


@settings(max_examples=200)
@given(upload=any_file)
def test_a_refused_programme_import_writes_nothing(objects, upload):
    data, file_name = upload
    count_input()
    before = row_counts()
    try:
        programme_import_file(actor=objects.world.provider_user, organisation=objects.world.provider, data=data,
                              file_name=file_name)
    except ImportFileError:
        assert row_counts() == before


@pytest.mark.parametrize("page, who", [("employers:import", "employer_user"), ("providers:import", "provider_user")])
@settings(max_examples=25)
@given(upload=any_file, organisation=st.one_of(st.none(), hostile_text))
def test_any_upload_gets_a_page_not_a_server_error_and_the_preview_writes_nothing(objects, page, who, upload,
                                                                                 organisation):
    user = getattr(objects.world, who)
    organisation_id = objects.world.employer.pk if who == "employer_user" else objects.world.provider.pk
    data, file_name = upload
    before = row_counts()
    response = client_for(user).post(reverse(page), {
        "organisation": organisation_id if organisation is None else organisation,
        "file": SimpleUploadedFile(file_name, data)})
    tried(response)
    assert response.status_code < 500
    assert row_counts() == before
