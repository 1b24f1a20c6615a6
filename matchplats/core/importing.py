"""Reading tabular import files (CSV or XLSX) the same way for every importer.

Both importers (``providers.importing`` and ``employers.importing``) read their files through
this module, so size limits, encodings, CSV dialects, XLSX sheets, header checks and the typed
cell parsers behave — and report errors — identically. Errors name the row (the 1-based line in
the file; the header is row 1) and the column, are collected (up to ``MAX_ERRORS``) instead of
stopping at the first, and are raised together as one ``ImportFileError`` before anything is
written.

It also keeps uploaded files between the preview and the confirmation of an upload
(``upload_store`` / ``upload_load``): the bytes stay on the server, bound to the user who
uploaded them, and are read and validated again when the import is confirmed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import secrets
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from matchplats.core.exports import unneutralise
from matchplats.core.models import ImportRun
from matchplats.core.params import is_plain_number
from matchplats.core.validators import validate_multiline, validate_single_line

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # what a 20 MB workbook unpacks to, with a wide margin
MAX_ERRORS = 50
# Lists inside one cell (kommuner, skills, intakes): exports write "|", imports read "|" or ";"
# (a semicolon is also the CSV delimiter Swedish Excel uses, so exports avoid it inside cells).
LIST_SEPARATOR_OUT = "|"
_LIST_SEPARATORS = re.compile(r"[|;]")

FORMAT_CSV = "csv"
FORMAT_XLSX = "xlsx"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


# --- errors ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do); the importers add their own details."""

    file_format: str
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    import_run: ImportRun | None = None
    # The new and changed rows, for the preview and the command's listing: at most ``item_limit``
    # of them (None: all), so a preview of a big file holds counts plus the first rows only.
    items: list = field(default_factory=list)
    item_limit: int | None = None
    # New rows that look like something already stored (each item says what: ``duplicate_of``),
    # flagged in the preview instead of being silently added as a second one.
    likely_duplicates: int = 0

    def record(self, item) -> None:
        """Count one planned row (``item.action``: create, update or unchanged) and keep it if it
        is new or changed and the limit allows."""
        if item.action == "create":
            self.created += 1
        elif item.action == "update":
            self.updated += 1
        else:
            self.unchanged += 1
            return
        if self.item_limit is None or len(self.items) < self.item_limit:
            self.items.append(item)

    def counts(self) -> str:
        return f"rows {self.rows}  created {self.created}  updated {self.updated}  unchanged {self.unchanged}"


@dataclass(frozen=True)
class RowError:
    """One problem in a file: where (row = line in the file, header = 1; column) and what."""

    message: str
    row: int | None = None
    column: str | None = None
    source: str = ""

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportFileError(Exception):
    """The file was rejected; ``errors`` says where and why. Nothing has been written."""

    def __init__(self, errors: Iterable[RowError], *, truncated: bool = False):
        self.errors = list(errors)
        self.truncated = truncated
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        lines = [str(error) for error in self.errors]
        if self.truncated:
            lines.append(_("Only the first %(count)s problems are shown.") % {"count": len(self.errors)})
        return lines


class ErrorCollector:
    """Collects row errors up to a cap; ``raise_if_any`` turns them into one ImportFileError."""

    def __init__(self, *, source: str = "", limit: int = MAX_ERRORS):
        self.source = source
        self.limit = limit
        self.errors: list[RowError] = []
        self.truncated = False

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        if len(self.errors) >= self.limit:
            self.truncated = True
            return
        self.errors.append(RowError(message=message, row=row, column=column, source=self.source))

    def extend(self, other: ErrorCollector) -> None:
        for error in other.errors:
            if len(self.errors) >= self.limit:
                self.truncated = True
                return
            self.errors.append(error)
        self.truncated = self.truncated or other.truncated

    @property
    def full(self) -> bool:
        return len(self.errors) >= self.limit

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportFileError(self.errors, truncated=self.truncated)


def file_error(message: str, *, row: int | None = None, column: str | None = None, source: str = "") -> ImportFileError:
    return ImportFileError([RowError(message=message, row=row, column=column, source=source)])


# --- reading -----------------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # line in the file where the row starts; the header is row 1
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Table:
    file_name: str
    file_format: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.columns


def check_size(size: int, *, source: str = "") -> None:
    """Reject a file that is too big before anything reads it."""
    if size > MAX_FILE_BYTES:
        raise file_error(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_FILE_BYTES // (1024 * 1024)},
            source=source,
        )


def read_path(path: str | Path, *, source: str = "") -> tuple[str, bytes]:
    """The name and bytes of a file on disk, size-checked before it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise file_error(_("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror or error},
                         source=source) from None
    check_size(size, source=source)
    return path.name, path.read_bytes()


def column_key(heading: object) -> str:
    """Header text → column key: trimmed, lower case, spaces and hyphens as underscores."""
    text = unicodedata.normalize("NFC", str(heading or "")).replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


def detect_format(data: bytes, file_name: str) -> str:
    suffix = Path(file_name or "").suffix.lower()
    if data.startswith(_ZIP_MAGIC):
        return FORMAT_XLSX
    if data.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise file_error(_("Old Excel files (.xls) are not supported; save the sheet as .xlsx or as CSV (UTF-8)."))
    if suffix in {".xlsx", ".xlsm"}:
        raise file_error(_("The file is named .xlsx but is not an Excel workbook."))
    return FORMAT_CSV


def _decode(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise file_error(
            _("The file is not UTF-8 (row %(row)s). Save it as UTF-8 (in Excel: “CSV UTF-8”) and try again.")
            % {"row": line},
            source=source,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise file_error(_("The file contains binary data; upload a CSV (UTF-8) or XLSX file."), row=line,
                         source=source)
    return text


def _sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_records(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line), strict=False)
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as error:
        raise file_error(_("The file is not valid CSV: %(reason)s") % {"reason": error}, row=start,
                         source=source) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_XML_HEAD_BYTES = 64 * 1024
_XML_ROOT = re.compile(rb"<[A-Za-z_]")
# What openpyxl may raise on a damaged workbook: broken XML, missing or corrupt parts.
_XLSX_READ_ERRORS = (zipfile.BadZipFile, zlib.error, ParseError, InvalidFileException, KeyError, ValueError,
                     TypeError, AttributeError, IndexError, EOFError, OSError)


def _xlsx_error(message: str, source: str) -> ImportFileError:
    return file_error(_("The file is not a readable XLSX workbook: %(reason)s") % {"reason": message}, source=source)


def _xlsx_damaged(error: Exception, source: str) -> ImportFileError:
    reason = str(error) or error.__class__.__name__
    if isinstance(error, ParseError):
        return _xlsx_error(_("its XML is damaged (%(reason)s).") % {"reason": reason}, source)
    return _xlsx_error(_("it is damaged (%(reason)s).") % {"reason": reason}, source)


def check_xlsx(data: bytes, *, source: str = "") -> None:
    """Refuse a workbook before any XML parser sees it: not a zip, a zip that is not a workbook,
    a zip that unpacks to far more than it weighs (a zip bomb), or XML with a document type
    declaration (entity expansion, external entities — Excel never writes one)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _xlsx_error(_("it is not a zip archive."), source) from None
    with archive:
        names = set(archive.namelist())
        if not all(part in names for part in _XLSX_REQUIRED_PARTS):
            raise _xlsx_error(_("it is a zip archive, but not an Excel workbook."), source)
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise _xlsx_error(_("it unpacks to %(size)s MB; the limit is %(limit)s MB.")
                              % {"size": unpacked // (1024 * 1024), "limit": MAX_UNPACKED_BYTES // (1024 * 1024)},
                              source)
        try:
            for info in archive.infolist():
                if not info.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(info) as part:
                    head = part.read(_XML_HEAD_BYTES).replace(b"\x00", b"")
                # A declaration can only come before the root element, so the head decides.
                root = _XML_ROOT.search(head)
                if root is None:
                    raise _xlsx_error(_("the part %(part)s is not XML.") % {"part": info.filename}, source)
                if any(declaration in head[: root.start()].upper() for declaration in _XML_DECLARATIONS):
                    raise _xlsx_error(_("it contains an XML document type declaration (%(part)s), which "
                                        "spreadsheets never write.") % {"part": info.filename}, source)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError):
            raise _xlsx_error(_("a part of the archive is damaged."), source) from None


def _xlsx_records(data: bytes, source: str) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    check_xlsx(data, source=source)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _XLSX_READ_ERRORS as error:
        raise _xlsx_damaged(error, source) from None
    try:
        if not workbook.worksheets:
            raise file_error(_("The workbook has no sheets."), source=source)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except _XLSX_READ_ERRORS as error:
                raise _xlsx_damaged(error, source) from None
            number += 1
            yield number, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def read_table(
    *, data: bytes, file_name: str, known_columns: Iterable[str] | None = None, required_columns: Iterable[str] = (),
    aliases: dict[str, str] | None = None, source: str = "",
) -> Table:
    """Read a CSV (UTF-8, with or without BOM; comma, semicolon or tab) or XLSX (first sheet)
    file whose first row is the header. Checks size, encoding and the header (unless
    ``known_columns`` is None: then call ``check_columns`` once you know the layout); raises
    ``ImportFileError`` naming every missing and unknown column. Blank rows are skipped."""
    check_size(len(data), source=source)
    file_format = detect_format(data, file_name)
    records = _xlsx_records(data, source) if file_format == FORMAT_XLSX else _csv_records(_decode(data, source), source)
    aliases = aliases or {}

    header_row = next(records, None)
    if header_row is None:
        raise file_error(_("The file is empty."), source=source)
    headings = [column_key(heading) for heading in header_row[1]]
    while headings and not headings[-1]:
        headings.pop()
    errors = ErrorCollector(source=source)
    columns: list[str] = []
    for index, heading in enumerate(headings, start=1):
        key = aliases.get(heading, heading)
        if not key:
            errors.add(_("Column %(number)s has no heading.") % {"number": index}, row=1)
        elif key in columns:
            errors.add(_("The column %(column)s appears twice.") % {"column": heading}, row=1)
        columns.append(key)
    if known_columns is not None:
        _check_columns(columns, known=known_columns, required=required_columns, errors=errors)
    errors.raise_if_any()

    table = Table(file_name=file_name, file_format=file_format, columns=columns)
    width = len(columns)
    for number, cells in records:
        cells = [unneutralise(cell.strip()) for cell in cells]
        if not any(cells):
            continue
        if len(cells) > width and any(cells[width:]):
            errors.add(_("The row has %(cells)s cells but the header only %(columns)s columns.")
                       % {"cells": len(cells), "columns": width}, row=number)
            if errors.truncated:
                break
            continue
        cells += [""] * (width - len(cells))
        table.rows.append(Row(number=number, values=dict(zip(columns, cells))))
        if len(table.rows) > settings.IMPORT_MAX_ROWS_PER_FILE:
            raise file_error(_("The file has more than %(max)s rows; split it into smaller files.")
                             % {"max": settings.IMPORT_MAX_ROWS_PER_FILE}, source=source)
    errors.raise_if_any()
    if not table.rows:
        raise file_error(_("The file has a header but no rows."), source=source)
    return table


def _check_columns(columns: list[str], *, known: Iterable[str], required: Iterable[str],
                   errors: ErrorCollector, headers: dict[str, str] | None = None) -> None:
    known = list(known)
    unknown = [column for column in columns if column and column not in known]
    if unknown:
        # The known columns by the headers the template and the export write, in their order.
        known_names = [headers[column] for column in known] if headers else sorted(known)
        errors.add(_("Unknown columns: %(columns)s. The columns this import reads are: %(known)s.")
                   % {"columns": ", ".join(unknown), "known": ", ".join(known_names)}, row=1)
    missing = [(headers or {}).get(column, column) for column in required if column not in columns]
    if missing:
        errors.add(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}, row=1)


def check_columns(table: Table, *, known: Iterable[str], required: Iterable[str] = (), source: str = "",
                  headers: dict[str, str] | None = None) -> None:
    """Raise ``ImportFileError`` naming the unknown and the missing columns of ``table``
    (by their ``headers``, column → header, when the import has a column set with headers)."""
    errors = ErrorCollector(source=source)
    _check_columns(table.columns, known=known, required=required, errors=errors, headers=headers)
    errors.raise_if_any()


# --- typed cells -------------------------------------------------------------------------------

_TRUE = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
_FALSE = {"nej", "n", "no", "false", "falskt", "0", ""}


def normalise_choice(value: str) -> str:
    """For matching words: lower case, en/em dashes as hyphens, single spaces."""
    value = unicodedata.normalize("NFC", value).casefold().replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", value).strip()


class Cells:
    """Typed access to one row's cells; a bad value records an error and returns None."""

    def __init__(self, row: Row, errors: ErrorCollector):
        self.row = row
        self.errors = errors
        self.ok = True

    def error(self, column: str | None, message: str) -> None:
        self.ok = False
        self.errors.add(message, row=self.row.number, column=column)

    def text(self, column: str, *, required: bool = False, max_length: int | None = None,
             multiline: bool = False) -> str:
        """A text cell; control characters are refused (``multiline`` lets line breaks and tabs in)."""
        value = self.row.get(column)
        try:
            (validate_multiline if multiline else validate_single_line)(value)
        except ValidationError as error:
            for message in error.messages:
                self.error(column, message)
            return ""
        if required and not value:
            self.error(column, _("This cell must not be empty."))
        elif max_length and len(value) > max_length:
            self.error(column, _("At most %(max)s characters (this has %(length)s).")
                       % {"max": max_length, "length": len(value)})
        return value

    def integer(self, column: str, *, required: bool = False, min_value: int | None = None,
                max_value: int | None = None) -> int | None:
        raw = self.row.get(column)
        if not raw:
            if required:
                self.error(column, _("This cell must not be empty."))
            return None
        compact = re.sub(r"[\s\u00a0\u202f]", "", raw)
        compact = re.sub(r"[.,]0+$", "", compact)
        if not re.fullmatch(r"[+-]?\d+", compact):
            self.error(column, _("“%(value)s” is not a whole number.") % {"value": raw})
            return None
        number = int(compact)
        if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
            self.error(column, _("%(value)s is outside %(min)s–%(max)s.")
                       % {"value": number, "min": min_value if min_value is not None else "",
                          "max": max_value if max_value is not None else ""})
            return None
        return number

    def boolean(self, column: str) -> bool:
        raw = normalise_choice(self.row.get(column))
        if raw in _TRUE:
            return True
        if raw not in _FALSE:
            self.error(column, _("“%(value)s” is not yes or no (use ja/nej, yes/no, true/false or 1/0).")
                       % {"value": self.row.get(column)})
        return False

    def choice(self, column: str, mapping: dict[str, str], *, required: bool = False, default: str | None = None,
               allowed_hint: str = "") -> str | None:
        raw = self.row.get(column)
        if not raw:
            if required:
                self.error(column, _("This cell must not be empty."))
            return default
        value = mapping.get(normalise_choice(raw))
        if value is None:
            self.error(column, _("“%(value)s” is not one of: %(allowed)s.")
                       % {"value": raw, "allowed": allowed_hint or ", ".join(sorted(set(mapping.values())))})
        return value

    def date(self, column: str, raw: str | None = None) -> dt.date | None:
        raw = self.row.get(column) if raw is None else raw
        if not raw:
            return None
        return parse_date(raw, on_error=lambda: self.error(
            column, _("“%(value)s” is not a date (use YYYY-MM-DD).") % {"value": raw}))

    def items(self, column: str) -> list[str]:
        """A list separated by "|" or ";" (empty cell → empty list)."""
        return [item.strip() for item in _LIST_SEPARATORS.split(self.row.get(column)) if item.strip()]


def yes_no(value: bool) -> str:
    """A yes/no cell as exports write it (``Cells.boolean`` reads it back)."""
    return "Ja" if value else "Nej"


def parse_date(raw: str, *, on_error) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        on_error()
        return None


# --- names -------------------------------------------------------------------------------------

_COMPANY_FORMS = [(re.compile(r"\baktiebolag\b"), "ab"), (re.compile(r"\bhandelsbolag\b"), "hb"),
                  (re.compile(r"\bkommanditbolag\b"), "kb"), (re.compile(r"\(publ\)"), "")]


def organisation_name_key(name: str) -> str:
    """The key two spellings of one organisation's name share: case, whitespace, punctuation at the
    ends and the company form ("Aktiebolag" → "AB") do not matter."""
    key = unicodedata.normalize("NFC", name or "").casefold()
    for pattern, replacement in _COMPANY_FORMS:
        key = pattern.sub(replacement, key)
    key = re.sub(r"\s+", " ", key)
    return key.strip(" .,;")


def display_organisation_name(name: str) -> str:
    """The name to give an organisation an import creates: "Aktiebolag" → "AB", single spaces."""
    name = re.sub(r"\s+", " ", (name or "").strip())
    return re.sub(r"\bAktiebolag\b", "AB", name, flags=re.IGNORECASE)


def organisation_number_key(value: str) -> str | None:
    """Digits of a Swedish organisation number (NNNNNN-NNNN, optionally with century), else None."""
    digits = re.sub(r"[\s\-]", "", value or "")
    if re.fullmatch(r"(\d{2})?\d{10}", digits):
        return digits[-10:]
    return None


def chunked(items: Iterable, size: int = 500) -> Iterator[list]:
    """Chunks for ``__in`` lookups (SQLite limits the number of query parameters)."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def json_value(value: object) -> object:
    """A value as it is stored in an event's ``changes`` (dates as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_value(item) for item in value]
    return value


# --- daily bounds per organisation -------------------------------------------------------------


def import_quota_check(*, organisation, rows: int = 0) -> None:
    """Refuse an upload that would take an organisation past its daily bounds
    (``IMPORT_MAX_FILES_PER_ORGANISATION_PER_DAY``, ``IMPORT_MAX_ROWS_PER_ORGANISATION_PER_DAY``),
    counted from the ImportRun rows of the last 24 hours. ``rows``: the rows of the file at hand
    (0 before it is read). Imports for no organisation (staff, command line) are not bounded."""
    if organisation is None:
        return
    since = timezone.now() - dt.timedelta(days=1)
    done = ImportRun.objects.filter(organisation=organisation, created_at__gte=since).aggregate(
        files=Count("pk"), rows=Sum("rows"))
    max_files = settings.IMPORT_MAX_FILES_PER_ORGANISATION_PER_DAY
    max_rows = settings.IMPORT_MAX_ROWS_PER_ORGANISATION_PER_DAY
    if done["files"] >= max_files:
        raise file_error(_("%(organisation)s has imported %(count)s files in the last 24 hours, the most allowed. "
                           "Try again later.") % {"organisation": organisation.name, "count": done["files"]})
    total = (done["rows"] or 0) + rows
    if rows and total > max_rows:
        raise file_error(_("This file has %(rows)s rows; with the %(done)s rows %(organisation)s has imported in the "
                           "last 24 hours that is more than the %(max)s allowed. Try again later or split the file.")
                         % {"rows": rows, "done": done["rows"] or 0, "organisation": organisation.name,
                            "max": max_rows})


# --- uploads kept between preview and confirmation ---------------------------------------------

UPLOAD_MAX_AGE_SECONDS = 6 * 60 * 60
_SESSION_KEY = "matchplats_imports"
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass
class StoredUpload:
    token: str
    kind: str
    user_id: int
    organisation_id: int | None
    files: dict[str, tuple[str, bytes]]  # role ("main", "municipalities") → (file name, bytes)
    rows: int = 0  # counted at the preview, for the daily bound at the confirmation


def _upload_dir() -> Path:
    directory = Path(settings.IMPORT_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _sweep(directory: Path) -> None:
    limit = time.time() - UPLOAD_MAX_AGE_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def upload_store(*, request, kind: str, organisation_id: int | None, files: dict[str, tuple[str, bytes]],
                 rows: int = 0) -> str:
    """Keep an uploaded file on the server until the user confirms the preview; returns the token.

    The bytes go to a private directory (``IMPORT_UPLOAD_DIR``, default ``var/imports``); the
    token is recorded in the user's session and, with the user's id, next to the bytes, so only
    the user who uploaded a file can confirm it."""
    directory = _upload_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    meta = {"kind": kind, "user_id": request.user.pk, "organisation_id": organisation_id, "rows": rows, "files": {}}
    for role, (name, data) in files.items():
        (directory / f"{token}.{role}").write_bytes(data)
        meta["files"][role] = name
    (directory / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    tokens = request.session.get(_SESSION_KEY, [])
    request.session[_SESSION_KEY] = [*tokens[-9:], token]
    return token


def upload_load(*, request, token: str, kind: str) -> StoredUpload | None:
    """The upload behind ``token`` if it belongs to this user (and session) and kind, else None."""
    if not _TOKEN_RE.fullmatch(token or "") or token not in request.session.get(_SESSION_KEY, []):
        return None
    directory = _upload_dir()
    try:
        meta = json.loads((directory / f"{token}.json").read_text(encoding="utf-8"))
        if meta["kind"] != kind or meta["user_id"] != request.user.pk:
            return None
        files = {role: (name, (directory / f"{token}.{role}").read_bytes()) for role, name in meta["files"].items()}
    except (OSError, ValueError, KeyError):
        return None
    return StoredUpload(token=token, kind=kind, user_id=meta["user_id"], organisation_id=meta["organisation_id"],
                        files=files, rows=meta.get("rows", 0))


def upload_discard(*, request, token: str) -> None:
    if not _TOKEN_RE.fullmatch(token or ""):
        return
    directory = _upload_dir()
    for path in directory.glob(f"{token}.*"):
        path.unlink(missing_ok=True)
    request.session[_SESSION_KEY] = [t for t in request.session.get(_SESSION_KEY, []) if t != token]


# --- the upload form both upload pages use ----------------------------------------------------


def import_upload_form_class():
    """The upload form (built lazily so this module imports no form machinery at load time)."""
    from django import forms
    from django.utils.translation import gettext_lazy

    class ImportUploadForm(forms.Form):
        # A select of the user's organisations, but deliberately not a ChoiceField: the view
        # decides with the permission helpers whether the posted organisation may be used, so
        # posting another organisation's id is answered with 403, not a silent form error.
        organisation = forms.CharField(label=gettext_lazy("Import for"), required=False, widget=forms.Select)
        file = forms.FileField(label=gettext_lazy("File (CSV in UTF-8, or XLSX)"))

        def __init__(self, *args, organisations, allow_any: bool = False, any_label: str = "", **kwargs):
            super().__init__(*args, **kwargs)
            choices = [(str(org.pk), org.name) for org in organisations]
            if allow_any:
                choices.insert(0, ("", any_label))
            self.fields["organisation"].widget.choices = choices
            self.fields["organisation"].required = not allow_any

        def clean_organisation(self):
            value = (self.cleaned_data.get("organisation") or "").strip()
            if value and not is_plain_number(value):
                raise forms.ValidationError(gettext_lazy("Choose an organisation."))
            return int(value) if value else None

        def clean_file(self):
            upload = self.cleaned_data["file"]
            try:
                check_size(upload.size)
            except ImportFileError as error:
                raise forms.ValidationError(error.messages) from None
            return upload

    return ImportUploadForm
