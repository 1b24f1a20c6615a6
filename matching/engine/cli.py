"""File-in, dicts-out functions behind the management commands.

Each takes iterables of lines (an open file works) and a fitted :class:`Matcher`, and yields
one JSON-ready dict per input item. Bad input raises :class:`EngineInputError` naming the line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from matchplats.core.horizons import HORIZONS, needed_by_for_horizon

from .documents import NEED_PURPOSES, PROGRAMME_PURPOSES, Intake, NeedDoc, ProgrammeDoc
from .errors import EngineInputError
from .model import Matcher
from .text import MAX_TEXT_CHARS

BATCH = 256


def _numbered_texts(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if line.strip():
            yield number, line[:MAX_TEXT_CHARS]


def _batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def code_occupation(lines: Iterable[str], matcher: Matcher, *, top_k: int = 5) -> Iterator[dict]:
    """One ``{"text", "candidates": [{"ssyk4", "occupation_id", "label", "score"}]}`` per line."""
    for batch in _batches(_numbered_texts(lines)):
        texts = [text for _, text in batch]
        for text, candidates in zip(texts, matcher.code_occupation(texts, top_k=top_k)):
            yield {"text": text, "candidates": [c.as_dict() for c in candidates]}


def code_education(lines: Iterable[str], matcher: Matcher, *, top_k: int = 5) -> Iterator[dict]:
    """Lines ``name`` or ``name<TAB>utbildningsområde`` → ``{"text", "candidates": [...]}``."""
    for batch in _batches(_numbered_texts(lines)):
        names, areas = [], []
        for number, line in batch:
            name, _, area = line.partition("\t")
            if not name.strip():
                raise EngineInputError(f"line {number}: the programme name is empty")
            names.append(name.strip())
            areas.append(area.strip() or None)
        for line, candidates in zip(
            (line for _, line in batch), matcher.code_education(names, areas, top_k=top_k)
        ):
            yield {"text": line, "candidates": [c.as_dict() for c in candidates]}


def rank_programmes(needs: Iterable[str], programmes: Iterable[str], matcher: Matcher, *,
                    top_k: int = 10, today: date | None = None) -> Iterator[dict]:
    """Needs JSONL × programmes JSONL → ``{"need_id", "results": [...]}`` per need.

    All programmes are read and indexed first (so their errors surface before any output).
    """
    today = today or date.today()
    docs = [parse_programme(record, number, matcher)
            for number, record in _json_lines(programmes, "programmes")]
    index = matcher.new_index()
    index.add_many(docs)
    for number, record in _json_lines(needs, "needs"):
        need = parse_need(record, number, matcher, today)
        results = index.rank(need, top_k=top_k, today=today)
        yield {"need_id": need.id, "results": [r.as_dict() for r in results]}


def _json_lines(lines: Iterable[str], source: str) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise EngineInputError(f"{source} line {number}: invalid JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise EngineInputError(f"{source} line {number}: expected a JSON object")
        yield number, record


class _Fields:
    """Typed access to one JSON record, raising errors that name the line and field."""

    def __init__(self, record: dict, source: str, number: int) -> None:
        self.record, self.where = record, f"{source} line {number}"

    def fail(self, message: str) -> EngineInputError:
        return EngineInputError(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(f"'{key}' is required")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(f"'{key}' must be a string")
        return str(value).strip()[:MAX_TEXT_CHARS]

    def integer(self, key: str, low: int, high: int) -> int | None:
        value = self.record.get(key)
        if value is None or value == "":
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise self.fail(f"'{key}' must be an integer") from None
        if isinstance(value, bool) or not low <= number <= high:
            raise self.fail(f"'{key}' must be an integer from {low} to {high}")
        return number

    def strings(self, key: str) -> list[str]:
        value = self.record.get(key)
        if value is None or value == "":
            return []
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            raise self.fail(f"'{key}' must be a string or a list of strings")
        return [str(v).strip() for v in values if str(v).strip()]

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(key)
        if value and value not in choices:
            raise self.fail(f"'{key}' must be one of {', '.join(choices)}, got {value!r}")
        return value or None

    def ssyk4(self, code: str) -> str:
        if not (len(code) == 4 and code.isdigit()):
            raise self.fail(f"'ssyk4' must be a 4-digit SSYK code, got {code!r}")
        return code

    def kommun(self, value: str, matcher: Matcher) -> str:
        code = matcher.kommun_code(value)
        if code is None:
            raise self.fail(f"unknown kommun {value!r}")
        return code

    def date(self, value: str, key: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"'{key}' must be an ISO date (YYYY-MM-DD), got {value!r}") from None


def parse_need(record: dict, number: int, matcher: Matcher, today: date) -> NeedDoc:
    fields = _Fields(record, "needs", number)
    ssyk4 = fields.text("ssyk4")
    kommun = fields.text("kommun")
    horizon = fields.text("horizon")
    if horizon and horizon not in HORIZONS:
        raise fields.fail(f"'horizon' must be one of {', '.join(HORIZONS)}, got {horizon!r}")
    needed_by = fields.text("needed_by")
    return NeedDoc(
        id=fields.text("id", required=True),
        title=fields.text("title", required=True),
        description=fields.text("description"),
        ssyk4=fields.ssyk4(ssyk4) if ssyk4 else None,
        kommun=fields.kommun(kommun, matcher) if kommun else None,
        needed_by=(fields.date(needed_by, "needed_by") if needed_by
                   else needed_by_for_horizon(horizon or None, today)),
        seqf=fields.integer("seqf", 1, 8),
        headcount=fields.integer("headcount", 1, 100_000),
        purpose=fields.choice("purpose", NEED_PURPOSES),
    )


def parse_programme(record: dict, number: int, matcher: Matcher) -> ProgrammeDoc:
    fields = _Fields(record, "programmes", number)
    distance = record.get("distance", False)
    if not isinstance(distance, bool):
        raise fields.fail("'distance' must be true or false")
    kind = fields.text("kind") or "programme"
    if kind not in ("programme", "validation"):
        raise fields.fail("'kind' must be 'programme' or 'validation'")
    places = fields.integer("places", 0, 100_000)
    starts = [fields.date(value, "start") for value in fields.strings("start")]
    return ProgrammeDoc(
        id=fields.text("id", required=True),
        name=fields.text("name", required=True),
        description=fields.text("description"),
        sun_code=fields.text("sun_code") or None,
        ssyk4=tuple(fields.ssyk4(code) for code in fields.strings("ssyk4")),
        kommuner=tuple(fields.kommun(k, matcher) for k in fields.strings("kommun")),
        distance=distance,
        intakes=tuple(Intake(start, places) for start in starts),
        seqf=fields.integer("seqf", 1, 8),
        kind=kind,
        purpose=fields.choice("purpose", PROGRAMME_PURPOSES),
    )
