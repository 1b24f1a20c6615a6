"""An event's changes told in words: the field's label instead of its name, and human values
instead of stored codes, booleans and lists.

Events keep what was stored at the time (``{"headcount": [12, 15], "status": ["active",
"filled"], "skills": [[...], [...]]}``), so old events read as well as new ones. The history
pages turn each change into a ``Change``: "Hur många personer: 12 → 15", "Status: Aktivt →
Tillsatt", "Efterfrågade kompetenser: lade till Afasi; tog bort Dysfagi". A set-like value (skills,
municipalities, occupations, intakes) is told as what was added and removed, not as two lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EMPTY = "—"

Formatter = Callable[[object], str]


@dataclass(frozen=True)
class Change:
    label: str
    old: str = EMPTY
    new: str = EMPTY
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def is_set(self) -> bool:
        return bool(self.added or self.removed)


def _model_field(model: type[models.Model], name: str):
    """The model's own field ``name``; None for other keys and for reverse relations."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return None if model_field.auto_created and not model_field.concrete else model_field


def field_label(model: type[models.Model], name: str) -> str:
    model_field = _model_field(model, name)
    if model_field is None:
        return capfirst(name.replace("_", " "))
    return capfirst(str(model_field.verbose_name))


def plain_value(value: object, *, choices: Mapping | None = None) -> str:
    """One stored value in words: "—" for nothing, Ja/Nej, a choice's label, lists joined."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, (list, tuple)):
        return ", ".join(plain_value(item, choices=choices) for item in value) or EMPTY
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def field_formatter(model: type[models.Model], name: str) -> Formatter:
    model_field = _model_field(model, name)
    choices = dict(model_field.flatchoices) if model_field is not None and model_field.choices else None
    return lambda value: plain_value(value, choices=choices)


def lookup_formatter(labels: Callable[[], Mapping[str, str]]) -> Formatter:
    """For lists of codes (kommun, SSYK): each code by its label, looked up once per history."""
    cache: dict[str, Mapping[str, str]] = {}

    def format_item(code: object) -> str:
        if "labels" not in cache:
            cache["labels"] = labels()
        return cache["labels"].get(str(code), str(code))

    return format_item


def describe_changes(model: type[models.Model], changes: Mapping, *, labels: Mapping[str, str] | None = None,
                     formatters: Mapping[str, Formatter] | None = None,
                     set_like: Iterable[str] = ()) -> list[Change]:
    """The ``changes`` of one event (``{field: [old, new]}``) as ``Change`` lines.
    ``labels`` names keys that are not model fields; ``formatters`` formats the values (an item
    of a list for the ``set_like`` keys, which are told as added and removed)."""
    labels, formatters, set_like = labels or {}, formatters or {}, set(set_like)
    # In the model's field order: PostgreSQL's jsonb does not keep the order the keys were written in.
    position = {model_field.name: index for index, model_field in enumerate(model._meta.get_fields())}
    lines = []
    for name, pair in sorted(changes.items(), key=lambda item: position.get(item[0], len(position))):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        old, new = pair
        label = labels.get(name) or field_label(model, name)
        format_value = formatters.get(name) or field_formatter(model, name)
        if name in set_like and isinstance(old or [], list) and isinstance(new or [], list):
            old_items = [format_value(item) for item in old or []]
            new_items = [format_value(item) for item in new or []]
            added = [item for item in new_items if item not in old_items]
            removed = [item for item in old_items if item not in new_items]
            if added or removed:
                lines.append(Change(label=label, added=added, removed=removed))
            continue
        lines.append(Change(label=label, old=format_value(old), new=format_value(new)))
    return lines


@dataclass(frozen=True)
class HistoryEntry:
    """One event as a history page shows it."""

    at: dt.datetime
    title: str
    actor: object = None
    note: str = ""
    changes: list[Change] = field(default_factory=list)
