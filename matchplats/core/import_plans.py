"""The diff-and-apply half every import shares (needs and programmes alike).

Parsing stays in each app's importing module; what a row *does* is worked out here the same
way for both: ``diff_fields`` compares the parsed fields with a stored object in memory,
``diff_links`` does the same for a set of related rows (kommuner, skills, intakes), and
``rows_apply`` — called only from the services ``need_import_rows`` and
``programme_import_rows`` — writes creates and updates with bulk queries and replaces exactly
the link sets that changed. Nothing here writes events or ImportRun rows: the services do,
with their apps' event builders.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from matchplats.core.importing import chunked, yes_no

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class LinkSet:
    """How one set of related rows of an imported object is stored.

    ``make(owner_pk, value)`` builds one unsaved row; ``model.objects.filter(**{owner_field +
    "__in": ids}, **scope)`` are the rows a changed set replaces."""

    name: str
    model: type[models.Model]
    owner_field: str
    make: Callable[[int, Any], models.Model]
    scope: dict[str, Any] = field(default_factory=dict)


@dataclass
class RowPlan:
    """What an import does with one row. ``obj`` is the new object, or a copy of the stored one
    with the changes applied; ``links`` maps a link-set name to the set the row gives (sets the
    file does not mention are absent: they are left alone)."""

    row: int
    obj: models.Model
    existing: models.Model | None = None
    changed_fields: list[str] = field(default_factory=list)
    changes: dict[str, list] = field(default_factory=dict)  # field → [old, new], for the event
    links: dict[str, frozenset] = field(default_factory=dict)
    changed_links: set[str] = field(default_factory=set)

    @property
    def action(self) -> str:
        if self.existing is None:
            return CREATE
        return UPDATE if self.changes else UNCHANGED


def diff_fields(existing: models.Model, fields: dict[str, Any]) -> tuple[models.Model, list[str]]:
    """A copy of ``existing`` with ``fields`` applied, and the names of the fields that differ.
    Relations compare by primary key (a related object not saved yet always differs)."""
    obj = copy.copy(existing)
    changed = []
    for name, new in fields.items():
        model_field = existing._meta.get_field(name)
        if model_field.is_relation:
            old_id = getattr(existing, model_field.attname)
            differs = (new.pk if new is not None else None) != old_id or (new is not None and new.pk is None)
        else:
            differs = getattr(existing, name) != new
        if differs:
            changed.append(name)
            setattr(obj, name, new)
    return obj, changed


def diff_links(plan: RowPlan, name: str, new: frozenset | None, old: frozenset,
               display: Callable[[frozenset], Any], change_key: str | None = None) -> None:
    """Record the set a row gives for link set ``name`` and, for a stored object whose set
    differs, the change (``display`` turns a set into what the event shows)."""
    if new is None:
        return
    plan.links[name] = new
    if plan.existing is not None and old != new:
        plan.changed_links.add(name)
        plan.changes[change_key or name] = [display(old), display(new)]


@dataclass(frozen=True)
class ChangeLine:
    """One change as the import pages show it, in the words of the file: the column's header,
    the old and new cell, or for a list (kommuner, skills, intakes) what is added and removed."""

    column: str
    old: str = ""
    new: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.added or self.removed)


EMPTY_CELL = "–"


def change_lines(changes: dict[str, list], *, headers: dict[str, str],
                 words: dict[str, Callable[[Any], str]]) -> list[ChangeLine]:
    """An import's ``changes`` (``{field: [old, new]}``, as its events store them) as ChangeLines.
    ``headers`` names each field's column; ``words`` turns a stored value (an item, for lists)
    into the word the export writes. Fields without a header keep their name."""
    lines = []
    for name, (old, new) in changes.items():
        column = headers.get(name, name)
        word = words.get(name, _cell_word)
        if isinstance(old, list) or isinstance(new, list):
            old_items, new_items = [word(item) for item in old or []], [word(item) for item in new or []]
            lines.append(ChangeLine(column=column, added=tuple(item for item in new_items if item not in old_items),
                                    removed=tuple(item for item in old_items if item not in new_items)))
        else:
            lines.append(ChangeLine(column=column, old=_or_empty(old, word), new=_or_empty(new, word)))
    return lines


def _or_empty(value: Any, word: Callable[[Any], str]) -> str:
    return EMPTY_CELL if value is None or value == "" else word(value)


def _cell_word(value: Any) -> str:
    return yes_no(value) if isinstance(value, bool) else str(value)


def word_map(words: dict) -> Callable[[Any], str]:
    """A stored code → the export's word (``now`` → ``Nu``); an unknown code stays as it is."""
    return lambda value: str(words.get(value, value))


def word_lookup(load: Callable[[], dict[str, str]]) -> Callable[[Any], str]:
    """As ``word_map`` for reference data (kommun code → name), loaded once, when first needed."""
    loaded: dict[str, dict[str, str]] = {}

    def word(value: Any) -> str:
        if "words" not in loaded:
            loaded["words"] = load()
        return loaded["words"].get(str(value), str(value))

    return word


def rows_apply(*, model: type[models.Model], plans: Iterable[RowPlan], actor, at: dt.datetime,
               link_sets: Iterable[LinkSet] = ()) -> tuple[list[RowPlan], list[RowPlan]]:
    """Write the plans: bulk-create the new objects, bulk-update exactly the changed fields of
    the changed ones, and replace the link sets that changed. Returns (created, updated).
    Callers run it inside their transaction."""
    plans = list(plans)
    creates = [plan for plan in plans if plan.action == CREATE]
    updates = [plan for plan in plans if plan.action == UPDATE]
    for plan in creates:
        plan.obj.created_at = plan.obj.updated_at = at
        plan.obj.created_by = plan.obj.updated_by = actor
    model.objects.bulk_create([plan.obj for plan in creates], batch_size=500)

    update_fields: set[str] = {"updated_at", "updated_by"}
    for plan in updates:
        plan.obj.updated_at, plan.obj.updated_by = at, actor
        update_fields.update(plan.changed_fields)
    if updates:
        model.objects.bulk_update([plan.obj for plan in updates], sorted(update_fields), batch_size=300)

    for link_set in link_sets:
        replaced = [plan.obj.pk for plan in updates if link_set.name in plan.changed_links]
        for chunk in chunked(replaced):
            link_set.model.objects.filter(**{f"{link_set.owner_field}__in": chunk}, **link_set.scope).delete()
        rows = [link_set.make(plan.obj.pk, value)
                for plan in creates + updates
                if link_set.name in plan.links and (plan.existing is None or link_set.name in plan.changed_links)
                for value in sorted(plan.links[link_set.name], key=_sort_key)]
        link_set.model.objects.bulk_create(rows, batch_size=1000)
    return creates, updates


def _sort_key(value: Hashable) -> tuple:
    return tuple((item is None, item) for item in value) if isinstance(value, tuple) else (value,)
