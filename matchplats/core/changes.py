"""Telling the apps downstream that documents changed, without importing them.

Data flows one way (``matchplats`` ← ``employers``, ``providers`` ← ``matching``), yet a need
saved by ``employers.services`` must be embedded and its match links refreshed in the same
service call, so links never go stale. The writing services call ``documents_changed`` after
they write; ``matching`` registers its listener here when the app is ready
(``matching.apps``). It is an explicit call in each service, not a model signal: grep finds
every place that triggers it.

Listeners run when the service's transaction commits (at once outside a transaction), so they
see the committed rows and a rolled-back write triggers nothing. ``bulk=True`` (imports) asks
for background work instead of work inside the request. A listener's error is logged, never
raised into the request that saved the document: ``reindex`` repairs what it missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

log = logging.getLogger(__name__)

NEED, PROGRAMME, VALIDATION = "need", "programme", "validation"
KINDS = frozenset({NEED, PROGRAMME, VALIDATION})

Listener = Callable[..., None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Register ``listener(kind=..., ids=[...], bulk=...)``; registering twice has no effect."""
    if listener not in _listeners:
        _listeners.append(listener)


def documents_changed(*, kind: str, ids: Iterable[int], bulk: bool = False) -> None:
    """Documents of ``kind`` were created, changed or removed. Called inside the writing
    transaction; every change of one transaction reaches the listeners once, together, when it
    commits (a demo seed or a multi-step service does not embed the same need twice)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown document kind {kind!r}; use one of {sorted(KINDS)}.")
    ids = set(ids)
    if not ids or not _listeners:
        return
    if not transaction.get_connection().in_atomic_block:
        _deliver({(kind, bulk): ids})
        return
    _pending_changes().setdefault((kind, bulk), set()).update(ids)


def _deliver(collected: dict[tuple[str, bool], set[int]]) -> None:
    for (kind, bulk), changed in collected.items():
        for listener in list(_listeners):
            try:
                listener(kind=kind, ids=sorted(changed), bulk=bulk)
            except Exception:
                log.exception("A listener failed on %s %s; reindex will repair it.", kind, sorted(changed)[:20])


def _pending_changes() -> dict[tuple[str, bool], set[int]]:
    """The changes collected for the current transaction, with one flush registered on commit.
    A rolled-back transaction drops its on-commit callbacks, and with them its collection."""
    connection = transaction.get_connection()
    collected = getattr(connection, "_matchplats_changes", None)
    registered = collected is not None and any(
        getattr(callback, "collected", None) is collected for _ids, callback, _robust in connection.run_on_commit)
    if registered:
        return collected
    collected = {}
    connection._matchplats_changes = collected

    def flush() -> None:
        if getattr(connection, "_matchplats_changes", None) is collected:
            connection._matchplats_changes = None  # later changes start a new collection
        _deliver(collected)

    flush.collected = collected
    transaction.on_commit(flush)
    return collected
