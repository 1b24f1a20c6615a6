"""Reading single query or form parameters that are not worth a form: ids and search texts.

A malformed value is the client's error, answered with 400 (``BadRequest``) before anything is
read or written — never a 500, and never a database error that echoes the query.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from matchplats.core.validators import validate_single_line

MAX_ID_DIGITS = 18  # below 2**63, the largest primary key PostgreSQL stores
MAX_SEARCH_CHARS = 200


def is_plain_number(value: object) -> bool:
    """ASCII digits only, at most ``MAX_ID_DIGITS`` of them. ``str.isdigit`` alone also accepts
    "²" and other digits ``int()`` refuses, and longer numbers overflow the database's keys."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS


def id_param(data: QueryDict, name: str) -> int | None:
    """The id in ``data[name]``; None when absent or empty; 400 when not a plain number."""
    value = data.get(name, "")
    if value == "":
        return None
    if not is_plain_number(value):
        raise BadRequest(_("%(name)s must be a number.") % {"name": name})
    return int(value)


def search_param(data: QueryDict, name: str, *, max_chars: int = MAX_SEARCH_CHARS) -> str:
    """The search text in ``data[name]``, stripped; 400 when too long or holding control characters."""
    value = data.get(name, "")
    if len(value) > max_chars:
        raise BadRequest(_("The search text is longer than %(max)s characters.") % {"max": max_chars})
    try:
        validate_single_line(value)
    except ValidationError as error:
        raise BadRequest(" ".join(error.messages)) from None
    return value.strip()
