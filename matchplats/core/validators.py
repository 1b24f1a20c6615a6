"""Validators shared by every form, model and importer.

Control characters never belong in what people type or import: they break XLSX exports
(openpyxl refuses them), mail headers and terminals, and they can hide text. A single-line value
refuses every control character; a multi-line value allows line breaks and tabs, nothing else.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_MULTILINE_ALLOWED = frozenset("\n\r\t")


def control_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The control characters (Unicode category Cc, plus line and paragraph separators) in
    ``value``, in order of appearance, without repeats."""
    found: list[str] = []
    for char in value:
        if multiline and char in _MULTILINE_ALLOWED:
            continue
        if (unicodedata.category(char) == "Cc" or char in "\u2028\u2029") and char not in found:
            found.append(char)
    return found


def describe_characters(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(char):04X}" for char in chars)


@deconstructible
class NoControlCharactersValidator:
    """Refuses control characters; ``multiline=True`` lets line breaks and tabs through."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        found = control_characters(value, multiline=self.multiline)
        if found:
            raise ValidationError(
                _("Remove the control characters (%(chars)s): they cannot be stored or exported."),
                code="control_characters", params={"chars": describe_characters(found)},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharactersValidator) and other.multiline == self.multiline


validate_single_line = NoControlCharactersValidator()
validate_multiline = NoControlCharactersValidator(multiline=True)

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def single_line(value: str) -> str:
    """``value`` with line breaks folded to spaces, for mail subjects and headers."""
    return _LINE_BREAKS.sub(" ", value).strip()
