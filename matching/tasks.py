"""Background work of the matcher (django-tasks; ``manage.py db_worker`` runs it) and the
listener that decides what runs now and what runs in the background. Each task is a thin
wrapper around a service, so the work itself has one home (``matching.services``)."""

from __future__ import annotations

from django_tasks import task

from matching import services


@task()
def refresh_documents(kind: str, ids: list[int]) -> None:
    """Embed imported documents and refresh their match links, after an import."""
    services.documents_refresh(kind=kind, ids=ids)


def documents_changed(*, kind: str, ids: list[int], bulk: bool = False) -> None:
    """Listener of ``matchplats.core.changes`` (registered in ``matching.apps``): refresh what a
    service saved — now for a single save, in the background worker for an import."""
    if bulk:
        refresh_documents.enqueue(kind, ids)
    else:
        services.documents_refresh(kind=kind, ids=ids)
