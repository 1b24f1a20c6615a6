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


_ORGANISATION_NUMBER = re.compile(r"(16)?([0-9]{6})-?([0-9]{4})")


def luhn_valid(digits: str) -> bool:
    """Does the last digit of ``digits`` check the others by the Luhn (modulus 10) rule?"""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_organisation_number(value: str) -> str:
    """A Swedish organisationsnummer in its usual form NNNNNN-NNNN, or "" for an empty value.

    Accepts ten digits with or without the hyphen, and the twelve-digit form with the prefix 16
    that Skatteverket and SCB use; spaces are ignored. Refuses anything else, and a number whose
    last digit does not check the others (Luhn), so a typo is caught where it is typed."""
    compact = re.sub(r"\s+", "", value or "")
    if not compact:
        return ""
    match = _ORGANISATION_NUMBER.fullmatch(compact)
    if match is None:
        raise ValidationError(
            _("“%(value)s” is not an organisation number: write ten digits as NNNNNN-NNNN "
              "(or twelve digits starting with 16)."),
            code="organisation_number_format", params={"value": value.strip()},
        )
    digits = match.group(2) + match.group(3)
    if not luhn_valid(digits):
        raise ValidationError(
            _("The check digit of %(value)s does not match; check the organisation number for a typo."),
            code="organisation_number_check_digit", params={"value": value.strip()},
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_organisation_number(value: str) -> None:
    """Model-field validator: the stored value is empty or exactly the normalised form."""
    if value and normalise_organisation_number(value) != value:
        raise ValidationError(_("Write the organisation number as NNNNNN-NNNN."), code="organisation_number_form")
