"""Writes for the shared core: the record of a committed import."""

from __future__ import annotations

import datetime as dt

from matchplats.core.importing import ImportResult
from matchplats.core.models import ImportRun


def import_run_create(*, kind: str, result: ImportResult, file_format: str, organisation, actor,
                      at: dt.datetime) -> ImportRun:
    """Record one committed import (who, when, which file, what it did) and attach it to the result."""
    run = ImportRun.objects.create(
        kind=kind, file_name=result.file_name[:255], file_format=file_format[:20], organisation=organisation,
        actor=actor, rows=result.rows, created=result.created, updated=result.updated, unchanged=result.unchanged,
        created_at=at,
    )
    result.import_run = run
    return run
