"""Strategies and checks shared by the bad-input tests: hostile values for form fields, the names
of the fields a page's forms post, and row counts of every table a form or importer may write."""

from __future__ import annotations

import re
from html import unescape

from hypothesis import strategies as st

from tests.rows import row_counts as all_row_counts
from tests.tally import TALLY

WRITTEN_APPS = ("employers", "providers", "dialogues", "organisations", "matching", "taxonomy", "core")

# Every code point a browser can send (UTF-8 cannot carry lone surrogates), control characters and
# NUL included, weighted towards the awkward ones.
any_character = st.characters(codec="utf-8")
awkward_character = st.sampled_from(
    ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\u200b", "\u202e", "\ufeff", "\ufffe", "\U0010ffff",
     "\r", "\n", "\t", ";", ",", '"', "'", "<", ">", "&", "%", "\\", "å", "Ä", "ö", "🧪"])
hostile_text = st.one_of(
    st.text(any_character, max_size=40),
    st.text(st.one_of(awkward_character, any_character), min_size=1, max_size=40),
    st.text(awkward_character, min_size=1, max_size=10),
)
huge_number = st.one_of(
    st.integers(min_value=-(10 ** 40), max_value=10 ** 40).map(str),
    st.sampled_from(["2147483648", "-2147483649", "9223372036854775808", "1e309", "-0", "0x10", "١٢", "NaN",
                     "inf", "-inf", "1_000", " 7 ", "3.5", "1,5", "+-1"]),
)
odd_date = st.sampled_from(["2027-02-30", "0000-01-01", "9999-12-31", "10000-01-01", "27-8-30", "2027-13-01",
                            "1.1.2027", "2027-08-30T25:00", "2027-08-30 09:00", "tomorrow", "-1"])
huge_text = st.integers(min_value=300, max_value=70_000).map(lambda n: "å" * n)


def field_value(valid: str | None = None):
    """One posted value for a field: hostile text, a huge or odd number or date, an enormous
    string, or (so that valid paths are walked too) the value the page itself offered."""
    choices = [hostile_text, huge_number, odd_date, huge_text, st.just("")]
    if valid is not None:
        choices = [st.just(valid)] * 3 + choices
    return st.one_of(*choices)


def field_values(valid: str | None = None):
    """What a field receives: one value usually, sometimes several (a wrong type for single fields)."""
    return st.one_of(field_value(valid), st.lists(field_value(valid), min_size=2, max_size=3))


_TAG = re.compile(r"<(input|select|textarea|option)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z_:-]+)(?:="([^"]*)")?')


def form_fields(html: str) -> dict[str, str | None]:
    """The names of the fields on a page and a value the page offers for each (its ``value``, a
    checked box's value or a select's first non-empty option), skipping the CSRF token and the
    language switcher."""
    fields: dict[str, str | None] = {}
    select = None
    for tag, raw in _TAG.findall(html):
        attrs = {key.lower(): unescape(value or "") for key, value in _ATTR.findall(raw)}
        tag = tag.lower()
        if tag == "option":
            if select and attrs.get("value") and fields.get(select) in (None, ""):
                fields[select] = attrs["value"]
            continue
        name = attrs.get("name")
        if not name or name in ("csrfmiddlewaretoken", "language", "next"):
            continue
        if attrs.get("type") in ("submit", "button", "file"):
            continue
        select = name if tag == "select" else None
        fields.setdefault(name, attrs.get("value") or None)
    return fields


def post_data(draw, fields: dict[str, str | None]) -> dict:
    """A body for the page's form: each field kept, left out or given hostile values."""
    data = {}
    for name, valid in fields.items():
        if draw(st.integers(0, 9)) == 0:
            continue
        data[name] = draw(field_values(valid))
    return data


def row_counts() -> dict[str, int]:
    return all_row_counts(WRITTEN_APPS)


def tried(response) -> None:
    """Count one generated input and whether the server failed on it."""
    TALLY.inputs += 1
    if response is not None and response.status_code >= 500:
        TALLY.server_errors += 1


def count_input() -> None:
    TALLY.inputs += 1


def count_server_error() -> None:
    TALLY.server_errors += 1
