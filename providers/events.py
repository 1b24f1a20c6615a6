"""One small function per programme event type (who did what, when).

The import events are built unsaved, because imports bulk-create them.
"""

import datetime as dt

from matchplats.core.models import ImportRun
from providers.models import Programme, ProgrammeBacking, ProgrammeBackingEvent, ProgrammeEvent

T = ProgrammeEvent.Type


def programme_created_event(*, programme: Programme, actor, source: str = "form") -> ProgrammeEvent:
    return ProgrammeEvent.objects.create(programme=programme, type=T.CREATED, actor=actor,
                                         data={"name": programme.name, "source": source})


def programme_updated_event(*, programme: Programme, actor, changes: dict) -> ProgrammeEvent:
    return ProgrammeEvent.objects.create(programme=programme, type=T.UPDATED, actor=actor, data={"changes": changes})


def programme_imported_event(*, programme: Programme, actor, run: ImportRun, row: int,
                             at: dt.datetime) -> ProgrammeEvent:
    return ProgrammeEvent(programme=programme, type=ProgrammeEvent.Type.IMPORTED, actor=actor, created_at=at,
                          data={"name": programme.name, "source": "import", "import_run": run.pk,
                                "file": run.file_name, "row": row})


def programme_import_updated_event(*, programme: Programme, actor, run: ImportRun, row: int, changes: dict,
                                   at: dt.datetime) -> ProgrammeEvent:
    return ProgrammeEvent(programme=programme, type=ProgrammeEvent.Type.IMPORT_UPDATED, actor=actor, created_at=at,
                          data={"changes": changes, "import_run": run.pk, "file": run.file_name, "row": row})


def programme_backed_event(*, backing: ProgrammeBacking, actor, state: dict) -> ProgrammeBackingEvent:
    return ProgrammeBackingEvent.objects.create(backing=backing, type=ProgrammeBackingEvent.Type.BACKED, actor=actor,
                                                data={"state": state})


def programme_backing_changed_event(*, backing: ProgrammeBacking, actor, changes: dict) -> ProgrammeBackingEvent:
    return ProgrammeBackingEvent.objects.create(backing=backing, type=ProgrammeBackingEvent.Type.CHANGED, actor=actor,
                                                data={"changes": changes})


def programme_backing_withdrawn_event(*, backing: ProgrammeBacking, actor) -> ProgrammeBackingEvent:
    return ProgrammeBackingEvent.objects.create(backing=backing, type=ProgrammeBackingEvent.Type.WITHDRAWN, actor=actor)
