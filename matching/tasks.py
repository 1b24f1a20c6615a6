"""Background work of the matcher (django-tasks; ``manage.py db_worker`` runs it). Each task is a
thin wrapper around a service, so the work itself has one home (``matching.services``)."""

from __future__ import annotations

from django_tasks import task

from matching import services


@task()
def refresh_documents(kind: str, ids: list[int]) -> None:
    """Embed imported documents and refresh their match links, after an import."""
    services.documents_refresh(kind=kind, ids=ids)
